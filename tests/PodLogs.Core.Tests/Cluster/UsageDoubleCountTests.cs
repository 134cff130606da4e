using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using static PodLogs.Core.Tests.Cluster.ClusterPods;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>
/// Issue #12 item 6: the byte counts of <c>Get-PodLogDirectory</c> and <c>-Orphaned</c> count each file once across
/// TotalBytes and TargetBytes (they were measured apart and counted one file twice in two cases).
/// </summary>
public sealed class UsageDoubleCountTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static readonly FakeContainer Gone = new("default", "old", FakeNode.Uid2, "app", 0, FakeNode.Id("old"));

    long Own(string nodePath) => Posix.LStat(_node.Local(nodePath), out var s) == 0 ? s.AllocatedBytes : throw new FileNotFoundException(nodePath);

    (List<PodLogDirectory> Directories, List<OrphanedLegacyLink> Links) Find()
    {
        var reporter = new CollectingReporter();
        var layout = _node.Layout(reporter: reporter);
        var finder = new OrphanFinder(layout, Snapshot(DateTimeOffset.UtcNow.AddHours(2)), TimeSpan.FromHours(1), reporter);
        return (finder.Directories(new PodDirectoryScanner(layout, reporter), LogSelection.All, CancellationToken.None).ToList(),
            finder.LegacyLinks(LogSelection.All, CancellationToken.None).ToList());
    }

    [Fact]
    public void A_docker_log_hard_linked_into_the_pod_directory_and_linked_from_it_counts_once()
    {
        // 0.log links to the json log; a rotated name beside it is a hard link of that same file (a "backup" made with ln).
        _node.Healthy(Gone);
        _node.WriteFile(Gone.JsonLog, new string('y', 50000));
        Assert.Equal(0, Link(_node.Local(Gone.JsonLog), _node.Local(Gone.ContainerDirectory + "/0.log.20260301-100000")));

        var orphan = Assert.Single(Find().Directories);

        Assert.Equal(Own(Gone.JsonLog), orphan.TotalBytes);
        // Before: TargetBytes counted the json log again through 0.log (TotalBytes + TargetBytes = twice the file).
        Assert.Equal(0, orphan.TargetBytes);
    }

    [Fact]
    public void A_regular_file_in_a_legacy_links_place_is_its_own_bytes_not_also_its_target()
    {
        _node.Docker(Gone);
        _node.WriteFile(Gone.LegacyLink, new string('z', 30000));

        var link = Assert.Single(Find().Links);

        Assert.Equal(Gone.LegacyLink, link.NodePath);
        Assert.Equal(Own(Gone.LegacyLink), link.TotalBytes);
        // Before: the file "resolved" to itself and its bytes were TargetBytes too.
        Assert.Equal(0, link.TargetBytes);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link(string existing, string newPath);
}
