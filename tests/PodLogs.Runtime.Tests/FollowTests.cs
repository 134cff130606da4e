using System.Diagnostics;
using System.Globalization;
using PodLogs.Core;
using PodLogs.Core.Logs;
using PodLogs.Runtime.Cri.V1;
using PodLogs.Runtime.Tests.Harness;
using CriState = PodLogs.Runtime.Cri.V1.ContainerState;

namespace PodLogs.Runtime.Tests;

/// <summary>LogFollower against a real containerd rotated the way kubelet does it (rename, then ReopenContainerLog).</summary>
[Collection(ContainerdCollection.Name)]
public sealed class FollowTests(ContainerdHarness containerd, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Following_a_containerd_log_rotated_20_times_loses_and_repeats_nothing()
    {
        var pod = await containerd.Kubelet.RunPodAsync("logs", "follow-rotator");
        // as fast as busybox sh can print
        var c = await containerd.Kubelet.StartContainerAsync(pod, "spinner",
            program: new ContainerProgram(["/bin/sh", "-c", "i=1; while :; do echo \"line $i\"; i=$((i+1)); done"]));
        var live = containerd.ToLocal(c.LogNodePath);
        await containerd.Kubelet.WaitForLinesAsync(c.LogNodePath, 1);

        var stopped = 0;
        var reporter = new CollectingReporter();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var follower = Task.Factory.StartNew(() =>
        {
            var got = new List<long>();
            foreach (var l in LogFollower.Follow(live, new LogReadOptions(), reporter, () => Volatile.Read(ref stopped) == 0, cts.Token,
                         TimeSpan.FromMilliseconds(50)))
                if (l.Stream == LogStream.Stdout) got.Add(Number(l.Message));
            return got;
        }, TaskCreationOptions.LongRunning);

        var rotated = new List<string>();
        var sw = Stopwatch.StartNew();
        // 25 rotations, however long a busy machine's ReopenContainerLog takes; the clock only ends a run that never gets there.
        while (rotated.Count < 25 && sw.Elapsed < TimeSpan.FromSeconds(120))
        {
            await Task.Delay(350);
            // kubelet's rotateLatestLog (as KubeletEmulator.RotateAsync), with distinct stamps: its names have
            // one-second resolution, and 20 rotations in 10 s need more than one a second
            var name = $"{live}.{new DateTime(2026, 3, 1).AddSeconds(rotated.Count):yyyyMMdd-HHmmss}";
            File.Move(live, name);
            await containerd.Client.ReopenContainerLogAsync(new ReopenContainerLogRequest { ContainerId = c.Id });
            rotated.Add(name);
        }
        await containerd.Client.StopContainerAsync(new StopContainerRequest { ContainerId = c.Id, Timeout = 0 });
        await containerd.Kubelet.WaitForStateAsync(c.Id, CriState.ContainerExited);
        Volatile.Write(ref stopped, 1);
        var got = await follower.WaitAsync(TimeSpan.FromMinutes(2));
        output.WriteLine($"{got.Count} lines followed across {rotated.Count} rotations");

        Assert.True(rotated.Count >= 20, $"only {rotated.Count} rotations");
        // what is on disk, read as one stream from the rotated files and the live one
        var onDisk = ContainerLogReader.ReadAll(LogSegments.Discover(live)).Where(l => l.Stream == LogStream.Stdout)
            .Select(l => Number(l.Message)).ToList();
        Assert.True(got.Count > 1000, $"only {got.Count} lines");
        // StopContainer with no grace kills the writer, possibly in the middle of its last echo: that one
        // line may be cut short (on disk too). Every line before it is exactly 1..n, once each, in order.
        var last = got[^1];
        if (last != got.Count)
        {
            // Cut inside the number (a prefix of n), or inside "line " itself (no number at all).
            if (last != CutBeforeTheNumber) Assert.StartsWith(last.ToString(CultureInfo.InvariantCulture), got.Count.ToString(CultureInfo.InvariantCulture));
            got = got[..^1];
            onDisk = onDisk[..^1];
        }
        Assert.Equal(Enumerable.Range(1, got.Count).Select(i => (long)i), got);
        Assert.Equal(onDisk, got);
        Assert.Empty(reporter.Errors);

        await containerd.Kubelet.RemovePodAsync(pod);
    }

    const long CutBeforeTheNumber = -1;

    /// <summary>n of "line n"; <see cref="CutBeforeTheNumber"/> for a last line cut short before its number.</summary>
    static long Number(string message) =>
        message.StartsWith("line ", StringComparison.Ordinal) && long.TryParse(message.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : CutBeforeTheNumber;
}
