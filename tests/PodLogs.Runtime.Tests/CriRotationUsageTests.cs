using System.Diagnostics;
using PodLogs.Core;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri.V1;
using PodLogs.Runtime.Tests.Harness;
using PodLogs.Tests.Shared;
using static PodLogs.Runtime.Tests.ModuleUnderTest;
using CriState = PodLogs.Runtime.Cri.V1.ContainerState;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Issue #13 items 1–3 and 5 on a real containerd: the emulated kubelet rotates logs by rename and ReopenContainerLog under a
/// kubelet configuration written where the layout finds it; Measure-PodLog's owner, limits, segments and states; a real
/// <c>busybox tail -f</c> holding a segment kubelet deleted; a logrotate rule over /var/log/pods.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class CriRotationUsageTests(ContainerdHarness h) : IDisposable
{
    const string KubeletConfig = "/var/lib/kubelet/config.yaml";
    const long MaxSize = 16 * 1024;
    static readonly DateTime Stamp = new(2026, 3, 1, 10, 0, 0);
    static int _pods;
    readonly List<string> _written = [];
    readonly List<Process> _holders = [];

    RuntimeSourceOptions ViaCri() => new() { Kind = RuntimeSourceKind.Cri, CriEndpoint = ContainerdHarness.Endpoint, Timeout = TimeSpan.FromSeconds(20) };

    static (string Ns, string Pod) NewPod(string prefix)
    {
        var n = Interlocked.Increment(ref _pods);
        return ($"usage-{n}", $"{prefix}-{n}-6c8d7f9b5-q7w2e");
    }

    string Local(string nodePath) => h.ToLocal(nodePath);

    static long Own(string local) => Posix.LStat(local, out var s) == 0 ? s.AllocatedBytes : throw new FileNotFoundException(local);

    /// <summary>A file on the shared node, removed when the test ends (the other tests of the collection see the node without it).</summary>
    void WriteNodeFile(string nodePath, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Local(nodePath))!);
        File.WriteAllText(Local(nodePath), content);
        if (!_written.Contains(nodePath)) _written.Add(nodePath);
    }

    void WriteKubeletConfig(string maxSize = "16Ki") => WriteNodeFile(KubeletConfig,
        $"apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncontainerLogMaxSize: {maxSize}\ncontainerLogMaxFiles: 3\n");

    public void Dispose()
    {
        foreach (var p in _holders)
        {
            try { if (!p.HasExited) p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        foreach (var nodePath in _written) File.Delete(Local(nodePath));
    }

    [Fact]
    public async Task Kubelet_rotated_segments_count_with_the_kubelet_configs_limits_and_a_stopped_container_is_Exited()
    {
        WriteKubeletConfig();
        var (ns, name) = NewPod("rotated");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        // About 45 bytes every half second: the live file stays far below 16Ki while the test runs.
        var c = await h.Kubelet.StartContainerAsync(pod, "app", program: ContainerProgram.PrintForever(0.5));
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 3);
        var first = await h.Kubelet.RotateAsync(c, Stamp);
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 2);
        var second = await h.Kubelet.RotateAsync(c, Stamp.AddSeconds(1));
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 1);

        var (usages, policy, reporter) = Measure(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
        Assert.Equal(new Sourced<long>(MaxSize, KubeletConfig), policy.Kubelet.MaxSize);
        Assert.Equal(new Sourced<int>(3, KubeletConfig), policy.Kubelet.MaxFiles);
        var running = Assert.Single(usages);
        Assert.Equal((RotationOwner.Kubelet, KubeletConfig, (long?)MaxSize, (int?)3), (running.RotatedBy, running.RotatedBySource, running.MaxBytes, running.MaxFiles));
        Assert.Equal(PodLogs.Core.ContainerState.Running, running.State);
        // The two segments (containerd writes only the reopened file now), each once.
        Assert.True(running.RotatedBytes > 0);
        Assert.Equal(Own(Local(first)) + Own(Local(second)), running.RotatedBytes);
        Assert.Equal(3, running.FileCount);
        Assert.Equal(RotationState.WithinLimit, running.RotationState);

        // Kubelet no longer rotates a container that is not running (k8s #90334).
        await h.Client.StopContainerAsync(new StopContainerRequest { ContainerId = c.Id, Timeout = 0 });
        await h.Kubelet.WaitForStateAsync(c.Id, CriState.ContainerExited);
        var (after, _, afterReporter) = Measure(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.Empty(afterReporter.Errors);
        var stopped = Assert.Single(after);
        Assert.Equal(PodLogs.Core.ContainerState.Exited, stopped.State);
        Assert.Equal(RotationState.Exited, stopped.RotationState);
        Assert.Equal(RotationOwner.Kubelet, stopped.RotatedBy);
        Assert.Equal(running.RotatedBytes, stopped.RotatedBytes);
        // Nothing writes now: the whole container directory, as du counts it.
        Assert.Equal(RealDu.Total(Directory.GetFiles(Local(Path.GetDirectoryName(c.LogNodePath)!))), stopped.TotalBytes);

        await h.Kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task A_container_the_emulator_stops_rotating_grows_past_MaxBytes_and_is_OverLimit_by_the_difference()
    {
        WriteKubeletConfig();
        var (ns, name) = NewPod("unrotated");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var c = await h.Kubelet.StartContainerAsync(pod, "hog", program: ContainerProgram.PrintForever(0.005));
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 10);
        var segment = await h.Kubelet.RotateAsync(c, Stamp);
        // Rotated once, then never again (the rotation loop stopped, k8s #134324): the live file passes containerLogMaxSize.
        var live = Local(c.LogNodePath);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!File.Exists(live) || Own(live) <= MaxSize)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{c.LogNodePath} did not grow past {MaxSize} bytes");
            await Task.Delay(50);
        }

        var (usages, _, reporter) = Measure(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.Empty(reporter.Errors);
        var u = Assert.Single(usages);
        Assert.Equal((RotationOwner.Kubelet, (long?)MaxSize), (u.RotatedBy, u.MaxBytes));
        Assert.Equal(RotationState.OverLimit, u.RotationState);
        Assert.True(u.ActiveBytes > MaxSize);
        Assert.Equal(u.ActiveBytes - MaxSize, u.OverLimitBytes);
        Assert.Equal(Own(Local(segment)), u.RotatedBytes);
        Assert.Equal(2, u.FileCount);

        await h.Kubelet.RemovePodAsync(pod);
    }

    /// <summary>A real <c>busybox tail -f</c> on a local file, once it holds it open (its comm is "busybox").</summary>
    Process TailF(string local)
    {
        var start = new ProcessStartInfo("busybox") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "tail", "-f", local }) start.ArgumentList.Add(a);
        var tail = Process.Start(start)!;
        _holders.Add(tail);
        tail.OutputDataReceived += (_, _) => { };
        tail.ErrorDataReceived += (_, _) => { };
        tail.BeginOutputReadLine();
        tail.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!Directory.GetFiles($"/proc/{tail.Id}/fd").Any(fd => new FileInfo(fd).LinkTarget == local))
        {
            Assert.False(tail.HasExited, "busybox tail exited");
            Assert.True(DateTime.UtcNow < deadline, $"busybox tail did not open {local}");
            Thread.Sleep(20);
        }
        return tail;
    }

    [Fact]
    public async Task A_busybox_tail_f_holding_a_segment_kubelet_deleted_is_found_with_its_bytes_and_is_gone_once_it_exits()
    {
        var (ns, name) = NewPod("tailed");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var c = await h.Kubelet.StartContainerAsync(pod, "app", program: ContainerProgram.PrintForever(0.02));
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 20);
        // A shipper follows N.log by descriptor; kubelet rotates it, the runtime writes the reopened file, and kubelet's cleanup
        // deletes the segment past containerLogMaxFiles while the shipper still holds it.
        var tail = TailF(Local(c.LogNodePath));
        var segment = await h.Kubelet.RotateAsync(c, Stamp);
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 1);
        Assert.Equal(0, Posix.LStat(Local(segment), out var held));
        File.Delete(Local(segment));
        var layout = NodeLayout.Load(new NodeLayoutOptions { Root = h.NodeRoot }, new CollectingReporter());

        var reporter = new CollectingReporter();
        var handle = Assert.Single(LogHandleScanner.Scan(layout, "/proc", reporter), x => x.ProcessId == tail.Id);
        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
        Assert.True(handle.Deleted);
        Assert.Equal(segment, handle.Path);
        Assert.Equal("busybox", handle.ProcessName);
        Assert.True(handle.Bytes > 0);
        Assert.Equal((held.Size, held.Inode), (handle.Size, handle.Inode));
        // Blocks are compared with a stat through the holder's descriptor now, not with the lstat before the delete: a
        // filesystem may still change a closed file's allocation (XFS trims its speculative preallocation, delayed allocation).
        Assert.Equal(0, Posix.Stat($"/proc/{tail.Id}/fd/{handle.FileDescriptor}", out var now));
        Assert.Equal((now.Inode, now.AllocatedBytes), (handle.Inode, handle.Bytes));
        Assert.Equal((ns, name, pod.Uid, "app", (int?)0), (handle.Namespace, handle.PodName, handle.PodUid, handle.ContainerName, handle.RestartCount));

        var (usages, _, measureReporter) = Measure(ViaCri(), h.NodeRoot, Pod(ns, name), procPath: "/proc");
        Assert.Empty(measureReporter.Errors);
        var u = Assert.Single(usages);
        Assert.Equal(0, Posix.Stat($"/proc/{tail.Id}/fd/{handle.FileDescriptor}", out var measured));
        Assert.Equal(measured.AllocatedBytes, u.DeletedOpenBytes);
        Assert.Equal(0, u.RotatedBytes);   // a deleted segment is no file on disk: only the process's hold counts it
        Assert.Equal(1, u.FileCount);

        // The holder goes between two scans: the second has no record of it and says nothing wrong.
        tail.Kill();
        tail.WaitForExit();
        var again = new CollectingReporter();
        Assert.DoesNotContain(LogHandleScanner.Scan(layout, "/proc", again), x => x.ProcessId == tail.Id);
        Assert.Empty(again.Errors);
        Assert.Empty(again.Warnings);
        Assert.Equal(0, Assert.Single(Measure(ViaCri(), h.NodeRoot, Pod(ns, name), procPath: "/proc").Usages).DeletedOpenBytes);

        await h.Kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task A_logrotate_copytruncate_rule_over_var_log_pods_is_one_warning_naming_it_and_the_kubelet_config_and_owns_what_kubelet_does_not_rotate()
    {
        const string rule = "/etc/logrotate.d/kubernetes-pods";
        WriteKubeletConfig();
        WriteNodeFile(rule, "/var/log/pods/*/*/*.log {\n    rotate 5\n    size 10M\n    missingok\n    copytruncate\n}\n");
        Logrotate.AssertAccepts(Local(rule));
        var (ns, name) = NewPod("copytruncated");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var a = await h.Kubelet.StartContainerAsync(pod, "a", program: ContainerProgram.PrintLines(3));
        var b = await h.Kubelet.StartContainerAsync(pod, "b", program: ContainerProgram.PrintLines(3));
        await h.Kubelet.WaitForLinesAsync(a.LogNodePath, 3);
        await h.Kubelet.WaitForLinesAsync(b.LogNodePath, 3);

        var (usages, policy, reporter) = Measure(ViaCri(), h.NodeRoot, Pod(ns, name));
        var lr = Assert.Single(policy.LogrotateRules);
        Assert.Equal((rule, true, (int?)5, (long?)10 * 1024 * 1024), (lr.File, lr.CopyTruncate, lr.Rotate, lr.SizeBytes));
        Assert.Equal(["/var/log/pods"], lr.CoveredRoots);
        // Kubelet still rotates; the rule fights it: one warning for the node, naming both files under -Root.
        Assert.Equal(2, usages.Count);
        Assert.All(usages, u => Assert.Equal((RotationOwner.Kubelet, KubeletConfig), (u.RotatedBy!.Value, u.RotatedBySource)));
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains($"in {Local(rule)} (", warning);
        Assert.Contains($"({Local(KubeletConfig)})", warning);
        Assert.Contains("copytruncate", warning);

        // containerLogMaxSize 0 turns kubelet's rotation off: the rule is then the owner, with its own limits, and no conflict.
        WriteKubeletConfig("\"0\"");
        var (owned, _, ownedReporter) = Measure(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.Empty(ownedReporter.Warnings);
        Assert.All(owned, u => Assert.Equal((RotationOwner.Logrotate, rule, (long?)10 * 1024 * 1024, (int?)6), (u.RotatedBy!.Value, u.RotatedBySource, u.MaxBytes, u.MaxFiles)));

        await h.Kubelet.RemovePodAsync(pod);
    }
}
