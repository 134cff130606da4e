using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Logs;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;
using static PodLogs.Core.Tests.Cluster.ClusterPods;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #10 item 6: a node whose /var/log/pods, /var/log/containers or docker data root is an ABSOLUTE link under the
/// root (<c>&lt;root&gt;/var/log/pods -&gt; /tmp/podlogs-door-…/pods</c>, the real directory at
/// <c>&lt;root&gt;/tmp/podlogs-door-…/pods</c>) gives every record producer the same answers as the same node without the
/// link. The host's own <c>/tmp/podlogs-door-…/pods</c> is a decoy: the same tree with other bytes, so a path the host
/// kernel resolves from its own '/' shows up as wrong sizes, wrong lines or a path through a link.
/// </summary>
public sealed class LinkedNodeDirectoryTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly string _outside = "/tmp/podlogs-door-" + Guid.NewGuid().ToString("n")[..12];

    public void Dispose()
    {
        _node.Dispose();
        if (Directory.Exists(_outside)) Directory.Delete(_outside, recursive: true);
    }

    public static TheoryData<string> LinkedDirectories() => new() { FakeNode.PodLogs, FakeNode.Legacy, FakeNode.DockerRoot };

    static readonly FakeContainer Web = new("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("web"));
    const string CriPod = "default_cri_" + FakeNode.Uid2;
    const string CriDir = FakeNode.PodLogs + "/" + CriPod + "/c";
    static readonly string CriLegacy = KubeletPaths.LegacyLinkPath(FakeNode.Legacy, "cri", "default", "c", FakeNode.Id("cri"));

    /// <summary>A docker container with a rotated json log, and a CRI container's regular N.log with rotated siblings.</summary>
    void Populate()
    {
        _node.Healthy(Web);
        _node.WriteFile(Web.JsonLog + ".1", "{\"log\":\"web rotated\\n\",\"stream\":\"stdout\",\"time\":\"2026-02-28T10:00:00Z\"}\n");
        _node.WriteFile(CriDir + "/0.log.20260301-090000", "2026-03-01T09:00:00.000000000Z stdout F cri rotated\n");
        _node.WriteFile(CriDir + "/0.log", "2026-03-01T10:00:00.000000000Z stdout F cri live\n");
        _node.Link(CriLegacy, CriDir + "/0.log");
    }

    /// <summary>
    /// Moves <paramref name="nodeDir"/> to <c>&lt;root&gt;/tmp/podlogs-door-…/&lt;name&gt;</c>, links it there with an
    /// absolute target, and lays the decoy at the host's path of that target.
    /// </summary>
    void LinkAway(string nodeDir)
    {
        var name = NodePath.FileName(nodeDir);
        var target = $"{_outside}/{name}";
        _node.Mkdir(_outside);
        Directory.Move(_node.Local(nodeDir), _node.Local(target));
        _node.Link(nodeDir, target);
        Decoy(_node.Local(target), target);
        Assert.Equal(FileKind.SymbolicLink, _node.KindOf(nodeDir));
    }

    /// <summary>The same directories at the host's path, every file 64 KiB of DECOY lines written now, no links (an entry looked at there is gone).</summary>
    static void Decoy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in Directory.EnumerateFileSystemEntries(from))
        {
            var dest = Path.Combine(to, Path.GetFileName(entry));
            var info = new FileInfo(entry);
            if (info.LinkTarget is not null) continue;
            if (Directory.Exists(entry)) Decoy(entry, dest);
            else File.WriteAllText(dest, string.Concat(Enumerable.Repeat("2026-03-01T08:00:00.000000000Z stdout F DECOY\n", 1500)));
        }
    }

    /// <summary>Whether a local path is under the root with no link among its components (where it really is).</summary>
    bool IsRealPathUnderRoot(string local)
    {
        if (!local.StartsWith(_node.Root + "/", StringComparison.Ordinal)) return false;
        var path = _node.Root;
        foreach (var part in local[(_node.Root.Length + 1)..].Split('/'))
        {
            path += "/" + part;
            if (Posix.LStat(path, out var s) != 0 || s.Kind == FileKind.SymbolicLink) return false;
        }
        return true;
    }

    /// <summary>Whether a local path names an entry that is there, in a directory reached with no link (the entry itself may be one).</summary>
    bool IsWhereItIs(string local) => IsRealPathUnderRoot(Path.GetDirectoryName(local)!) && Posix.LStat(local, out _) == 0;

    [Theory]
    [MemberData(nameof(LinkedDirectories))]
    public void Get_ContainerLogLink_records_rotated_files_and_bytes_are_the_same_through_a_linked_directory(string linked)
    {
        Populate();
        var before = Summary(_node.Inspect().Entries);
        LinkAway(linked);
        var inspected = _node.Inspect();

        Assert.Empty(inspected.Reporter.Errors);
        Assert.Equal(string.Join("\n", before), string.Join("\n", Summary(inspected.Entries)));
        var cri = inspected.At(CriDir + "/0.log");
        var rotated = Assert.Single(cri.RotatedFiles);
        Assert.True(IsRealPathUnderRoot(rotated), $"{rotated} is not where the rotated file is under the root");
        Assert.Contains("cri rotated", File.ReadAllText(rotated));
        Assert.Equal(LinkStatus.Healthy, inspected.At(CriLegacy).Status);
        // An existing entry's local path is where it is (a provider cmdlet given it reaches the node's entry, not the host's).
        Assert.All(inspected.Entries.Where(e => e.Exists), e => Assert.True(IsWhereItIs(e.FullName), $"{e.FullName} is not where {e.NodePath} is under the root"));
    }

    /// <summary>What a record says, the resolved paths spelled through the link (a chain's end is named where it resolved).</summary>
    List<string> Summary(IEnumerable<ContainerLogLink> records) =>
        records.Select(r => $"{r.Kind} {r.NodePath} {r.Status} {r.TotalBytes} rotated:{r.RotatedFiles.Count} {Unlinked(r.Reason)} {Unlinked(r.ResolvedTarget)}")
            .Order(StringComparer.Ordinal).ToList();

    string? Unlinked(string? text) => text?.Replace(_outside + "/pods", FakeNode.PodLogs).Replace(_outside + "/containers", FakeNode.Legacy).Replace(_outside + "/docker", FakeNode.DockerRoot);

    [Theory]
    [MemberData(nameof(LinkedDirectories))]
    public void Get_PodLogDirectory_records_count_the_same_bytes_through_a_linked_directory(string linked)
    {
        Populate();
        var before = Directories();
        LinkAway(linked);
        var after = Directories();
        Assert.Equal(before, after);
        Assert.Contains(after, d => d.StartsWith(NodePath.Parent(CriDir), StringComparison.Ordinal));

        List<string> Directories()
        {
            var reporter = new CollectingReporter();
            var scanner = new PodDirectoryScanner(_node.Layout(reporter: reporter), reporter);
            var described = scanner.Enumerate(LogSelection.All).Select(p => scanner.Describe(p, measureTargets: true)).ToList();
            Assert.All(described, d => Assert.True(IsRealPathUnderRoot(d.FullName), $"{d.FullName} is not where {d.NodePath} is under the root"));
            var list = described
                .Select(d => $"{d.NodePath} {d.TotalBytes} {d.TargetBytes} {string.Join(',', d.Containers)} {d.LastWriteTime:O}").ToList();
            Assert.Empty(reporter.Errors);
            return list;
        }
    }

    [Theory]
    [MemberData(nameof(LinkedDirectories))]
    public void Orphaned_directories_and_legacy_links_are_the_same_through_a_linked_directory(string linked)
    {
        Populate();
        var before = Orphans();
        Assert.Equal(4, before.Count);   // two pod directories, two legacy links
        LinkAway(linked);
        Assert.Equal(before, Orphans());

        List<string> Orphans()
        {
            var reporter = new CollectingReporter();
            var layout = _node.Layout(reporter: reporter);
            var finder = new OrphanFinder(layout, Snapshot(DateTimeOffset.UtcNow.AddHours(2)), TimeSpan.FromHours(1), reporter);
            var directories = finder.Directories(new PodDirectoryScanner(layout, reporter), LogSelection.All, CancellationToken.None)
                .Select(d => $"D {d.NodePath} {d.TotalBytes} {d.TargetBytes} {d.LastWriteTime:O}");
            var found = finder.LegacyLinks(LogSelection.All, CancellationToken.None).ToList();
            Assert.All(found, l => Assert.True(IsWhereItIs(l.FullName), $"{l.FullName} is not where {l.NodePath} is under the root"));
            var links = found.Select(l => $"L {l.NodePath} {l.TotalBytes} {l.TargetBytes} {l.Target} {l.LastWriteTime:O}");
            var list = directories.Concat(links).ToList();
            Assert.Empty(reporter.Errors);
            return list;
        }
    }

    [Theory]
    [MemberData(nameof(LinkedDirectories))]
    public void Rotated_files_are_read_where_the_chain_resolves_through_a_linked_directory(string linked)
    {
        // What Get-ContainerLog does with an entry: resolve it under the root, hand the opener where it ended.
        Populate();
        var before = Lines();
        Assert.Equal(["web rotated", "app attempt 0", "cri rotated", "cri live"], before);
        LinkAway(linked);
        Assert.Equal(before, Lines());

        List<string> Lines()
        {
            var reporter = new CollectingReporter();
            var root = _node.Layout(reporter: reporter).Root;
            var lines = new List<string>();
            foreach (var entry in new[] { Web.PodLogFile, CriDir + "/0.log" })
            {
                var res = root.Resolve(entry);
                Assert.True(res.IsResolved, $"{entry}: {res.Outcome} at {res.NodePath}");
                var segments = LogSegments.Discover(root.LocalPathOf(res));
                Assert.All(segments, s => Assert.True(IsRealPathUnderRoot(s.Path), $"{s.Path} is not where the segment is under the root"));
                lines.AddRange(ContainerLogReader.ReadAll(segments, new LogReadOptions(), reporter, CancellationToken.None).Select(l => l.Message));
            }
            Assert.Empty(reporter.Errors);
            return lines;
        }
    }
}
