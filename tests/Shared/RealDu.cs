using System.Diagnostics;
using Xunit;

namespace PodLogs.Tests.Shared;

/// <summary>
/// The real <c>du --block-size=1</c> (GNU coreutils) over local files, for the tests that check the module's byte counts against
/// it (issue #12 item 6, issue #13 item 2). Compiled into each test project that needs it (a linked source file).
/// </summary>
internal static class RealDu
{
    /// <summary>du's total over local files, each inode once (GNU du counts a file given twice, or hard linked, once).</summary>
    public static long Total(IEnumerable<string> localFiles)
    {
        var psi = new ProcessStartInfo("du", ["--block-size=1", "-c", "--files0-from=-"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var du = Process.Start(psi)!;
        du.StandardInput.Write(string.Concat(localFiles.Select(f => f + "\0")));
        du.StandardInput.Close();
        var output = du.StandardOutput.ReadToEnd();
        du.WaitForExit();
        Assert.True(du.ExitCode == 0, du.StandardError.ReadToEnd());
        var total = output.Split('\n').Single(l => l.EndsWith("\ttotal", StringComparison.Ordinal));
        return long.Parse(total[..total.IndexOf('\t')]);
    }
}
