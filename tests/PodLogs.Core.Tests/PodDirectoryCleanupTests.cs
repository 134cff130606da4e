using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Removal;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #13 item 4: which pod directories Remove-PodLogDirectory may remove, decided from the API's pod list, the
/// runtime's containers and the grace period alone (no file is touched), as a table.
/// </summary>
public sealed class PodDirectoryCleanupTests : IDisposable
{
    readonly FakeNode _node = new();
    const string DeadUid = "0badc0de-1111-4222-8333-444455556666";
    const string LiveUid = "2681cb7f-daa4-4620-bb60-1d449709181c";
    static readonly DateTimeOffset ListedAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    public void Dispose() => _node.Dispose();

    /// <summary>A pod directory as the scanner finds it, and how the cleanup sees it described.</summary>
    static (PodRef Pod, Func<PodRef, PodLogDirectory> Describe) Pod(string uid, DateTimeOffset? lastWrite, bool exists = true) =>
        (new PodRef("default", "web", uid, PodLogLayout.Current, "/var/log/pods/default_web_" + uid, exists), _ => Directory(uid, lastWrite, exists));

    static (List<RemovalRequest>, List<PodLogsFailure>) Decide(PodDirectoryCleanup cleanup, bool named, params (PodRef Pod, Func<PodRef, PodLogDirectory> Describe)[] pods) =>
        cleanup.Decide(pods.Select(p => p.Pod), p => pods.First(x => x.Pod == p).Describe(p), _ => named);

    static PodLogDirectory Directory(string uid, DateTimeOffset? lastWrite, bool exists = true) => new()
    {
        Namespace = "default",
        PodName = "web",
        PodUid = uid,
        FullName = "/local/var/log/pods/default_web_" + uid,
        NodePath = "/var/log/pods/default_web_" + uid,
        Exists = exists,
        LastWriteTime = lastWrite,
    };

    static ClusterSnapshot Cluster(params string[] uids) => new(new ClusterNode("node-1", null, null, null),
        uids.Select(u => new ClusterPod { Namespace = "default", Name = "web", Uid = u, NodeName = "node-1" }).ToList(), ListedAt, "test");

    RuntimeSnapshot Runtime(bool knowsEvery, params (string Uid, ContainerState State)[] containers) =>
        new("DockerFiles", RuntimeKind.Docker, containers.Select((c, i) => new RuntimeContainer
        {
            Id = new string((char)('a' + i), 64), Namespace = "default", PodName = "web", PodUid = c.Uid, ContainerName = "app", State = c.State, SourceName = "DockerFiles",
        }), _node.Layout()) { KnowsEveryContainer = knowsEvery };

    public static TheoryData<string, bool, bool, string?, int, string> Cases => new()
    {
        // case, cluster, runtime, runtime container state ("" none), age in minutes before the list, expected ErrorId or "remove"
        { "the API has no pod owning it, no runtime", true, false, null, 120, "remove" },
        { "the API has no pod owning it, the runtime has none of the pod", true, true, null, 120, "remove" },
        { "the API lists the pod", true, true, null, 120, ErrorIds.Removal.PodInCluster },
        { "the runtime still has an exited container", true, true, "Exited", 120, ErrorIds.Removal.ContainerStillPresent },
        { "the runtime still runs a container, -Force", false, true, "Running", 120, ErrorIds.Removal.ContainerStillPresent },
        { "-Force, the runtime has none of the pod", false, true, null, 120, "remove" },
        { "changed within the grace period", true, false, null, 30, ErrorIds.Removal.WithinGracePeriod },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string @case, bool cluster, bool runtime, string? containerState, int ageMinutes, string expected)
    {
        var uid = @case.Contains("lists") ? LiveUid : DeadUid;
        var snapshot = runtime ? Runtime(true, containerState is null ? [] : [(uid, Enum.Parse<ContainerState>(containerState))]) : null;
        var api = cluster ? Cluster(LiveUid) : null;
        var reporter = new CollectingReporter();
        var cleanup = new PodDirectoryCleanup(_node.Layout().Root, api, snapshot, new RemovalGrace(TimeSpan.FromHours(1), api?.ListedAt ?? ListedAt), reporter);

        var (requests, refusals) = Decide(cleanup, true, Pod(uid, ListedAt.AddMinutes(-ageMinutes)));

        if (expected == "remove")
        {
            var request = Assert.Single(requests);
            Assert.Empty(refusals);
            Assert.Equal((RemovalKind.DirectoryTree, "/var/log/pods/default_web_" + uid, uid), (request.Kind, request.NodePath, request.PodUid));
        }
        else
        {
            Assert.Empty(requests);
            Assert.Equal(expected, Assert.Single(refusals).ErrorId);
        }
    }

    [Fact]
    public void A_sweep_keeps_what_it_did_not_name_with_a_verbose_note_not_an_error()
    {
        var reporter = new CollectingReporter();
        var cleanup = new PodDirectoryCleanup(_node.Layout().Root, Cluster(LiveUid), null, new RemovalGrace(TimeSpan.Zero, ListedAt), reporter);
        var (requests, refusals) = Decide(cleanup, false, Pod(LiveUid, ListedAt.AddDays(-1)), Pod(DeadUid, ListedAt.AddDays(-1)));
        Assert.Equal(DeadUid, Assert.Single(requests).PodUid);
        Assert.Empty(refusals);
        Assert.Contains(reporter.VerboseMessages, v => v.Contains("which the API schedules on node 'node-1'"));
    }

    [Fact]
    public void Without_a_pod_list_the_runtime_must_know_every_container()
    {
        Assert.Null(PodDirectoryCleanup.MissingWord(Cluster(), null));
        Assert.Null(PodDirectoryCleanup.MissingWord(null, Runtime(true)));
        Assert.Equal(ErrorIds.Removal.RuntimeWordRequired, PodDirectoryCleanup.MissingWord(null, null)?.ErrorId);
        var partial = PodDirectoryCleanup.MissingWord(null, Runtime(false));
        Assert.Equal(ErrorIds.Removal.RuntimeWordRequired, partial?.ErrorId);
        Assert.Contains("only running containers", partial!.Message);
    }

    [Fact]
    public void A_directory_that_is_not_there_is_nothing_to_remove()
    {
        var cleanup = new PodDirectoryCleanup(_node.Layout().Root, Cluster(), null, new RemovalGrace(TimeSpan.Zero, ListedAt), new CollectingReporter());
        var (requests, refusals) = Decide(cleanup, true, Pod(DeadUid, null, exists: false));
        Assert.Empty(requests);
        Assert.Equal(ErrorIds.Selection.LogEntryNotFound, Assert.Single(refusals).ErrorId);
    }

    [Fact]
    public void Only_a_directory_no_owner_keeps_is_described()
    {
        var described = new List<string>();
        var cleanup = new PodDirectoryCleanup(_node.Layout().Root, Cluster(LiveUid), Runtime(true, ("11111111-2222-4333-8444-555555555555", ContainerState.Exited)), new RemovalGrace(TimeSpan.Zero, ListedAt), new CollectingReporter());
        var pods = new[] { LiveUid, "11111111-2222-4333-8444-555555555555", DeadUid }
            .Select(u => new PodRef("default", "web", u, PodLogLayout.Current, "/var/log/pods/default_web_" + u, true)).ToList();
        var (requests, _) = cleanup.Decide(pods, p => { described.Add(p.PodUid!); return Directory(p.PodUid!, ListedAt.AddDays(-1)); }, _ => false);
        Assert.Equal(DeadUid, Assert.Single(requests).PodUid);
        Assert.Equal([DeadUid], described);
    }
}
