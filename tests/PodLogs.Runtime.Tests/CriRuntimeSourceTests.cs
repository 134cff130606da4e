using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri;
using PodLogs.Runtime.Tests.Harness;
using CriState = PodLogs.Runtime.Cri.V1.ContainerState;

namespace PodLogs.Runtime.Tests;

/// <summary>CriRuntimeSource reading a real containerd that the emulated kubelet fed, under -Root = the harness's node root.</summary>
[Collection(ContainerdCollection.Name)]
public sealed class CriRuntimeSourceTests(ContainerdHarness containerd)
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    NodeLayout Layout() => NodeLayout.Load(new NodeLayoutOptions { Root = containerd.NodeRoot }, new CollectingReporter());

    RuntimeSnapshot Read(CollectingReporter? reporter = null, string endpoint = ContainerdHarness.Endpoint) =>
        new CriRuntimeSource(endpoint, Timeout).Read(Layout(), reporter ?? new CollectingReporter(), CancellationToken.None)
        ?? throw new Xunit.Sdk.XunitException("The CRI source found no Kubernetes containers.");

    [Fact]
    public async Task Lists_running_and_exited_instances_with_identity_attempt_log_path_and_sandbox()
    {
        var kubelet = containerd.Kubelet;
        var pod = await kubelet.RunPodAsync("team-a", "web-0");
        var app0 = await kubelet.StartContainerAsync(pod, "app");
        var sidecar = await kubelet.StartContainerAsync(pod, "sidecar", program: ContainerProgram.PrintLines(2, keepRunning: false));
        var app1 = await kubelet.RestartAsync(app0);
        await kubelet.WaitForStateAsync(app0.Id, CriState.ContainerExited);
        await kubelet.WaitForStateAsync(sidecar.Id, CriState.ContainerExited);
        var app1Status = await kubelet.WaitForStateAsync(app1.Id, CriState.ContainerRunning);

        var reporter = new CollectingReporter();
        var layout = Layout();
        var snapshot = new CriRuntimeSource(ContainerdHarness.Endpoint, Timeout).Read(layout, reporter, CancellationToken.None)!;

        Assert.Equal(RuntimeKind.Cri, snapshot.Kind);
        Assert.Equal(CriRuntimeSource.SourceName, snapshot.SourceName);
        Assert.Empty(reporter.Errors);
        Assert.Contains(reporter.VerboseMessages, m => m.Contains("containerd") && m.Contains(ContainerdHarness.Endpoint));
        var mine = snapshot.Containers.Where(c => c.PodUid == pod.Uid).ToList();
        Assert.Equal(3, mine.Count);
        // Deterministic order: namespace, pod, uid, container, attempt.
        Assert.Equal([app0.Id, app1.Id, sidecar.Id], mine.Select(c => c.Id));

        foreach (var (c, expected, state) in new[] { (mine[0], app0, ContainerState.Exited), (mine[1], app1, ContainerState.Running), (mine[2], sidecar, ContainerState.Exited) })
        {
            Assert.Equal("team-a", c.Namespace);
            Assert.Equal("web-0", c.PodName);
            Assert.Equal(pod.Uid, c.PodUid);
            Assert.Equal(expected.Name, c.ContainerName);
            Assert.Equal(expected.Attempt, c.RestartCount);
            Assert.Equal(state, c.State);
            Assert.Equal(pod.SandboxId, c.SandboxId);
            Assert.Equal("Cri", c.SourceName);
            Assert.Null(c.DockerJsonLogPath);
            Assert.Null(c.LogDriver);
            Assert.True(c.HasValidIdentity);
            // Node-absolute, as on a node, and equal to what kubelet's rules build from the identity.
            Assert.Equal(expected.LogNodePath, c.LogPath);
            Assert.Equal(RuntimeSnapshot.ExpectedLogFile(layout, c), c.LogPath);
            Assert.NotNull(c.StartedAt);
        }
        Assert.Equal("/var/log/pods/team-a_web-0_" + pod.Uid + "/app/1.log", mine[1].LogPath);
        Assert.Equal(CriRuntimeSource.FromUnixNanoseconds(app1Status.StartedAt), mine[1].StartedAt);
        Assert.True(mine[1].StartedAt > mine[0].StartedAt);

        // The snapshot indexes them the way inspection asks: by kubelet's path and by pod.
        Assert.Equal(app1.Id, snapshot.FindOwnerOfLogFile(app1.LogNodePath)?.Id);
        Assert.Equal(app0.Id, snapshot.FindOwnerOfLogFile(app0.LogNodePath)?.Id);
        Assert.Equal([app0.Id, app1.Id], snapshot.InstancesOf("team-a", "web-0", pod.Uid, "app").Select(c => c.Id));

        await kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task Inspection_under_the_node_root_sees_kubelets_layout_as_healthy()
    {
        var kubelet = containerd.Kubelet;
        var pod = await kubelet.RunPodAsync("team-b", "api-7f9c");
        var c0 = await kubelet.StartContainerAsync(pod, "server");
        var c1 = await kubelet.RestartAsync(c0);
        Assert.True(c0.LegacyLinkCreated && c1.LegacyLinkCreated);

        var reporter = new CollectingReporter();
        var layout = Layout();
        var snapshot = new CriRuntimeSource(ContainerdHarness.Endpoint, Timeout).Read(layout, reporter, CancellationToken.None);
        var records = new LinkInspector(layout, snapshot, reporter).InspectNode(new LogSelection { PodUid = pod.Uid }).ToList();

        Assert.Empty(reporter.Errors);
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.True(r.Status == LinkStatus.Healthy, $"{r.NodePath}: {r.Status} {r.Reason}"));
        Assert.Contains(records, r => r.NodePath == c1.LegacyLinkNodePath && r.ContainerId == c1.Id);
        Assert.Contains(records, r => r.NodePath == c1.LogNodePath && r.RestartCount == 1);
        Assert.Contains(records, r => r.NodePath == c0.LogNodePath && r.RestartCount == 0);

        await kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task Skips_containers_kubelet_did_not_make_and_reports_invalid_identities()
    {
        var kubelet = containerd.Kubelet;
        var foreign = await kubelet.RunPodAsync("other", "not-kubelets", kubernetesLabels: false);
        var unlabelled = await kubelet.StartContainerAsync(foreign, "plain", labels: new Dictionary<string, string> { ["app"] = "x" });
        var pod = await kubelet.RunPodAsync("team-c", "mixed");
        var good = await kubelet.StartContainerAsync(pod, "good");
        var bad = await kubelet.StartContainerAsync(pod, "bad", labels: new Dictionary<string, string>
        {
            [DockershimNames.PodNameLabel] = pod.Name,
            [DockershimNames.PodNamespaceLabel] = "Not_A_Namespace",
            [DockershimNames.PodUidLabel] = pod.Uid,
            [DockershimNames.ContainerNameLabel] = "bad",
        });
        var conflicting = await kubelet.StartContainerAsync(pod, "meta-name", labels: new Dictionary<string, string>
        {
            [DockershimNames.PodNameLabel] = pod.Name,
            [DockershimNames.PodNamespaceLabel] = pod.Namespace,
            [DockershimNames.PodUidLabel] = pod.Uid,
            [DockershimNames.ContainerNameLabel] = "label-name",
        });

        var reporter = new CollectingReporter();
        var threads = new ThreadRecordingReporter(reporter);
        var snapshot = new CriRuntimeSource(ContainerdHarness.Endpoint, Timeout).Read(Layout(), threads, CancellationToken.None)!;

        // A cmdlet may write only from its pipeline thread: every report comes on the thread that called Read.
        Assert.NotEmpty(threads.ThreadIds);
        Assert.All(threads.ThreadIds, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
        Assert.DoesNotContain(snapshot.Containers, c => c.Id == unlabelled.Id);
        Assert.Contains(snapshot.Containers, c => c.Id == good.Id);
        Assert.DoesNotContain(snapshot.Containers, c => c.Id == bad.Id || c.Id == conflicting.Id);
        var invalid = Assert.Single(reporter.Errors, e => e.Message.Contains(bad.Id));
        Assert.Equal("ContainerIdentityInvalid", invalid.ErrorId);
        Assert.Equal(FailureCategory.InvalidData, invalid.Category);
        Assert.Contains("Not_A_Namespace", invalid.Message);
        Assert.Equal(containerd.SocketPath, invalid.TargetPath);
        var conflict = Assert.Single(reporter.Errors, e => e.Message.Contains(conflicting.Id));
        Assert.Equal("ContainerIdentityConflict", conflict.ErrorId);
        Assert.DoesNotContain(reporter.Errors, e => e.Message.Contains(unlabelled.Id));

        await kubelet.RemovePodAsync(foreign);
        await kubelet.RemovePodAsync(pod);
    }

    [Fact]
    public async Task A_bare_socket_path_and_the_reflection_factory_reach_the_same_runtime()
    {
        var pod = await containerd.Kubelet.RunPodAsync("team-d", "factory");
        var c = await containerd.Kubelet.StartContainerAsync(pod, "only");

        var bare = Read(endpoint: ContainerdHarness.SocketNodePath);
        Assert.Contains(bare.Containers, x => x.Id == c.Id);

        // The module calls the factory by reflection from its private load context.
        var factory = typeof(RuntimeSources).GetMethod("CreateCri", [typeof(string), typeof(TimeSpan)])!;
        var source = (IRuntimeSource)factory.Invoke(null, [ContainerdHarness.Endpoint, Timeout])!;
        Assert.Equal("Cri", source.Name);
        var viaFactory = source.Read(Layout(), new CollectingReporter(), CancellationToken.None);
        Assert.Contains(viaFactory!.Containers, x => x.Id == c.Id && x.RestartCount == 0 && x.State == ContainerState.Running);

        await containerd.Kubelet.RemovePodAsync(pod);
    }
}

sealed class ThreadRecordingReporter(IPodLogsReporter inner) : IPodLogsReporter
{
    public List<int> ThreadIds { get; } = [];
    public void Error(PodLogsFailure failure) { ThreadIds.Add(Environment.CurrentManagedThreadId); inner.Error(failure); }
    public void Warning(string message) { ThreadIds.Add(Environment.CurrentManagedThreadId); inner.Warning(message); }
    public void Verbose(string message) { ThreadIds.Add(Environment.CurrentManagedThreadId); inner.Verbose(message); }
}

/// <summary>A containerd with no Kubernetes container: probing it must not claim the node.</summary>
public sealed class CriProbeTests
{
    [Fact]
    public async Task A_containerd_without_kubernetes_containers_reads_as_null()
    {
        var other = new ContainerdHarness(importImages: true);
        await other.InitializeAsync();
        try
        {
            var reporter = new CollectingReporter();
            var layout = NodeLayout.Load(new NodeLayoutOptions { Root = other.NodeRoot }, reporter);
            var source = new CriRuntimeSource(ContainerdHarness.Endpoint, TimeSpan.FromSeconds(20));

            Assert.Null(source.Read(layout, reporter, CancellationToken.None));   // nothing at all

            // Like dockerd's own containerd or nerdctl: containers, but none with io.kubernetes.pod.uid.
            var pod = await other.Kubelet.RunPodAsync("default", "plain", kubernetesLabels: false);
            await other.Kubelet.StartContainerAsync(pod, "c", labels: new Dictionary<string, string>());
            Assert.Null(source.Read(layout, reporter, CancellationToken.None));
            Assert.Empty(reporter.Errors);
            Assert.Contains(reporter.VerboseMessages, m => m.Contains("1 containers, none of them Kubernetes containers"));
        }
        finally
        {
            await other.DisposeAsync();
        }
        Assert.False(Directory.Exists(other.Directory));
        Assert.False(Signals.IsRunning(other.ContainerdPid));
    }

    [Fact]
    public async Task A_containerd_with_its_cri_plugin_disabled_reads_as_null()
    {
        // dockerd's own containerd (namespace moby) runs with the CRI plugin disabled: it answers gRPC, not CRI.
        var dockers = new ContainerdHarness(importImages: false, criPlugin: false);
        await dockers.InitializeAsync();
        try
        {
            var reporter = new CollectingReporter();
            var layout = NodeLayout.Load(new NodeLayoutOptions { Root = dockers.NodeRoot }, reporter);
            Assert.Null(new CriRuntimeSource(ContainerdHarness.Endpoint, TimeSpan.FromSeconds(20)).Read(layout, reporter, CancellationToken.None));
            Assert.Empty(reporter.Errors);
            Assert.Contains(reporter.VerboseMessages, m => m.Contains("does not serve CRI runtime.v1"));
        }
        finally
        {
            await dockers.DisposeAsync();
        }
    }
}
