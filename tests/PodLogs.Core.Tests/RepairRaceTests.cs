using System.Diagnostics;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;
using PodLogs.Core.Repair;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #11 item 3: the repair writes through the node's door. <c>&lt;root&gt;/var/log</c> is swapped for a link
/// to a canary directory outside the tree — at the moment of acting, and in a loop during repeated repairs —
/// and the canary stays empty: the log roots are opened from a descriptor of -Root, one component at a time
/// with O_NOFOLLOW, with no resolution cached by an earlier step.
/// </summary>
public sealed class RepairRaceTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly DirectoryInfo _canary = Directory.CreateTempSubdirectory("podlogs-canary-");
    readonly FakeContainer _web = new("default", "web-0", FakeNode.Uid1, "nginx", 0, FakeNode.Id("race-web"));

    public RepairRaceTests()
    {
        _node.Mkdir(FakeNode.PodLogs);
        _node.Mkdir(FakeNode.Legacy);
        _node.Docker(_web);
        _node.Mkdir(_web.ContainerDirectory); // N.log and the legacy link are Missing: the repair creates both
        // The canary mirrors /var/log, so a write that follows the swapped link would succeed there.
        Directory.CreateDirectory(_canary.FullName + "/pods/" + NodePath.FileName(_web.PodDirectory) + "/nginx");
        Directory.CreateDirectory(_canary.FullName + "/containers");
        // <root>/var/log-swap is the link; exchanging the two names swaps /var/log for it atomically.
        File.CreateSymbolicLink(_node.Local("/var/log-swap"), _canary.FullName);
    }

    public void Dispose()
    {
        try
        {
            if (_node.KindOf("/var/log") == FileKind.SymbolicLink) Swap();
        }
        finally
        {
            _node.Dispose();
            _canary.Delete(recursive: true);
        }
    }

    void Swap()
    {
        Assert.Equal(0, Posix.OpenDirectory(_node.Local("/var"), out var var));
        try { Assert.Equal(0, Posix.RenameAt2(var, "log", "log-swap", Posix.RenameExchange)); }
        finally { Posix.Close(var); }
    }

    List<string> CanaryEntries() => Directory.EnumerateFileSystemEntries(_canary.FullName, "*", SearchOption.AllDirectories)
        .Where(p => !Directory.Exists(p) || new FileInfo(p).LinkTarget is not null).ToList();

    [Fact]
    public void A_log_directory_swapped_for_a_link_at_the_moment_of_acting_gets_nothing_written_through_it()
    {
        // Paced, not hoped for: the inspection and the plan see the real tree; the swap happens in the
        // ShouldProcess call that comes right before each write.
        var r = _node.Repair(shouldProcess: (_, _) =>
        {
            if (_node.KindOf("/var/log") != FileKind.SymbolicLink) Swap();
            return true;
        });

        Assert.Equal(2, r.Plan.Steps.Count);
        Assert.Empty(CanaryEntries());
        Assert.Empty(r.Results);
        Assert.Equal(2, r.Reporter.Errors.Count);
        Swap();
        Assert.False(_node.Exists(_web.PodLogFile));
        Assert.Empty(_node.FindNames(LinkWriter.TempPrefix));
    }

    [Fact]
    public void A_log_directory_swapped_in_a_loop_during_repeated_repairs_never_leads_a_write_outside_the_tree()
    {
        // Descriptors of the real directories: the test removes what each repair created there, whatever
        // name /var/log has at that moment, so every round repairs afresh.
        Assert.Equal(0, Posix.OpenDirectory(_node.Local(_web.ContainerDirectory), out var containerDir));
        Assert.Equal(0, Posix.OpenDirectory(_node.Local(FakeNode.Legacy), out var legacyDir));
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = new Thread(() =>
        {
            Assert.Equal(0, Posix.OpenDirectory(_node.Local("/var"), out var var));
            while (!stop.IsCancellationRequested)
            {
                Posix.RenameAt2(var, "log", "log-swap", Posix.RenameExchange);
                Interlocked.Increment(ref swaps);
                Thread.SpinWait(2000);
            }
            Posix.Close(var);
        });
        swapper.Start();
        var written = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            // At least 400 rounds, and on until the race was exercised (a write landed between swaps, and the swapper, which a
            // busy or fast machine may schedule late, swapped over a hundred times); the clock only ends a run that never gets there.
            for (var round = 0; (round < 400 || written == 0 || Volatile.Read(ref swaps) <= 100) && clock.Elapsed < TimeSpan.FromSeconds(60); round++)
            {
                written += _node.Repair().Results.Count;
                Posix.UnlinkAt(containerDir, NodePath.FileName(_web.PodLogFile));
                Posix.UnlinkAt(legacyDir, NodePath.FileName(_web.LegacyLink));
                Assert.Empty(CanaryEntries());
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
            Posix.Close(containerDir);
            Posix.Close(legacyDir);
        }
        Assert.True(swaps > 100, $"only {swaps} swaps: the race was not exercised");
        Assert.Empty(CanaryEntries());
        if (_node.KindOf("/var/log") == FileKind.SymbolicLink) Swap();
        Assert.Empty(_node.FindNames(LinkWriter.TempPrefix));
        Assert.True(written > 0, "no repair succeeded between the swaps: the loop did not exercise the write path");
    }
}

/// <summary>
/// Issue #11 item 6: a failed exchange never hides a file. A regular file takes the N.log's place between the
/// repair's check and its exchange; whatever happens to the swap back, that file ends up at its name again, or
/// the error says exactly where it is. The steps are paced through <see cref="LinkWriter.Interleave"/>.
/// </summary>
public sealed class ExchangeRaceTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly FakeContainer _web;

    public ExchangeRaceTests()
    {
        _node.Mkdir(FakeNode.PodLogs);
        _node.Mkdir(FakeNode.Legacy);
        var other = _node.Healthy(new FakeContainer("prod", "api-7d9f8", FakeNode.Uid2, "server", 0, FakeNode.Id("exchange-api")));
        _web = _node.Docker(new FakeContainer("default", "web-0", FakeNode.Uid1, "nginx", 0, FakeNode.Id("exchange-web")));
        _node.PodLogLink(_web, other.JsonLog); // Stale: the repair replaces it
        _node.LegacyLink(_web);
    }

    public void Dispose()
    {
        LinkWriter.Interleave = null;
        _node.Dispose();
    }

    /// <summary>Puts a regular file at <paramref name="nodePath"/> atomically (written aside, renamed over it).</summary>
    void PlantFile(string nodePath, string content)
    {
        var aside = nodePath + ".aside";
        _node.WriteFile(aside, content);
        File.Move(_node.Local(aside), _node.Local(nodePath), overwrite: true);
    }

    Repaired RepairWith(Action<LinkWriter.InterleavePoint> interleave)
    {
        LinkWriter.Interleave = interleave;
        try { return _node.Repair(); }
        finally { LinkWriter.Interleave = null; }
    }

    string ContentOf(string nodePath) => File.ReadAllText(_node.Local(nodePath));

    [Fact]
    public void A_file_that_took_the_entrys_place_is_swapped_back()
    {
        var r = RepairWith(point => { if (point == LinkWriter.InterleavePoint.BeforeExchange) PlantFile(_web.PodLogFile, "theirs"); });

        Assert.Equal("EntryChanged", Assert.Single(r.Reporter.Errors).ErrorId);
        Assert.Equal(FileKind.RegularFile, _node.KindOf(_web.PodLogFile));
        Assert.Equal("theirs", ContentOf(_web.PodLogFile));
        Assert.Empty(_node.FindNames(LinkWriter.TempPrefix));
    }

    [Fact]
    public void When_the_swap_back_fails_the_file_is_moved_back_under_its_name()
    {
        // After the exchange, our link (now at the entry's name) is taken away: the swap back has nothing to
        // exchange with, and the old code left the file under the temporary name, saying nothing was changed.
        var r = RepairWith(point =>
        {
            if (point == LinkWriter.InterleavePoint.BeforeExchange) PlantFile(_web.PodLogFile, "theirs");
            if (point == LinkWriter.InterleavePoint.BeforeSwapBack) File.Delete(_node.Local(_web.PodLogFile));
        });

        Assert.Equal("EntryChanged", Assert.Single(r.Reporter.Errors).ErrorId);
        Assert.Equal("theirs", ContentOf(_web.PodLogFile));
        Assert.Empty(_node.FindNames(LinkWriter.TempPrefix));
    }

    [Fact]
    public void When_the_file_cannot_be_put_back_the_error_says_where_it_is()
    {
        var r = RepairWith(point =>
        {
            if (point == LinkWriter.InterleavePoint.BeforeExchange) PlantFile(_web.PodLogFile, "theirs");
            if (point == LinkWriter.InterleavePoint.BeforeSwapBack) File.Delete(_node.Local(_web.PodLogFile));
            if (point == LinkWriter.InterleavePoint.BeforeRestore) PlantFile(_web.PodLogFile, "a third one");
        });

        var error = Assert.Single(r.Reporter.Errors);
        Assert.Equal("EntryRestoreFailed", error.ErrorId);
        var hidden = Assert.Single(_node.FindNames(LinkWriter.TempPrefix));
        Assert.Contains(hidden, error.Message);
        Assert.DoesNotContain("nothing was changed", error.Message);
        Assert.Equal("theirs", ContentOf(hidden));
        Assert.Equal("a third one", ContentOf(_web.PodLogFile));
        // Inspection does not take the hidden regular file for a temporary link of ours.
        var e = _node.Inspect().At(hidden);
        Assert.Equal(LinkType.File, e.LinkType);
        Assert.DoesNotContain("temporary link", e.Reason);
    }
}
