using System.Diagnostics;
using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>Kubelet's command line found among this machine's processes (/proc), as a node's kubelet would be.</summary>
public sealed class KubeletProcessTests
{
    /// <summary>
    /// A real process whose argv[0] is <paramref name="program"/> (bash's exec -a), then '-c', 'sleep 60; :' and
    /// <paramref name="arguments"/>; ': ' keeps bash from exec'ing sleep in its place. The flags the tests pass are
    /// harmless to other tests that read the host's layout meanwhile.
    /// </summary>
    static Process StartAs(string program, string arguments) =>
        Process.Start(new ProcessStartInfo("bash", ["-c", $"exec -a {program} bash -c 'sleep 60; :' {arguments}"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;

    [Fact]
    public void The_running_kubelets_command_line_is_found_by_its_program_name()
    {
        var marker = $"--podlogs-test-marker={Guid.NewGuid():N}";
        using var process = StartAs("/usr/bin/kubelet", $"kubelet --v=2 {marker}");
        try
        {
            string? found = null;
            for (var i = 0; i < 100 && found?.Contains(marker) != true; i++)
            {
                Thread.Sleep(50);
                found = KubeletProcess.FindCommandLine();
            }
            Assert.Equal($"/usr/bin/kubelet -c sleep 60; : kubelet --v=2 {marker}", found);
            Assert.Equal("2", KubeletProcess.FindFlag(found!, "--v"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void A_program_whose_name_only_ends_in_kubelet_is_not_kubelet()
    {
        var marker = $"--podlogs-test-marker={Guid.NewGuid():N}";
        using var process = StartAs("/usr/bin/not-kubelet", $"x {marker}");
        try
        {
            Thread.Sleep(300);
            Assert.True(File.ReadAllText($"/proc/{process.Id}/cmdline").StartsWith("/usr/bin/not-kubelet\0", StringComparison.Ordinal));
            Assert.DoesNotContain(marker, KubeletProcess.FindCommandLine() ?? "");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
