using PodLogs.Core.Native;
using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>-Root resolution: the node's paths resolved as if chrooted at the temp directory.</summary>
public sealed class NodeRootTests : IDisposable
{
    readonly FakeNode _node = new();
    NodeRoot Root => new(_node.Root);

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Translates_node_paths_to_local_paths_and_back()
    {
        var root = new NodeRoot(_node.Root + "/");
        Assert.Equal(_node.Root, root.LocalRoot);
        Assert.False(root.IsHostRoot);
        Assert.Equal(_node.Root + "/var/log/pods", root.ToLocal("/var/log/pods"));
        Assert.Equal(_node.Root, root.ToLocal("/"));
        Assert.Equal("/var/log", root.ToNode(_node.Root + "/var/log"));
        Assert.Equal("/", root.ToNode(_node.Root));
        Assert.Null(root.ToNode(_node.Root + "-sibling/x"));
        Assert.True(new NodeRoot("/").IsHostRoot);
    }

    [Fact]
    public void A_plain_path_resolves_to_itself()
    {
        _node.WriteFile("/var/log/pods/f", "x");
        var r = Root.Resolve("/var/log/pods/f");
        Assert.Equal(ResolveOutcome.Resolved, r.Outcome);
        Assert.Equal("/var/log/pods/f", r.NodePath);
        Assert.Equal(FileKind.RegularFile, r.Status.Kind);
        Assert.Empty(r.Hops);
    }

    [Fact]
    public void An_absolute_link_target_restarts_at_the_root()
    {
        _node.WriteFile("/data/log", "inside");
        _node.Link("/var/log/l", "/data/log");
        var r = Root.Resolve("/var/log/l");
        Assert.True(r.IsResolved);
        Assert.Equal("/data/log", r.NodePath);
        Assert.Equal([new LinkHop("/var/log/l", "/data/log")], r.Hops);
    }

    [Fact]
    public void An_absolute_link_target_never_escapes_to_the_host()
    {
        // /etc/hostname and the temp directory itself exist on the host, not under the root.
        _node.Link("/var/log/host", "/etc/hostname");
        _node.Link("/var/log/self", _node.Root + "/var/log/target");
        _node.WriteFile("/var/log/target", "x");

        var host = Root.Resolve("/var/log/host");
        Assert.Equal(ResolveOutcome.NotFound, host.Outcome);
        Assert.Equal("/etc", host.NodePath);

        var self = Root.Resolve("/var/log/self");
        Assert.Equal(ResolveOutcome.NotFound, self.Outcome);
        Assert.Equal("/" + _node.Root.Split('/', StringSplitOptions.RemoveEmptyEntries)[0], self.NodePath);
    }

    [Fact]
    public void Dot_dot_stops_at_the_root()
    {
        _node.WriteFile("/etc/shadow", "root:*:");
        _node.Link("/var/log/pods/up", "../../../../../../../etc/shadow");
        var r = Root.Resolve("/var/log/pods/up");
        Assert.True(r.IsResolved);
        Assert.Equal("/etc/shadow", r.NodePath);

        var direct = Root.Resolve("/../../../etc/shadow");
        Assert.True(direct.IsResolved);
        Assert.Equal("/etc/shadow", direct.NodePath);
    }

    [Fact]
    public void A_relative_target_is_resolved_from_the_links_directory()
    {
        _node.WriteFile("/var/log/pods/p/c/0.log", "x");
        _node.Link("/var/log/containers/l.log", "../pods/p/c/0.log");
        var r = Root.Resolve("/var/log/containers/l.log");
        Assert.True(r.IsResolved);
        Assert.Equal("/var/log/pods/p/c/0.log", r.NodePath);
        Assert.Equal("../pods/p/c/0.log", Assert.Single(r.Hops).Target);
    }

    [Fact]
    public void Dot_dot_after_a_linked_directory_goes_up_from_where_the_link_points()
    {
        // Like the kernel: /a/link/.. is the parent of the link's target, not /a.
        _node.WriteFile("/deep/dir/f", "x");
        _node.WriteFile("/deep/g", "g");
        _node.Link("/a/link", "/deep/dir");
        var r = Root.Resolve("/a/link/../g");
        Assert.True(r.IsResolved);
        Assert.Equal("/deep/g", r.NodePath);
    }

    [Fact]
    public void Symlinked_intermediate_directories_are_followed()
    {
        _node.WriteFile("/data/log/pods/p/c/0.log", "x");
        _node.Mkdir("/var");
        _node.Link("/var/log", "/data/log");
        var r = Root.Resolve("/var/log/pods/p/c/0.log");
        Assert.True(r.IsResolved);
        Assert.Equal("/data/log/pods/p/c/0.log", r.NodePath);
        Assert.Equal([new LinkHop("/var/log", "/data/log")], r.Hops);

        var dir = Root.ResolveDirectory("/var/log/pods");
        Assert.True(dir.IsResolved);
        Assert.Equal("/data/log/pods", dir.NodePath);
    }

    [Fact]
    public void Without_following_the_final_link_the_link_itself_is_the_answer()
    {
        _node.Link("/var/log/l", "/nowhere");
        var r = Root.Resolve("/var/log/l", followFinal: false);
        Assert.True(r.IsResolved);
        Assert.Equal(FileKind.SymbolicLink, r.Status.Kind);
        Assert.Equal("/var/log/l", r.NodePath);
    }

    [Fact]
    public void A_link_loop_ends_as_a_loop()
    {
        _node.Link("/var/log/a", "b");
        _node.Link("/var/log/b", "/var/log/a");
        Assert.Equal(ResolveOutcome.Loop, Root.Resolve("/var/log/a").Outcome);
        _node.Link("/var/log/self", "self");
        Assert.Equal(ResolveOutcome.Loop, Root.Resolve("/var/log/self").Outcome);
        _node.Link("/var/log/dirloop", "dirloop/x");
        Assert.Equal(ResolveOutcome.Loop, Root.Resolve("/var/log/dirloop/y").Outcome);
    }

    [Theory]
    [InlineData(40, ResolveOutcome.Resolved)]
    [InlineData(41, ResolveOutcome.Loop)]
    public void At_most_40_links_are_followed(int links, ResolveOutcome expected)
    {
        _node.WriteFile("/chain/end", "x");
        for (var i = 1; i <= links; i++)
            _node.Link($"/chain/l{i}", i == links ? "end" : $"l{i + 1}");
        var r = Root.Resolve("/chain/l1");
        Assert.Equal(expected, r.Outcome);
        if (expected == ResolveOutcome.Resolved)
        {
            Assert.Equal("/chain/end", r.NodePath);
            Assert.Equal(40, r.Hops.Count);
        }
    }

    [Fact]
    public void At_most_40_links_are_followed_across_directory_components()
    {
        // A chain of 40 linked directories resolves, 41 is a loop, as in the kernel.
        _node.WriteFile("/real/f", "x");
        for (var i = 1; i <= 41; i++) _node.Link($"/d/l{i}", i == 41 ? "/real" : $"l{i + 1}");
        var root = Root; // one instance: its directory cache must not let a later lookup go past 40
        var forty = root.Resolve("/d/l2/f");
        Assert.Equal(ResolveOutcome.Resolved, forty.Outcome);
        Assert.Equal("/real/f", forty.NodePath);
        Assert.Equal(ResolveOutcome.Loop, root.Resolve("/d/l1/f").Outcome);
    }

    [Fact]
    public void Not_found_reports_where_it_stopped()
    {
        _node.Mkdir("/var/log");
        var r = Root.Resolve("/var/log/missing/deeper/0.log");
        Assert.Equal(ResolveOutcome.NotFound, r.Outcome);
        Assert.Equal("/var/log/missing", r.NodePath);

        _node.Link("/var/log/l", "/nowhere/x/y");
        var viaLink = Root.Resolve("/var/log/l");
        Assert.Equal(ResolveOutcome.NotFound, viaLink.Outcome);
        Assert.Equal("/nowhere", viaLink.NodePath);
        Assert.Equal([new LinkHop("/var/log/l", "/nowhere/x/y")], viaLink.Hops);
    }

    [Fact]
    public void A_file_used_as_a_directory_is_not_a_directory()
    {
        _node.WriteFile("/var/log/f", "x");
        var r = Root.Resolve("/var/log/f/0.log");
        Assert.Equal(ResolveOutcome.NotADirectory, r.Outcome);
        Assert.Equal("/var/log/f", r.NodePath);
    }

    [Fact]
    public void A_symlinked_docker_data_root_is_followed_and_both_spellings_count()
    {
        _node.Mkdir("/data/docker/containers");
        _node.Mkdir("/var/lib");
        _node.Link("/var/lib/docker", "/data/docker");
        var layout = _node.Layout();

        Assert.Equal("/var/lib/docker", layout.DockerDataRoot.Configured);
        Assert.Equal("/data/docker", layout.DockerDataRoot.Canonical);
        Assert.True(layout.IsInsideRoots("/data/docker/containers/x/x-json.log"));
        Assert.True(layout.IsInsideRoots("/var/lib/docker/containers/x/x-json.log"));
        Assert.False(layout.IsInsideRoots("/data/other"));
        Assert.False(layout.IsInsideRoots("/var/lib/dockerd/x"));
    }

    const string LogA = "/var/lib/docker/containers/a/a-json.log", LogB = "/var/lib/docker/containers/b/b-json.log";

    /// <summary>Two json logs, and links to the first one at <paramref name="links"/>.</summary>
    NodeRoot TwoLogsLinkedFrom(params string[] links)
    {
        _node.WriteFile(LogA, "a");
        _node.WriteFile(LogB, "b");
        foreach (var link in links) _node.Link(link, LogA);
        return Root;
    }

    [Fact]
    public void A_command_remembers_a_links_chain_but_an_entry_scope_forgets_it_when_disposed()
    {
        var root = TwoLogsLinkedFrom("/var/log/pods/p/c/0.log", "/var/log/pods/p/c/1.log");

        Assert.Equal(LogA, root.Resolve("/var/log/pods/p/c/0.log").NodePath);
        using (root.BeginEntryScope())
            Assert.Equal(LogA, root.Resolve("/var/log/pods/p/c/1.log").NodePath);
        _node.Relink("/var/log/pods/p/c/0.log", LogB);
        _node.Relink("/var/log/pods/p/c/1.log", LogB);

        // Known to the command before the scope: still the chain it read, inside a scope or not.
        Assert.Equal(LogA, root.Resolve("/var/log/pods/p/c/0.log").NodePath);
        using (root.BeginEntryScope())
            Assert.Equal(LogA, root.Resolve("/var/log/pods/p/c/0.log").NodePath);
        // Learnt in a disposed scope: read again.
        Assert.Equal(LogB, root.Resolve("/var/log/pods/p/c/1.log").NodePath);
    }

    [Fact]
    public void An_entry_scope_is_the_opening_threads_own()
    {
        var root = TwoLogsLinkedFrom("/var/log/pods/p/c/0.log");
        using (root.BeginEntryScope())
        {
            Assert.Equal(LogA, root.Resolve("/var/log/pods/p/c/0.log").NodePath);
            _node.Relink("/var/log/pods/p/c/0.log", LogB);
            // Another thread has no scope open: it neither sees this scope's entries nor leaves its own in it.
            string? seenElsewhere = null;
            var other = new Thread(() => seenElsewhere = root.Resolve("/var/log/pods/p/c/0.log").NodePath);
            other.Start();
            other.Join();
            Assert.Equal(LogB, seenElsewhere);
            Assert.Equal(LogA, root.Resolve("/var/log/pods/p/c/0.log").NodePath);
        }
        Assert.Equal(LogB, root.Resolve("/var/log/pods/p/c/0.log").NodePath);
    }

    [Fact]
    public void A_listing_of_subdirectories_spares_their_lstat_and_gives_back_its_names()
    {
        _node.WriteFile("/var/lib/docker/containers/a/a-json.log", "a");
        _node.Link("/var/lib/docker/containers/b", "/elsewhere");
        _node.WriteFile("/elsewhere/a-json.log", "x");
        var root = Root;
        Assert.True(root.ResolveDirectory("/var/lib/docker/containers").IsResolved);
        root.SeedSubdirectories("/var/lib/docker/containers", ["a"]);

        var path = "/var/lib/docker/containers/a/a-json.log";
        Assert.Same(root.ListedSubdirectory(path, 27, 1), root.ListedSubdirectory("/var/lib/docker/containers/a", 27, 1));
        Assert.Equal("a", root.ListedSubdirectory(path, 27, 1));
        Assert.Null(root.ListedSubdirectory("/var/lib/docker/containers/b/a-json.log", 27, 1));
        Assert.Equal(path, root.Resolve(path).NodePath);
        // A name the listing did not call a directory is resolved as ever: this one is a link.
        var linked = root.Resolve("/var/lib/docker/containers/b/a-json.log");
        Assert.Equal("/elsewhere/a-json.log", linked.NodePath);
        Assert.Single(linked.Hops);
    }

    [Fact]
    public void LStat_answers_like_resolving_without_following_the_final_link()
    {
        _node.WriteFile("/data/pods/f", "x");
        _node.Link("/data/pods/l", "/nowhere");
        _node.Link("/var/log/pods", "/data/pods");
        var root = Root;

        Assert.Null(root.LStat("/var/log/pods/l", out var link));
        Assert.Equal(FileKind.SymbolicLink, link.Kind);
        Assert.Null(root.LStat("/var/log/pods/f", out var file));
        Assert.Equal(FileKind.RegularFile, file.Kind);
        Assert.Null(root.LStat("/", out var top));
        Assert.Equal(FileKind.Directory, top.Kind);

        var missing = root.LStat("/var/log/pods/gone", out _);
        Assert.Equal(ResolveOutcome.NotFound, missing!.Outcome);
        Assert.Equal("/data/pods/gone", missing.NodePath);
        Assert.Equal(root.Resolve("/var/log/pods/gone", followFinal: false), missing);
        Assert.Equal(ResolveOutcome.NotADirectory, root.LStat("/var/log/pods/f/x", out _)!.Outcome);
    }

    [Fact]
    public void A_directory_is_listed_where_its_parents_resolve_and_its_entries_are_reached_from_there()
    {
        // <root>/var/log/pods -> /data/pods: the host's /data/pods (if any) is never looked at.
        _node.WriteFile("/data/pods/p/c/0.log.20260301-100000", new string('x', 9000));
        _node.WriteFile("/data/pods/p/c/0.log", "live");
        _node.Link("/var/log/pods", "/data/pods");
        var root = Root;

        Assert.Equal(0, root.ReadDirectory("/var/log/pods/p/c", out var entries, out var listedAt));
        Assert.Equal("/data/pods/p/c", listedAt);
        Assert.Equal(["0.log", "0.log.20260301-100000"], entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, root.LStatListed(listedAt, "0.log", out var live));
        Assert.Equal(4, live.Size);
        Assert.Equal(_node.Root + "/data/pods/p/c/0.log", root.LocalPathListed(listedAt, "0.log"));

        // Measured where listed (NodeRoot.MeasureListed became DiskUsage.AddListed, issue #12 item 6).
        var usage = new DiskUsage(root);
        Assert.Equal(0, usage.AddListed(listedAt, "0.log.20260301-100000"));
        Assert.Equal(Posix.ENOENT, usage.AddListed(listedAt, "gone"));
        Assert.Equal(_node.Root + "/data/pods/p/c/gone", root.LocalPathListed(listedAt, "gone"));
        Assert.InRange(usage.Bytes, 9000, 16384);

        // The directory itself is not followed when it is a link (its listing is ELOOP), as ReadDirectory(string) does.
        Assert.NotEqual(0, root.ReadDirectory("/var/log/pods", out _, out _));
        var resolved = root.ResolveDirectory("/var/log/pods");
        Assert.Equal(0, root.ReadDirectory(resolved, out var pods));
        Assert.Equal("p", Assert.Single(pods).Name);
        Assert.Equal(Posix.ENOENT, root.ReadDirectory(root.ResolveDirectory("/var/log/none"), out _));
    }

    [Fact]
    public void Only_a_resolution_that_reached_its_end_gives_a_local_path_or_a_directory_descriptor()
    {
        _node.WriteFile("/data/f", "x");
        _node.Link("/var/log/l", "/data/f");
        var root = Root;

        Assert.Equal(_node.Root + "/data/f", root.LocalPathOf(root.Resolve("/var/log/l")));
        Assert.Throws<ArgumentException>(() => root.LocalPathOf(root.Resolve("/var/log/none")));

        Assert.Equal(0, root.OpenDirectory(root.ResolveDirectory("/var/log"), out var fd));
        try
        {
            Assert.Equal(0, Posix.ReadLinkAt(fd, "l", out var target));
            Assert.Equal("/data/f", target);
        }
        finally
        {
            Posix.Close(fd);
        }
        Assert.Equal(Posix.ENOENT, root.OpenDirectory(root.ResolveDirectory("/var/none"), out _));
    }
}
