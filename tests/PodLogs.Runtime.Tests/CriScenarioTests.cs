using PodLogs.Core;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri.V1;
using PodLogs.Runtime.Tests.Harness;
using static PodLogs.Runtime.Tests.ModuleUnderTest;
using CoreState = PodLogs.Core.ContainerState;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Break a containerd node (kubelet emulated on CRI) the way users do and check that inspection finds
/// each case and repair restores exactly kubelet's legacy links, and nothing it must not write.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class CriScenarioTests(ContainerdHarness h)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    static int _pods;

    RuntimeSourceOptions ViaCri(RuntimeSourceKind kind = RuntimeSourceKind.Cri) =>
        new() { Kind = kind, CriEndpoint = kind == RuntimeSourceKind.Cri ? ContainerdHarness.Endpoint : null, Timeout = Timeout };

    static (string Ns, string Pod) NewPod(string prefix)
    {
        var n = Interlocked.Increment(ref _pods);
        return ($"cri-{n}", $"{prefix}-{n}-6c8d7f9b5-q7w2e");
    }

    List<ContainerLogLink> InspectPod(EmulatedPod pod, RuntimeSourceKind kind = RuntimeSourceKind.Cri) =>
        Inspect(ViaCri(kind), h.NodeRoot, Pod(pod.Namespace, pod.Name)).Links;

    string Local(string nodePath) => h.ToLocal(nodePath);

    [Fact]
    public async Task A_containerd_pod_is_healthy_with_regular_files_and_legacy_links()
    {
        var (ns, name) = NewPod("web");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var c = await h.Kubelet.StartContainerAsync(pod, "app", 2, ContainerProgram.PrintLines(3));
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 3);

        var links = InspectPod(pod);
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.Equal(LinkStatus.Healthy, l.Status));
        Assert.All(links, l => Assert.Equal("Cri", l.Source));
        Assert.All(links, l => Assert.Equal(CoreState.Running, l.State));
        var log = Assert.Single(links, l => l.Kind == LogEntryKind.PodLog);
        Assert.Equal(LinkType.File, log.LinkType);
        Assert.Equal(c.Id, log.ContainerId);
        Assert.Equal(2, log.RestartCount);
        Assert.Equal(c.LogNodePath, Assert.Single(links, l => l.Kind == LogEntryKind.Legacy).Target);
    }

    [Fact]
    public async Task Deleted_and_wiped_legacy_links_come_back_with_kubelets_names_and_targets()
    {
        var (ns, name) = NewPod("wiped");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var a = await h.Kubelet.StartContainerAsync(pod, "a", 0, ContainerProgram.PrintLines(1));
        var b = await h.Kubelet.StartContainerAsync(pod, "b", 4, ContainerProgram.PrintLines(1));
        Assert.True(a.LegacyLinkCreated && b.LegacyLinkCreated);
        File.Delete(Local(a.LegacyLinkNodePath));
        Assert.Equal(LinkStatus.Missing, Assert.Single(InspectPod(pod), l => l.NodePath == a.LegacyLinkNodePath).Status);

        Directory.Delete(Local(KubeletPaths.DefaultContainerLogsDirectory), recursive: true);
        Assert.Equal(2, InspectPod(pod).Count(l => l.Kind == LogEntryKind.Legacy && l.Status == LinkStatus.Missing));

        var (results, reporter) = Repair(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.Empty(reporter.Errors);
        Assert.Equal([a.LegacyLinkNodePath, b.LegacyLinkNodePath], results.Select(r => r.NodePath).Order(StringComparer.Ordinal));
        Assert.Equal(a.LogNodePath, ReadLink(Local(a.LegacyLinkNodePath)));
        Assert.Equal(b.LogNodePath, ReadLink(Local(b.LegacyLinkNodePath)));
        Assert.All(InspectPod(pod), l => Assert.Equal(LinkStatus.Healthy, l.Status));
    }

    [Fact]
    public async Task A_running_containers_missing_file_is_transient_refused_by_repair_and_reopened_by_the_runtime()
    {
        var (ns, name) = NewPod("reopen");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var c = await h.Kubelet.StartContainerAsync(pod, "app", 0, ContainerProgram.PrintForever(0.2));
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 1);
        File.Move(Local(c.LogNodePath), Local(c.LogNodePath) + ".20261126-120000");

        var missing = Assert.Single(InspectPod(pod), l => l.NodePath == c.LogNodePath);
        Assert.Equal(LinkStatus.Missing, missing.Status);
        Assert.True(missing.IsTransient);
        Assert.Contains("containerLogMonitorInterval", missing.Reason);
        Assert.Single(missing.RotatedFiles);

        var (results, reporter) = Repair(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.DoesNotContain(results, r => r.Kind == LogEntryKind.PodLog);
        Assert.Contains(reporter.Errors, e => e.ErrorId == "RuntimeOwnsLogFile");
        Assert.False(File.Exists(Local(c.LogNodePath)));

        // What kubelet's log manager does for a running container whose file is missing.
        await h.Client.ReopenContainerLogAsync(new ReopenContainerLogRequest { ContainerId = c.Id });
        await h.Kubelet.WaitForLinesAsync(c.LogNodePath, 1);
        Assert.All(InspectPod(pod), l => Assert.Equal(LinkStatus.Healthy, l.Status));
    }

    [Fact]
    public async Task An_old_instances_legacy_link_is_Healthy_while_the_runtime_keeps_it_and_Orphaned_after_it_is_removed()
    {
        var (ns, name) = NewPod("restarts");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var first = await h.Kubelet.StartContainerAsync(pod, "app", 0, ContainerProgram.PrintLines(1, keepRunning: false));
        await h.Kubelet.WaitForStateAsync(first.Id, PodLogs.Runtime.Cri.V1.ContainerState.ContainerExited);
        var second = await h.Kubelet.RestartAsync(first, ContainerProgram.PrintLines(1));

        var links = InspectPod(pod);
        var old = Assert.Single(links, l => l.NodePath == first.LegacyLinkNodePath);
        Assert.Equal(LinkStatus.Healthy, old.Status);
        Assert.Equal(CoreState.Exited, old.State);
        Assert.Equal(LinkStatus.Healthy, Assert.Single(links, l => l.NodePath == second.LegacyLinkNodePath).Status);

        // Kubelet's GC removes the dead instance; its file and link stay when kubelet did not clean them (runtime state lost).
        await h.Client.RemoveContainerAsync(new RemoveContainerRequest { ContainerId = first.Id });
        links = InspectPod(pod);
        Assert.Equal(LinkStatus.Orphaned, Assert.Single(links, l => l.NodePath == first.LegacyLinkNodePath).Status);
        Assert.Equal(LinkStatus.Orphaned, Assert.Single(links, l => l.NodePath == first.LogNodePath).Status);
        Assert.Equal(LinkStatus.Healthy, Assert.Single(links, l => l.NodePath == second.LogNodePath).Status);
    }

    [Fact]
    public async Task Docker_links_left_behind_after_the_switch_to_containerd_are_Orphaned_and_left_alone()
    {
        var (ns, name) = NewPod("switched");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        await h.Kubelet.StartContainerAsync(pod, "app", 3, ContainerProgram.PrintLines(1));
        var dockerId = Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();
        var json = DockershimNames.JsonLogPath("/var/lib/docker", dockerId);
        Directory.CreateDirectory(Path.GetDirectoryName(Local(json))!);
        File.WriteAllText(Local(json), "{\"log\":\"before the switch\\n\",\"stream\":\"stdout\",\"time\":\"2026-01-01T00:00:00Z\"}\n");
        var oldLog = NodePath.Combine(pod.LogDirectory, "app", "2.log");
        File.CreateSymbolicLink(Local(oldLog), json);

        var entry = Assert.Single(InspectPod(pod), l => l.NodePath == oldLog);
        Assert.Equal(LinkStatus.Orphaned, entry.Status);
        Assert.Contains("docker's data root", entry.Reason);
        var (results, _) = Repair(ViaCri(), h.NodeRoot, Pod(ns, name));
        Assert.Empty(results);
        Assert.Equal(json, ReadLink(Local(oldLog)));
    }

    [Fact]
    public async Task Auto_follows_kubelets_configured_endpoint_and_ContainerdFiles_sees_the_running_containers()
    {
        var (ns, name) = NewPod("auto");
        var pod = await h.Kubelet.RunPodAsync(ns, name);
        var c = await h.Kubelet.StartContainerAsync(pod, "app", 1, ContainerProgram.PrintLines(2));
        var config = Local("/var/lib/kubelet/config.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(config)!);
        File.WriteAllText(config, "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncontainerRuntimeEndpoint: unix:///run/containerd/containerd.sock\n");
        try
        {
            var (links, _, snapshot) = Inspect(ViaCri(RuntimeSourceKind.Auto), h.NodeRoot, Pod(ns, name));
            Assert.Equal("Cri", snapshot?.SourceName);
            Assert.All(links, l => Assert.Equal(LinkStatus.Healthy, l.Status));

            var (fileLinks, _, fileSnapshot) = Inspect(new RuntimeSourceOptions { Kind = RuntimeSourceKind.ContainerdFiles }, h.NodeRoot, Pod(ns, name));
            Assert.Equal("ContainerdFiles", fileSnapshot?.SourceName);
            var log = Assert.Single(fileLinks, l => l.Kind == LogEntryKind.PodLog);
            Assert.Equal(c.Id, log.ContainerId);
            Assert.True(log.RestartCountInferred);
            Assert.Equal(1, log.RestartCount);
        }
        finally
        {
            File.Delete(config);
        }
    }
}
