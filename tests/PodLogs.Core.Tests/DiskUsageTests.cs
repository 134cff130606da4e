using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Tests.Shared;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #12 item 6: the disk a set of files takes, as <c>du --block-size=1</c> counts it (allocated blocks, each inode
/// once), on a node whose /var/log/pods, /var/log/containers and docker data root are absolute links under -Root. The
/// host's own copy of each linked directory is a decoy with other sizes, so a path resolved from the host's '/' shows.
/// </summary>
public sealed class DiskUsageTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly LinkedLogRoots _linked;
    static readonly FakeContainer Web = new("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("du-web"));

    public DiskUsageTests()
    {
        _node.Healthy(Web);
        _node.WriteBytes(Web.JsonLog, Random(300_000));
        _node.WriteBytes(Web.JsonLog + ".1", Random(70_000));
        _linked = new LinkedLogRoots(_node);
        _linked.LinkAway();
    }

    public void Dispose()
    {
        _node.Dispose();
        _linked.Dispose();
    }

    static byte[] Random(int length)
    {
        var bytes = new byte[length];
        System.Random.Shared.NextBytes(bytes);
        return bytes;
    }

    string Real(string nodePath) => _linked.Real(nodePath);

    static long Own(string local) => Posix.LStat(local, out var s) == 0 ? s.AllocatedBytes : throw new FileNotFoundException(local);

    DiskUsage NewUsage() => new(_node.Layout().Root);

    [Fact]
    public void Agrees_with_du_over_the_same_files_reached_through_chains_hard_links_and_linked_directories()
    {
        var hardLink = Web.ContainerDirectory + "/0.log.20260301-100000";
        var sparse = Web.ContainerDirectory + "/0.log.20260301-110000";
        Assert.Equal(0, Link(Real(Web.JsonLog), Real(hardLink)));
        using (var f = File.OpenWrite(Real(sparse))) { f.SetLength(64L << 20); f.Position = 32L << 20; f.Write(Random(5000)); }

        var usage = NewUsage();
        Assert.Equal(0, usage.AddChainEnd(Web.PodLogFile));   // N.log -> json log
        Assert.Equal(0, usage.AddChainEnd(Web.LegacyLink));   // legacy link -> N.log -> json log: the same file
        Assert.Equal(0, usage.AddEntry(hardLink));             // a hard link of it: the same inode
        Assert.Equal(0, usage.AddEntry(Web.JsonLog + ".1"));
        Assert.Equal(0, usage.AddEntry(sparse));
        Assert.Equal(0, usage.AddEntry(Web.PodLogFile));      // the link itself: not a regular file, counts nothing

        var files = new[] { Real(Web.JsonLog), Real(hardLink), Real(Web.JsonLog + ".1"), Real(sparse) };
        Assert.Equal(RealDu.Total(files), usage.Bytes);
        Assert.Equal(3, usage.FileCount);
        // Each file once: less than the sum of each name's own blocks, and nothing from the host's decoys.
        Assert.True(usage.Bytes < files.Sum(Own), $"{usage.Bytes} >= {files.Sum(Own)}");
        Assert.Equal(Own(Real(Web.JsonLog)) + Own(Real(Web.JsonLog + ".1")) + Own(Real(sparse)), usage.Bytes);
    }

    [Fact]
    public void A_sparse_file_counts_its_allocated_blocks_not_its_length()
    {
        var sparse = Web.ContainerDirectory + "/0.log.20260301-110000";
        using (var f = File.OpenWrite(Real(sparse))) { f.SetLength(256L << 20); f.Write(Random(10_000)); }
        var usage = NewUsage();
        Assert.Equal(0, usage.AddEntry(sparse));
        Assert.Equal(RealDu.Total([Real(sparse)]), usage.Bytes);
        Assert.InRange(usage.Bytes, 10_000, 1L << 20);
    }

    [Fact]
    public void A_file_reached_by_two_chains_and_by_a_hard_link_counts_once()
    {
        var hardLink = FakeNode.Legacy + "/copy.log";
        Assert.Equal(0, Link(Real(Web.JsonLog), Real(hardLink)));
        var usage = NewUsage();
        Assert.True(usage.AddChainEnd(Web.PodLogFile) == 0 && usage.AddChainEnd(Web.LegacyLink) == 0 && usage.AddEntry(hardLink) == 0);
        Assert.Equal(1, usage.FileCount);
        Assert.Equal(Own(Real(Web.JsonLog)), usage.Bytes);
        Assert.Equal(RealDu.Total([Real(Web.JsonLog), Real(hardLink)]), usage.Bytes);
    }

    [Fact]
    public void Tallies_add_up_each_file_once()
    {
        var pod = NewUsage();
        pod.AddChainEnd(Web.PodLogFile);
        var legacy = NewUsage();
        legacy.AddChainEnd(Web.LegacyLink);
        legacy.AddEntry(Web.JsonLog + ".1");
        var node = NewUsage();
        node.Add(pod);
        node.Add(legacy);
        Assert.Equal(2, node.FileCount);
        Assert.Equal(RealDu.Total([Real(Web.JsonLog), Real(Web.JsonLog + ".1")]), node.Bytes);
    }

    [Fact]
    public void A_tally_of_many_files_counts_each_once_as_it_grows_and_as_tallies_add_up()
    {
        // A tally keeps its first few files in a small array and the rest in a dictionary: the same answers either side.
        var files = Enumerable.Range(2, 20).Select(i => $"{Web.JsonLog}.{i}").ToList();
        for (var i = 0; i < files.Count; i++) File.WriteAllBytes(Real(files[i]), Random(4096 * (i + 1)));
        var small = NewUsage();
        var large = NewUsage();
        for (var i = 0; i < files.Count; i++)
        {
            if (i < 5) Assert.Equal(0, small.AddEntry(files[i]));
            Assert.Equal(0, large.AddEntry(files[i]));
            Assert.Equal(0, large.AddEntry(files[i]));                     // again: counts nothing more
            Assert.True(large.Contains(Status(files[i])));
            Assert.Equal(i + 1, large.FileCount);
        }
        Assert.Equal(20, large.FileCount);
        Assert.Equal(5, small.FileCount);
        Assert.Equal(RealDu.Total(files.Select(Real)), large.Bytes);
        var sum = NewUsage();
        sum.Add(small);
        sum.Add(large);
        sum.Add(small);
        Assert.Equal(20, sum.FileCount);
        Assert.Equal(large.Bytes, sum.Bytes);
        Assert.False(small.Contains(Status(files[^1])));

        FileStatus Status(string nodePath) => Posix.LStat(Real(nodePath), out var s) == 0 ? s : throw new FileNotFoundException(nodePath);
    }

    [Fact]
    public void A_tree_counts_its_regular_files_never_what_a_link_inside_points_at()
    {
        // A link out of the pod directory to docker's json log (300 kB) and to a big file elsewhere under the root: neither counts.
        // (Written where the linked directories really are: the test's own paths are resolved by the host.)
        _node.WriteBytes("/srv/big", Random(500_000));
        File.CreateSymbolicLink(Real(Web.ContainerDirectory + "/1.log"), "/srv/big");
        File.CreateSymbolicLink(Real(Web.PodDirectory + "/elsewhere"), "/srv");
        File.WriteAllBytes(Real(Web.ContainerDirectory + "/0.log.20260301-100000.gz"), Random(40_000));
        Assert.Equal(0, Link(Real(Web.ContainerDirectory + "/0.log.20260301-100000.gz"), Real(Web.PodDirectory + "/same.gz")));

        var usage = NewUsage();
        Assert.Equal(0, usage.AddTree(Web.PodDirectory));
        var files = Directory.EnumerateFileSystemEntries(Real(Web.PodDirectory), "*", SearchOption.AllDirectories)
            .Where(p => new FileInfo(p) is { LinkTarget: null, Attributes: var a } && !a.HasFlag(FileAttributes.Directory)).ToList();
        Assert.Equal(2, files.Count);
        Assert.Equal(RealDu.Total(files), usage.Bytes);
        Assert.Equal(1, usage.FileCount);
        Assert.Equal(Posix.ENOTDIR, NewUsage().AddTree(Web.PodLogFile));
        Assert.Equal(Posix.ENOENT, NewUsage().AddTree(Web.PodDirectory + "/nothing"));
    }

    [Fact]
    public void A_chain_that_stops_counts_nothing_and_says_why()
    {
        File.CreateSymbolicLink(Real(FakeNode.Legacy + "/dangling.log"), "/var/log/pods/nothing/0.log");
        var usage = NewUsage();
        Assert.Equal(Posix.ENOENT, usage.AddChainEnd(FakeNode.Legacy + "/dangling.log"));
        Assert.Equal(0, usage.AddEntry(FakeNode.Legacy + "/dangling.log"));
        Assert.Equal(0, usage.Bytes);
        Assert.Equal(0, usage.FileCount);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    internal static extern int Link(string existing, string newPath);
}
