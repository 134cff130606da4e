using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using static PodLogs.Core.Tests.Cluster.ClusterPods;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>Get-PodLogDirectory -Cluster: the directory kubelet makes for each pod the API schedules here, existing or not.</summary>
public sealed class ClusterPodDirectoriesTests : IDisposable
{
    readonly FakeNode _node = new();

    public ClusterPodDirectoriesTests()
    {
        _node.Healthy(Web);
        _node.Healthy(Etcd);
    }

    public void Dispose() => _node.Dispose();

    static readonly FakeContainer Web = new("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("web"));
    static readonly FakeContainer Zeta = new("apps", "zeta", FakeNode.Uid2, "app", 0, FakeNode.Id("zeta"));
    static readonly FakeContainer Etcd = new("kube-system", "etcd-node-1", FakeNode.StaticUid, "etcd", 0, FakeNode.Id("etcd"));
    const string MirrorUid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0";

    List<PodLogDirectory> Describe(LogSelection selection)
    {
        var cluster = Snapshot(Pod(Etcd) with { Uid = MirrorUid, MirrorHash = FakeNode.StaticUid }, Pod(Web) with { Phase = "Pending" }, Pod(Zeta));
        var scanner = new PodDirectoryScanner(_node.Layout(), new CollectingReporter());
        return ClusterPodDirectories.Describe(cluster, scanner, selection).ToList();
    }

    [Fact]
    public void Every_pod_by_namespace_then_name_with_what_the_API_says_and_whether_its_directory_exists()
    {
        var records = Describe(LogSelection.All);

        Assert.Equal(["apps/zeta", "default/web", "kube-system/etcd-node-1"], records.Select(r => $"{r.Namespace}/{r.PodName}"));
        Assert.All(records, r => Assert.True(r.InCluster));
        Assert.Equal([Zeta.PodDirectory, Web.PodDirectory, Etcd.PodDirectory], records.Select(r => r.NodePath));
        Assert.Equal([false, true, true], records.Select(r => r.Exists));
        Assert.Equal([false, false, true], records.Select(r => r.IsStaticPod));
        Assert.Equal([Zeta.Uid, Web.Uid, MirrorUid], records.Select(r => r.ClusterPodUid));
        Assert.Equal(["Running", "Pending", "Running"], records.Select(r => r.Phase));
    }

    [Fact]
    public void The_selection_matches_the_directory_uid_a_static_pod_is_named_by()
    {
        Assert.Equal("etcd-node-1", Assert.Single(Describe(new LogSelection { PodUid = FakeNode.StaticUid })).PodName);
        Assert.Empty(Describe(new LogSelection { PodUid = MirrorUid }));
        Assert.Equal("web", Assert.Single(Describe(new LogSelection { Namespace = ns => ns == "default" })).PodName);
    }
}
