namespace PodLogs.Runtime.Tests.Harness;

/// <summary>The real logrotate (Debian's package; build.ps1 installs it), to prove a test's rule file is one logrotate accepts.</summary>
internal static class Logrotate
{
    /// <summary>
    /// <c>logrotate -d</c> (debug: parses and plans, changes no log and no state file) over <paramref name="configFile"/>, with
    /// a throwaway state file: it exits 1 on a line it refuses (a bad count, an unknown directive, an unclosed rule).
    /// </summary>
    public static void AssertAccepts(string configFile)
    {
        var program = ProcessRunner.Which("logrotate");
        Assert.True(program is not null, "logrotate is not installed: build.ps1 Test installs it (apt package logrotate).");
        var state = Path.Join(Path.GetTempPath(), $"podlogs-logrotate-{Guid.NewGuid():N}.state");
        try
        {
            var result = ProcessRunner.Run(program!, ["-d", "-s", state, configFile], TimeSpan.FromSeconds(30));
            Assert.True(result.ExitCode == 0 && !result.Stderr.Contains("error:", StringComparison.Ordinal),
                $"logrotate refuses {configFile} (exit {result.ExitCode}):\n{result.Stderr}{result.Stdout}");
            Assert.Contains("rotating pattern:", result.Stderr + result.Stdout);
        }
        finally
        {
            File.Delete(state);
        }
    }
}
