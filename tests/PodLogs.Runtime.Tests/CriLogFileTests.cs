using System.Globalization;
using System.Text.RegularExpressions;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Runtime.Tests.Harness;
using CriState = PodLogs.Runtime.Cri.V1.ContainerState;

namespace PodLogs.Runtime.Tests;

/// <summary>What a real containerd writes where the emulated kubelet told it to, and kubelet's legacy links and rotation on top.</summary>
[Collection(ContainerdCollection.Name)]
public sealed partial class CriLogFileTests(ContainerdHarness containerd)
{
    // k8s.io/cri-client parseCRILog: "<RFC3339Nano> <stdout|stderr> <P|F>[:tags] <content>", single spaces.
    [GeneratedRegex(@"^(?<time>\S+) (?<stream>stdout|stderr) (?<tag>[PF])(:\S*)? (?<content>.*)$")]
    private static partial Regex CriLine();

    static (DateTimeOffset Time, string Stream, string Tag, string Content) Parse(string line)
    {
        var m = CriLine().Match(line);
        Assert.True(m.Success, $"not a CRI log line: '{line}'");
        var time = DateTimeOffset.Parse(m.Groups["time"].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return (time, m.Groups["stream"].Value, m.Groups["tag"].Value, m.Groups["content"].Value);
    }

    static int Number(string content) => int.Parse(content["line ".Length..], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Containerd_writes_cri_lines_into_the_kubelet_path_and_the_legacy_link_points_there()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var pod = await containerd.Kubelet.RunPodAsync("logs", "writer-5d8f", "6c1f0b9e-2a3d-4e5f-8a7b-9c0d1e2f3a4b");
        var c = await containerd.Kubelet.StartContainerAsync(pod, "printer", program: ContainerProgram.PrintLines(20));

        Assert.Equal("/var/log/pods/logs_writer-5d8f_6c1f0b9e-2a3d-4e5f-8a7b-9c0d1e2f3a4b/printer/0.log", c.LogNodePath);
        var lines = await containerd.Kubelet.WaitForLinesAsync(c.LogNodePath, 21);
        var parsed = lines.Select(Parse).ToList();
        var stdout = parsed.Where(p => p.Stream == "stdout").ToList();
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"line {i}"), stdout.Select(p => p.Content));
        Assert.Equal("stderr 1", Assert.Single(parsed, p => p.Stream == "stderr").Content);
        Assert.All(parsed, p => Assert.Equal("F", p.Tag));
        Assert.All(parsed, p => Assert.InRange(p.Time, before, DateTimeOffset.UtcNow.AddSeconds(5)));

        // A regular file the runtime created (mode 0640), not a link.
        var local = containerd.ToLocal(c.LogNodePath);
        Assert.Null(new FileInfo(local).LinkTarget);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(local));

        // kubelet's legacy link: its name from legacyLogSymlink, its text the node-absolute N.log.
        Assert.True(c.LegacyLinkCreated);
        Assert.Equal($"/var/log/containers/writer-5d8f_logs_printer-{c.Id}.log", c.LegacyLinkNodePath);
        Assert.Equal(c.LogNodePath, new FileInfo(containerd.ToLocal(c.LegacyLinkNodePath)).LinkTarget);
        // Resolved chroot-style under the node root, it ends at the file containerd writes.
        var resolved = new NodeRoot(containerd.NodeRoot).Resolve(c.LegacyLinkNodePath);
        Assert.True(resolved.IsResolved);
        Assert.Equal(c.LogNodePath, resolved.NodePath);
        Assert.Equal(FileKind.RegularFile, resolved.Status.Kind);

        await containerd.Kubelet.RemovePodAsync(pod);
        // containerd leaves the files (kubelet's GC removes them): they outlive the pod.
        Assert.True(File.Exists(local));
    }

    [Fact]
    public async Task A_restart_is_a_new_attempt_with_its_own_file_id_and_link()
    {
        var pod = await containerd.Kubelet.RunPodAsync("logs", "restarter");
        var first = await containerd.Kubelet.StartContainerAsync(pod, "app", program: ContainerProgram.PrintLines(3));
        await containerd.Kubelet.WaitForLinesAsync(first.LogNodePath, 3, l => l.Contains(" stdout "));
        var second = await containerd.Kubelet.RestartAsync(first, ContainerProgram.PrintLines(4));
        await containerd.Kubelet.WaitForLinesAsync(second.LogNodePath, 4, l => l.Contains(" stdout "));

        Assert.Equal(1, second.Attempt);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(KubeletPaths.BuildContainerLogFile(KubeletPaths.DefaultPodLogsDirectory, "logs", "restarter", pod.Uid, "app", 1), second.LogNodePath);
        Assert.Equal(CriState.ContainerExited, (await containerd.Kubelet.StatusAsync(first.Id)).State);
        Assert.Equal(["0.log", "1.log"], Directory.GetFiles(containerd.ToLocal(NodePath.Combine(pod.LogDirectory, "app"))).Select(Path.GetFileName).Order());
        // Both links stay: kubelet never removes the old one while the old instance is kept.
        Assert.Equal(first.LogNodePath, new FileInfo(containerd.ToLocal(first.LegacyLinkNodePath)).LinkTarget);
        Assert.Equal(second.LogNodePath, new FileInfo(containerd.ToLocal(second.LegacyLinkNodePath)).LinkTarget);

        await containerd.Kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task Rotation_renames_and_ReopenContainerLog_makes_a_new_file()
    {
        var pod = await containerd.Kubelet.RunPodAsync("logs", "rotator");
        var c = await containerd.Kubelet.StartContainerAsync(pod, "ticker", program: ContainerProgram.PrintForever(0.02));
        await containerd.Kubelet.WaitForLinesAsync(c.LogNodePath, 5);
        var local = containerd.ToLocal(c.LogNodePath);
        Posix.LStat(local, out var before);

        var rotated = await containerd.Kubelet.RotateAsync(c);

        Assert.Matches(@"/0\.log\.\d{8}-\d{6}$", rotated);
        Assert.True(KubeletPaths.TryParseContainerLogFileName(NodePath.FileName(rotated), out var name) && name.RestartCount == 0 && !name.IsLive);
        var fresh = await containerd.Kubelet.WaitForLinesAsync(c.LogNodePath, 5);
        Posix.LStat(local, out var after);
        Assert.NotEqual(before.Inode, after.Inode);
        // The rotated file kept the lines written before the rename; the new one continues the count.
        var old = File.ReadAllLines(containerd.ToLocal(rotated)).Select(Parse).Select(p => Number(p.Content)).ToList();
        var next = fresh.Select(Parse).Select(p => Number(p.Content)).ToList();
        Assert.Equal(Enumerable.Range(1, old.Count), old);
        Assert.True(next[0] > old[^1], $"new file starts at {next[0]}, rotated one ends at {old[^1]}");
        Assert.Equal(Enumerable.Range(next[0], next.Count), next);
        // The runtime still reports the same path: rotation is invisible to it.
        Assert.Equal(c.LogNodePath, (await containerd.Kubelet.StatusAsync(c.Id)).LogPath);
        // The legacy link still resolves: it names the path, not the inode.
        Assert.True(new NodeRoot(containerd.NodeRoot).Resolve(c.LegacyLinkNodePath).IsResolved);

        await containerd.Kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task A_missing_live_file_comes_back_on_ReopenContainerLog()
    {
        // kubelet's log manager reopens a running container's log when N.log is gone (processContainer).
        var pod = await containerd.Kubelet.RunPodAsync("logs", "reopener");
        var c = await containerd.Kubelet.StartContainerAsync(pod, "ticker", program: ContainerProgram.PrintForever(0.02));
        await containerd.Kubelet.WaitForLinesAsync(c.LogNodePath, 2);
        File.Delete(containerd.ToLocal(c.LogNodePath));

        await containerd.Kubelet.Client.ReopenContainerLogAsync(new Cri.V1.ReopenContainerLogRequest { ContainerId = c.Id });
        await containerd.Kubelet.WaitForLinesAsync(c.LogNodePath, 2);

        await containerd.Kubelet.RemovePodAsync(pod);
    }
}
