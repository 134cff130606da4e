using PodLogs.Core.Paths;
using PodLogs.Core.Samples;
using S = PodLogs.Core.Samples.SampleNode;

namespace PodLogs.Core.Tests;

/// <summary>The embedded sample node (the origin article's example plus deliberate breakage), inspected and repaired.</summary>
public sealed class SampleNodeTests : IDisposable
{
    readonly FakeNode _node = new();

    public SampleNodeTests() => SampleNode.Create(_node.Root);

    public void Dispose() => _node.Dispose();

    static string PodLog(string ns, string pod, string uid, string container, int n) =>
        KubeletPaths.BuildContainerLogFile("/var/log/pods", ns, pod, uid, container, n);

    static string Legacy(string pod, string ns, string container, string id) =>
        KubeletPaths.LegacyLinkPath("/var/log/containers", pod, ns, container, id);

    static string Json(string id) => DockershimNames.JsonLogPath("/var/lib/docker", id);

    static readonly string Reloader1 = PodLog("default", S.ReloaderPod, S.ReloaderUid, "stakater-reloader", 1);
    static readonly string Reloader6 = PodLog("default", S.ReloaderPod, S.ReloaderUid, "stakater-reloader", 6);
    static readonly string Reloader7 = PodLog("default", S.ReloaderPod, S.ReloaderUid, "stakater-reloader", 7);
    static readonly string Istio3 = PodLog("istio-system", S.IstioPod, S.IstioUid, "istio-proxy", 3);
    static readonly string Istio4 = PodLog("istio-system", S.IstioPod, S.IstioUid, "istio-proxy", 4);
    static readonly string Coredns = PodLog("kube-system", S.CorednsPod, S.CorednsUid, "coredns", 0);
    static readonly string ApiServer = PodLog("kube-system", S.ApiServerPod, S.ApiServerUid, "kube-apiserver", 0);
    static readonly string LongPod = PodLog(S.LongPodNamespace, S.LongPod, S.LongPodUid, "exporter", 0);
    static readonly string Forger = PodLog("default", S.ForgerPod, S.ForgerUid, "forger", 0);

    static readonly Dictionary<string, LinkStatus> Expected = new()
    {
        [Reloader1] = LinkStatus.Healthy,
        [Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader1)] = LinkStatus.Healthy,
        [Reloader6] = LinkStatus.Missing,                                                            // kubelet restarted mid-start
        [Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader6)] = LinkStatus.Dangling,  // … so its legacy link dangles
        [Reloader7] = LinkStatus.Healthy,
        [Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader7)] = LinkStatus.Missing,
        [Istio3] = LinkStatus.Healthy,
        [Legacy(S.IstioPod, "istio-system", "istio-proxy", S.Istio3)] = LinkStatus.Healthy,
        [Istio4] = LinkStatus.Stale,                                                                 // still on restart 3's json log
        [Legacy(S.IstioPod, "istio-system", "istio-proxy", S.Istio4)] = LinkStatus.Stale,
        [Coredns] = LinkStatus.Healthy,
        [Legacy(S.CorednsPod, "kube-system", "coredns", S.CorednsId)] = LinkStatus.Healthy,
        [ApiServer] = LinkStatus.Healthy,
        [Legacy(S.ApiServerPod, "kube-system", "kube-apiserver", S.ApiServerId)] = LinkStatus.Healthy,
        [LongPod] = LinkStatus.Healthy,
        [Legacy(S.LongPod, S.LongPodNamespace, "exporter", S.LongPodId)] = LinkStatus.Healthy,
        [Forger] = LinkStatus.Missing,
        [Legacy(S.ForgerPod, "default", "forger", S.ForgerId)] = LinkStatus.Missing,
    };

    [Fact]
    public void The_sample_node_is_only_written_into_an_empty_directory()
    {
        var f = Assert.Throws<PodLogsException>(() => SampleNode.Create(_node.Root)).Failure;
        Assert.Equal("SampleRootNotEmpty", f.ErrorId);
        Assert.Equal(FailureCategory.ResourceExists, f.Category);
    }

    [Fact]
    public void Its_layout_is_kubeadms_default()
    {
        var layout = _node.Layout();
        Assert.Equal("/var/lib/kubelet/config.yaml", layout.KubeletConfigFile);
        Assert.Equal("/var/log/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/var/lib/docker", layout.DockerDataRoot.Configured);
    }

    [Fact]
    public void Every_record_names_the_sample_node_by_its_etc_hostname()
    {
        var i = _node.Inspect();
        Assert.All(i.Entries, e => Assert.Equal(S.NodeName, e.NodeName));
        var scanner = new Inspection.PodDirectoryScanner(_node.Layout(), new CollectingReporter());
        Assert.All(scanner.Enumerate(Inspection.LogSelection.All), pod => Assert.Equal(S.NodeName, scanner.Describe(pod).NodeName));
    }

    [Fact]
    public void Every_entry_gets_the_status_its_story_says()
    {
        var i = _node.Inspect();

        Assert.Empty(i.Reporter.Errors);
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), i.Entries.Select(e => e.NodePath).Order(StringComparer.Ordinal));
        foreach (var (path, status) in Expected)
            Assert.True(i.At(path).Status == status, $"{path}: expected {status}, got {i.At(path).Status} ({i.At(path).Reason})");
        // Eight Kubernetes containers in docker's state; the sandbox is not one of them.
        Assert.Equal(8, i.Runtime!.Containers.Count);
        Assert.DoesNotContain(i.Runtime.Containers, c => c.ContainerName == "POD" || c.ContainerName == "");
    }

    [Fact]
    public void The_articles_running_container_is_restart_7()
    {
        var e = _node.Inspect().At(Reloader7);
        Assert.Equal(S.Reloader7, e.ContainerId);
        Assert.Equal(ContainerState.Running, e.State);
        Assert.Equal(Json(S.Reloader7), e.Target);
    }

    [Fact]
    public void The_static_pod_and_the_cut_legacy_name_are_recognised()
    {
        var i = _node.Inspect();
        Assert.Equal(S.ApiServerUid, i.At(ApiServer).PodUid);
        Assert.True(KubernetesNames.IsStaticPodUid(i.At(ApiServer).PodUid));
        var cut = i.At(Legacy(S.LongPod, S.LongPodNamespace, "exporter", S.LongPodId));
        Assert.True(cut.IsTruncated);
        Assert.Equal(S.LongPodId, cut.ContainerId);
        Assert.Equal(2, i.At(Coredns).RotatedFiles.Count);
    }

    [Fact]
    public void Repair_fixes_what_it_safely_can_and_refuses_the_forged_label()
    {
        var r = _node.Repair();

        Assert.Equal(
            new[]
            {
                (RepairAction.Created, Reloader6, Json(S.Reloader6)),
                (RepairAction.Replaced, Istio4, Json(S.Istio4)),
                (RepairAction.Created, Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader7), Reloader7),
            }.Order(),
            r.Results.Select(x => (x.Action, x.NodePath, x.Target)).Order());
        Assert.Equal(new[] { "LabelPathMismatch", "LinkTargetMissing" }, r.RefusalIds.Order(StringComparer.Ordinal));
        Assert.False(_node.Exists(S.ForgedLabelPath));
        Assert.Empty(_node.FindNames(".podlogs-"));

        var after = _node.Inspect();
        foreach (var e in after.Entries)
            Assert.True(e.Status == (e.ContainerId == S.ForgerId ? LinkStatus.Missing : LinkStatus.Healthy), $"{e.NodePath}: {e.Status} ({e.Reason})");
        Assert.Equal(Expected.Count, after.Entries.Count);

        var again = _node.Repair();
        Assert.Empty(again.Plan.Steps);
        Assert.Empty(again.Results);
    }

    [Fact]
    public void Declining_every_step_changes_nothing()
    {
        var before = _node.Listing();
        var r = _node.Repair(force: true, shouldProcess: (_, _) => false);
        Assert.Equal(3, r.Asked.Count);
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
    }
}
