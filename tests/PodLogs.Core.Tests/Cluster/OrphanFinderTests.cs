using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using static PodLogs.Core.Tests.Cluster.ClusterPods;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>Issue #4 Deliver 4: what no pod on this node in the API owns; a later cleanup deletes it, so errs towards keeping.</summary>
public sealed class OrphanFinderTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static readonly FakeContainer Live = new("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("web"));
    static readonly FakeContainer Gone = new("default", "old", FakeNode.Uid2, "app", 0, FakeNode.Id("old"));
    static readonly FakeContainer Etcd = new("kube-system", "etcd-node-1", FakeNode.StaticUid, "etcd", 0, FakeNode.Id("etcd"));

    /// <summary>A list taken two hours from now: with the default hour of grace, everything on disk is old enough to judge.</summary>
    static ClusterSnapshot Later(params ClusterPod[] pods) => Snapshot(DateTimeOffset.UtcNow.AddHours(2), pods);

    (List<PodLogDirectory> Directories, List<OrphanedLegacyLink> Links, CollectingReporter Reporter) Find(ClusterSnapshot cluster, TimeSpan? grace = null)
    {
        var reporter = new CollectingReporter();
        var layout = _node.Layout(reporter: reporter);
        var finder = new OrphanFinder(layout, cluster, grace ?? TimeSpan.FromHours(1), reporter);
        var directories = finder.Directories(new PodDirectoryScanner(layout, reporter), LogSelection.All, CancellationToken.None).ToList();
        return (directories, finder.LegacyLinks(LogSelection.All, CancellationToken.None).ToList(), reporter);
    }

    [Fact]
    public void A_directory_no_pod_owns_is_orphaned_with_its_own_bytes_apart_from_the_docker_logs_it_points_at()
    {
        _node.Healthy(Live);
        _node.Healthy(Gone);
        _node.WriteFile(Gone.ContainerDirectory + "/0.log.20260301-100000.gz", new string('x', 20000));
        _node.WriteFile(Gone.JsonLog, new string('y', 50000));

        var (directories, _, _) = Find(Later(Pod(Live)));

        var orphan = Assert.Single(directories);
        Assert.Equal(Gone.PodDirectory, orphan.NodePath);
        Assert.True(orphan.IsOrphaned);
        Assert.False(orphan.InCluster);
        Assert.InRange(orphan.TotalBytes, 20000, 40000);
        Assert.InRange(orphan.TargetBytes!.Value, 50000, 70000);
        Assert.NotNull(orphan.Age);
    }

    [Fact]
    public void A_static_pods_directory_is_owned_through_its_mirror_pods_hash()
    {
        _node.Healthy(Etcd);
        var mirror = Pod(Etcd) with { Uid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", MirrorHash = FakeNode.StaticUid };
        Assert.Empty(Find(Later(mirror)).Directories);
        Assert.Single(Find(Later(mirror with { MirrorHash = null })).Directories);
    }

    // A static pod whose manifest sets metadata.uid keeps it (pkg/kubelet/config/common.go applyDefaults), and its
    // mirror pod carries it as kubernetes.io/config.mirror: its directory is a pod directory, owned through the mirror.
    [Fact]
    public void A_static_pod_directory_named_by_its_manifests_own_uid_is_judged_like_any_other()
    {
        var web = new FakeContainer("kube-system", "static-web-node-1", "static-web-manifest-uid", "web", 0, FakeNode.Id("static-web"));
        _node.Healthy(web);
        var mirror = Pod(web) with { Uid = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", MirrorHash = "static-web-manifest-uid" };
        var (owned, _, reporter) = Find(Later(mirror));
        Assert.Empty(owned);
        Assert.DoesNotContain(reporter.Errors, e => e.ErrorId == "PodDirectoryNotRecognized");
        Assert.Equal(web.PodDirectory, Assert.Single(Find(Later()).Directories).NodePath);
    }

    // kubelet's GC globs /var/log/containers/*.log (kuberuntime_gc.go): an entry not ending in .log is not kubelet's,
    // so it is never offered as an orphaned legacy link to a cleanup.
    [Fact]
    public void An_entry_not_ending_in_dot_log_is_not_an_orphaned_legacy_link()
    {
        _node.Healthy(Gone);
        _node.Link(Gone.LegacyLink + ".bak", Gone.PodLogFile);
        var link = Assert.Single(Find(Later()).Links);
        Assert.Equal(Gone.LegacyLink, link.NodePath);
    }

    [Fact]
    public void Nothing_that_changed_within_the_grace_period_before_the_list_is_judged()
    {
        _node.Healthy(Gone);
        var (directories, links, reporter) = Find(Snapshot(DateTimeOffset.UtcNow));
        Assert.Empty(directories);
        Assert.Empty(links);
        Assert.Contains(reporter.VerboseMessages, m => m.Contains("within the grace period"));
        Assert.Single(Find(Snapshot(DateTimeOffset.UtcNow), grace: TimeSpan.Zero).Directories);
    }

    [Fact]
    public void Legacy_links_of_a_gone_pod_are_reported_and_those_of_a_live_pod_are_not()
    {
        _node.Healthy(Live);
        _node.Healthy(Gone);
        var (_, links, _) = Find(Later(Pod(Live)));
        var link = Assert.Single(links);
        Assert.Equal(Gone.LegacyLink, link.NodePath);
        Assert.Equal(Gone.Uid, link.PodUid);
        Assert.Equal("app", link.ContainerName);
        Assert.True(link.TargetBytes > 0);
        Assert.Contains("no pod on node 'node-1'", link.Reason);
    }

    [Fact]
    public void A_legacy_link_into_the_directory_of_an_earlier_pod_of_the_same_name_is_orphaned()
    {
        // A StatefulSet pod recreated with a new uid: the old directory and its link belong to no pod.
        var before = Live with { Uid = FakeNode.Uid2, Id = FakeNode.Id("web-before") };
        _node.Healthy(before);
        _node.Healthy(Live);
        var (directories, links, _) = Find(Later(Pod(Live)));
        Assert.Equal(before.PodDirectory, Assert.Single(directories).NodePath);
        Assert.Equal(before.LegacyLink, Assert.Single(links).NodePath);
    }

    [Fact]
    public void Nothing_is_removed()
    {
        _node.Healthy(Gone);
        var before = _node.Listing();
        Assert.NotEmpty(Find(Later()).Directories);
        Assert.Equal(before, _node.Listing());
    }
}
