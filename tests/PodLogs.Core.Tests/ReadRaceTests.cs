using System.Diagnostics;
using System.Text;
using PodLogs.Core.Logs;
using PodLogs.Core.Native;
using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #11 item 2: reading and following through the node's door. The container's log directory
/// <c>&lt;root&gt;/var/log/pods/&lt;pod&gt;/&lt;container&gt;</c> is swapped for a link to a canary directory outside the tree
/// whose files hold lines "CANARY" — right between the check and the open (paced), and in a loop while reading and
/// following — and no CANARY line ever appears: files are opened by walking the directory the check resolved from a
/// descriptor of -Root with O_NOFOLLOW, never by a local path string.
/// </summary>
public sealed class ReadRaceTests : IDisposable
{
    const string Pod = "/var/log/pods/default_web-0_2681cb7f-daa4-4620-bb60-1d449709181c";
    const string ContainerDir = Pod + "/nginx";
    const string LiveNode = ContainerDir + "/0.log";
    const string Rotated = "0.log.20260301-100000";

    readonly FakeNode _node = new();
    readonly DirectoryInfo _canary = Directory.CreateTempSubdirectory("podlogs-canary-");

    public ReadRaceTests()
    {
        _node.Mkdir(ContainerDir);
        _node.WriteFile(ContainerDir + "/" + Rotated, Lines("good old", 3));
        _node.WriteFile(LiveNode, Lines("good live", 3));
        // The canary mirrors the container directory, so an open that follows the swapped link finds files there.
        File.WriteAllText(Path.Combine(_canary.FullName, "0.log"), Lines("CANARY", 3));
        File.WriteAllText(Path.Combine(_canary.FullName, Rotated), Lines("CANARY", 3));
        // <pod>/nginx-swap is the link; exchanging the two names swaps the container directory for it atomically.
        File.CreateSymbolicLink(_node.Local(ContainerDir + "-swap"), _canary.FullName);
    }

    public void Dispose()
    {
        try
        {
            if (_node.KindOf(ContainerDir) == FileKind.SymbolicLink) Swap();
        }
        finally
        {
            _node.Dispose();
            _canary.Delete(recursive: true);
        }
    }

    static string Lines(string text, int n) =>
        string.Concat(Enumerable.Range(0, n).Select(i => $"2026-03-01T10:00:0{i}.000000000Z stdout F {text} {i}\n"));

    void Swap()
    {
        Assert.Equal(0, Posix.OpenDirectory(_node.Local(Pod), out var pod));
        try { Assert.Equal(0, Posix.RenameAt2(pod, "nginx", "nginx-swap", Posix.RenameExchange)); }
        finally { Posix.Close(pod); }
    }

    /// <summary>What the cmdlet does: the chain checked under -Root, then the door of the directory it ended in.</summary>
    (string Live, LogDoor Door) Checked()
    {
        var root = new NodeRoot(_node.Root);
        var res = root.Resolve(LiveNode);
        Assert.True(res.IsResolved, res.Outcome.ToString());
        Assert.Equal(LiveNode, res.NodePath);
        return (root.LocalPathOf(res), LogDoor.Of(root, res));
    }

    [Fact]
    public void A_container_directory_swapped_for_a_link_between_the_check_and_the_open_is_not_read()
    {
        var (live, door) = Checked();
        var segments = LogSegments.Discover(live, door: door);
        Assert.Equal(2, segments.Count);
        var reporter = new CollectingReporter();
        // Paced: the swap happens right before the first file is opened, after the listing that chose it.
        LogFileOpener.BeforeOpen = _ => { if (_node.KindOf(ContainerDir) != FileKind.SymbolicLink) Swap(); };
        List<LogLine> lines;
        try { lines = ContainerLogReader.ReadAll(segments, reporter: reporter).ToList(); }
        finally { LogFileOpener.BeforeOpen = null; }

        Assert.Equal(FileKind.SymbolicLink, _node.KindOf(ContainerDir));
        Assert.Empty(lines);
        Assert.Equal(2, reporter.Errors.Count);
        Assert.All(reporter.Errors, e => Assert.Equal("LogFileNotRegular", e.ErrorId));
        Assert.Contains("swapped", reporter.Errors[0].Message);
    }

    [Fact]
    public void Tail_and_Since_through_the_door_refuse_the_same_paced_swap()
    {
        var (live, door) = Checked();
        foreach (var read in new Func<IReadOnlyList<LogSegment>, CollectingReporter, IEnumerable<LogLine>>[]
        {
            (segments, reporter) => LogTail.Read(segments, 2, new LogReadOptions(), reporter),
            (segments, reporter) => ContainerLogReader.ReadAll(segments, new LogReadOptions { Since = DateTimeOffset.Parse("2026-03-01T10:00:01Z") }, reporter),
        })
        {
            var segments = LogSegments.Discover(live, door: door);
            var reporter = new CollectingReporter();
            LogFileOpener.BeforeOpen = _ => { if (_node.KindOf(ContainerDir) != FileKind.SymbolicLink) Swap(); };
            List<LogLine> lines;
            try { lines = read(segments, reporter).ToList(); }
            finally { LogFileOpener.BeforeOpen = null; }
            Assert.Equal(FileKind.SymbolicLink, _node.KindOf(ContainerDir));
            Assert.DoesNotContain(lines, l => l.Message.Contains("CANARY", StringComparison.Ordinal));
            Assert.Contains(reporter.Errors, e => e.ErrorId == "LogFileNotRegular");
            Swap();
        }
    }

    [Fact]
    public void Without_a_door_the_same_paced_swap_reads_the_canary()
    {
        // The control: the pacing does hit the window. A path string (what -LiteralPath is, and what every read was
        // before issue #11) is resolved again by the kernel, through the swapped link.
        var (live, _) = Checked();
        var segments = LogSegments.Discover(live);
        LogFileOpener.BeforeOpen = _ => { if (_node.KindOf(ContainerDir) != FileKind.SymbolicLink) Swap(); };
        List<LogLine> lines;
        try { lines = ContainerLogReader.ReadAll(segments).ToList(); }
        finally { LogFileOpener.BeforeOpen = null; }
        Assert.Contains(lines, l => l.Message.StartsWith("CANARY", StringComparison.Ordinal));
    }

    [Fact]
    public void The_door_reads_the_checked_directory_and_its_rotated_siblings()
    {
        var (live, door) = Checked();
        var lines = ContainerLogReader.ReadAll(LogSegments.Discover(live, door: door)).Select(l => l.Message).ToList();
        Assert.Equal(["good old 0", "good old 1", "good old 2", "good live 0", "good live 1", "good live 2"], lines);
        // the door of a root that is itself a link (the user chose it) still works: only what is under it is walked
        var linkedRoot = _node.Root + "-link";
        File.CreateSymbolicLink(linkedRoot, _node.Root);
        try
        {
            var root = new NodeRoot(linkedRoot);
            var res = root.Resolve(LiveNode);
            Assert.Equal(6, ContainerLogReader.ReadAll(LogSegments.Discover(root.LocalPathOf(res), door: LogDoor.Of(root, res))).Count());
        }
        finally { File.Delete(linkedRoot); }
    }

    [Fact]
    public void A_container_directory_swapped_in_a_loop_while_reading_never_shows_a_line_from_outside()
    {
        var (live, door) = Checked();
        using var stop = new CancellationTokenSource();
        long swaps = 0;
        var swapper = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested) { Swap(); Interlocked.Increment(ref swaps); }
        }, TaskCreationOptions.LongRunning);
        int reads = 0, good = 0;
        var canary = new List<string>();
        var sw = Stopwatch.StartNew();
        try
        {
            // Two seconds, and on until the race was exercised (a busy machine may schedule the swapper late); the last bound
            // only ends a run that never gets there.
            while ((sw.Elapsed < TimeSpan.FromSeconds(2) || reads <= 10 || good == 0 || Interlocked.Read(ref swaps) <= 10) && sw.Elapsed < TimeSpan.FromSeconds(60))
            {
                var reporter = new CollectingReporter();
                foreach (var l in ContainerLogReader.ReadAll(LogSegments.Discover(live, reporter, door), reporter: reporter))
                {
                    if (l.Message.Contains("CANARY", StringComparison.Ordinal)) canary.Add($"{l.File}: {l.Message}");
                    else good++;
                }
                reads++;
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Wait();
        }
        Assert.Empty(canary);
        Assert.True(reads > 10 && good > 0 && Interlocked.Read(ref swaps) > 10, $"reads {reads}, good lines {good}, swaps {swaps}");
    }

    [Fact]
    public void A_follower_reopening_after_rotation_while_the_directory_is_swapped_never_shows_a_line_from_outside()
    {
        var (live, door) = Checked();
        var sw = Stopwatch.StartNew();
        var reporter = new CollectingReporter();
        var lines = new List<LogLine>();
        using var follow = LogFollower.Begin(live, new LogReadOptions(), reporter, () => sw.Elapsed < TimeSpan.FromSeconds(2.5),
            TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(100), door);
        lines.AddRange(ContainerLogReader.ReadAll(follow.History, reporter: reporter));
        var task = Task.Factory.StartNew(() => follow.Lines(reporter, CancellationToken.None).ToList(), TaskCreationOptions.LongRunning);
        Thread.Sleep(100);
        // kubelet's rotation (rename, then a new N.log), and at once the directory swapped for the canary's link:
        // the follower reopens the name and must refuse what it finds through the link
        File.Move(_node.Local(LiveNode), _node.Local(ContainerDir + "/0.log.20260301-100500"));
        _node.WriteFile(LiveNode, Lines("good rotated", 2));
        Swap();
        Thread.Sleep(1000);
        Swap();   // back: the new file is followed again
        lines.AddRange(task.Result);

        Assert.DoesNotContain(lines, l => l.Message.Contains("CANARY", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Message == "good live 2");
        Assert.Contains(lines, l => l.Message == "good rotated 1");
        Assert.Contains(reporter.Errors, e => e.ErrorId == "LogFileNotRegular" && e.Message.Contains("swapped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_container_directory_swapped_in_a_loop_while_following_never_shows_a_line_from_outside()
    {
        var (live, door) = Checked();
        using var stop = new CancellationTokenSource();
        var sw = Stopwatch.StartNew();
        var reporter = new CollectingReporter();
        var lines = new List<LogLine>();
        using var follow = LogFollower.Begin(live, new LogReadOptions(), reporter, () => sw.Elapsed < TimeSpan.FromSeconds(3),
            TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(50), door);
        lines.AddRange(ContainerLogReader.ReadAll(follow.History, reporter: reporter));
        var task = Task.Factory.StartNew(() => follow.Lines(reporter, CancellationToken.None).ToList(), TaskCreationOptions.LongRunning);
        // The runtime rotates the real directory through a descriptor of it (whatever name it has at the moment),
        // while the swapper exchanges the container directory and the link as fast as it can.
        Assert.Equal(0, Posix.OpenDirectory(_node.Local(ContainerDir), out var real));
        var swapper = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested) { Swap(); Thread.Yield(); }
        }, TaskCreationOptions.LongRunning);
        var rotations = 0;
        try
        {
            var realPath = $"/proc/self/fd/{real}";
            while (sw.Elapsed < TimeSpan.FromSeconds(2))
            {
                File.Move(Path.Combine(realPath, "0.log"), Path.Combine(realPath, $"0.log.rot{rotations}"));
                File.WriteAllText(Path.Combine(realPath, "0.log"), Lines($"good rotation {rotations}", 1));
                rotations++;
                Thread.Sleep(30);
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Wait();
            Posix.Close(real);
        }
        lines.AddRange(task.Result);
        Assert.DoesNotContain(lines, l => l.Message.Contains("CANARY", StringComparison.Ordinal));
        Assert.True(rotations > 10 && lines.Any(l => l.Message.StartsWith("good rotation", StringComparison.Ordinal)), $"rotations {rotations}, lines {lines.Count}");
    }
}
