using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Logs;
using PodLogs.Core.Native;
using Xunit.Abstractions;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

public class LogFollowerTests(ITestOutputHelper output)
{
    static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    /// <summary>A writer that behaves like a runtime: one write per record, at its own offset, on one descriptor.</summary>
    sealed class RuntimeWriter : IDisposable
    {
        public SafeFileHandle Handle;
        public long Offset;
        public RuntimeWriter(string path) { Handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write); }
        public void Write(string text) => Write(Encoding.UTF8.GetBytes(text));
        public void Write(byte[] bytes) { RandomAccess.Write(Handle, bytes, Offset); Offset += bytes.Length; }
        /// <summary>ReopenContainerLog: a new file at the name (the old one has been renamed by then).</summary>
        public void Reopen(string path) { var old = Handle; Handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write); Offset = 0; old.Dispose(); }
        public void Dispose() => Handle.Dispose();
    }

    /// <summary>Whether this process has a descriptor open on the file now at <paramref name="path"/>.</summary>
    static bool ProcessHolds(string path) => Directory.GetFiles("/proc/self/fd").Any(fd =>
    {
        try { return new FileInfo(fd).LinkTarget == path; } catch (IOException) { return false; } catch (UnauthorizedAccessException) { return false; }
    });

    static ulong Inode(string path) { Assert.Equal(0, Posix.LStat(path, out var st)); return st.Inode; }

    static long Number(LogLine l)
    {
        Assert.StartsWith("line ", l.Message);
        return long.Parse(l.Message.AsSpan(5));
    }

    /// <summary>Runs the follower on its own thread, collecting lines; Wait polls with a generous timeout.</summary>
    sealed class Background
    {
        public readonly ConcurrentQueue<LogLine> Lines = new();
        public readonly Task Task;
        public readonly CollectingReporter Reporter = new();
        readonly object _lock = new();

        public Background(string live, Func<bool>? stillRunning, CancellationToken ct, TimeSpan? poll = null, TimeSpan? grace = null, LogReadOptions? options = null)
        {
            Task = Task.Factory.StartNew(() =>
            {
                foreach (var l in LogFollower.Follow(live, options ?? new LogReadOptions(), new LockedReporter(Reporter, _lock), stillRunning, ct, poll, grace))
                    Lines.Enqueue(l);
            }, TaskCreationOptions.LongRunning);
        }

        public void WaitFor(int count)
        {
            var sw = Stopwatch.StartNew();
            while (Lines.Count < count)
            {
                Assert.False(Task.IsCompleted && Lines.Count < count, $"the follower ended after {Lines.Count} lines: {Task.Exception}");
                Assert.True(sw.Elapsed < Generous, $"only {Lines.Count} of {count} lines arrived");
                Thread.Sleep(10);
            }
        }

        public string[] Warnings { get { lock (_lock) return Reporter.Warnings.ToArray(); } }
    }

    sealed class LockedReporter(CollectingReporter inner, object gate) : IPodLogsReporter
    {
        public void Error(PodLogsFailure failure) { lock (gate) inner.Error(failure); }
        public void Warning(string message) { lock (gate) inner.Warning(message); }
        public void Verbose(string message) { lock (gate) inner.Verbose(message); }
    }

    [Fact]
    public void No_loss_while_the_file_is_rotated_kubelet_style_at_least_20_times_in_10_seconds()
    {
        using var dir = new LogDir();
        var live = dir.File("0.log");
        var writer = new RuntimeWriter(live);
        var writerDone = 0;
        long written = 0;
        var rotations = 0;
        var inodes = new HashSet<ulong> { Inode(live) };
        var writerThread = new Thread(() =>
        {
            try
            {
                var sw = Stopwatch.StartNew();
                var stamp = T0;
                var ts = "";
                long n = 0;
                var nextRotation = TimeSpan.FromMilliseconds(350);
                // 25 rotations 350 ms apart (about 10 s), however long a busy machine takes to get there; the clock only
                // ends a run that never does.
                while (rotations < 25 && sw.Elapsed < TimeSpan.FromSeconds(120))
                {
                    if ((n & 1023) == 0) ts = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ");
                    writer.Write($"{ts} stdout F line {n++}\n");
                    if (sw.Elapsed >= nextRotation)
                    {
                        // kubelet renames; the runtime writes on to its open descriptor until ReopenContainerLog
                        stamp = stamp.AddSeconds(1);
                        File.Move(live, $"{live}.{stamp:yyyyMMdd-HHmmss}");
                        var until = sw.Elapsed + TimeSpan.FromMilliseconds(30);
                        while (sw.Elapsed < until) writer.Write($"{ts} stdout F line {n++}\n");
                        writer.Reopen(live);
                        inodes.Add(Inode(live));
                        rotations++;
                        nextRotation = sw.Elapsed + TimeSpan.FromMilliseconds(350);
                    }
                }
                written = n;
            }
            finally { writer.Dispose(); Volatile.Write(ref writerDone, 1); }
        });

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var reporter = new CollectingReporter();
        long expected = 0;
        writerThread.Start();
        foreach (var line in LogFollower.Follow(live, new LogReadOptions(), reporter, () => Volatile.Read(ref writerDone) == 0, cts.Token))
        {
            var n = Number(line);
            if (n != expected) Assert.Fail($"expected line {expected}, got {n} (from '{line.File}' at byte {line.Offset})");
            Assert.Equal(LogLineFlags.None, line.Flags);
            expected++;
        }
        writerThread.Join();
        output.WriteLine($"{written} lines, {rotations} rotations, {reporter.VerboseMessages.Count} rotations seen by the follower");
        Assert.True(rotations >= 20, $"only {rotations} rotations");
        Assert.Equal(rotations + 1, inodes.Count);
        Assert.True(written > 10_000, $"the writer wrote only {written} lines");
        Assert.Equal(written, expected);
        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
    }

    [Fact]
    public void A_file_that_is_at_the_name_only_while_the_consumer_is_busy_is_still_read()
    {
        using var dir = new LogDir();
        var live = dir.File("0.log");
        var n = 0;
        string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => Cri(T0, "stdout", 'F', $"line {n++}")));
        dir.Write("0.log", Lines(20_000));                     // more than one read block
        var reporter = new CollectingReporter();
        using var e = LogFollower.Follow(live, new LogReadOptions(), reporter, () => false, CancellationToken.None, TimeSpan.FromMilliseconds(20)).GetEnumerator();
        Assert.True(e.MoveNext());
        // the consumer holds the follower at its first line while the file is rotated twice
        File.Move(live, live + ".20260301-000001");
        dir.Write("0.log", Lines(100));
        // wait until the follower's watcher holds the new file (no timing assumption), then rotate it away
        var sw = Stopwatch.StartNew();
        while (!ProcessHolds(live)) { Assert.True(sw.Elapsed < Generous, "the watcher never opened the new file"); Thread.Sleep(10); }
        File.Move(live, live + ".20260301-000002");
        dir.Write("0.log", Lines(100));
        var got = new List<long> { Number(e.Current) };
        while (e.MoveNext()) got.Add(Number(e.Current));
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), got);
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void Docker_json_with_docker_rotation_to_dot_1_loses_nothing_and_merges_a_line_split_across_the_rotation()
    {
        using var dir = new LogDir();
        var id = new string('a', 64);
        var live = dir.File($"{id}-json.log");
        var writer = new RuntimeWriter(live);
        var done = 0;
        var follower = new Background(live, () => Volatile.Read(ref done) == 0, CancellationToken.None, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(300));
        var n = 0;
        for (var file = 0; file < 6; file++)
        {
            for (var i = 0; i < 200; i++) writer.Write(Docker(T0.AddSeconds(n), i % 2 == 0 ? "stdout" : "stderr", $"line {n++}\n"));
            if (file == 2)
            {
                // a long line split by docker: the first record lacks the final newline, the rest comes after the rotation
                writer.Write(Docker(T0.AddSeconds(n), "stdout", "split \"quoted\" "));
            }
            // the follower has the lines so far, so it holds this file (robust on a loaded machine; the
            // case of a file missed while the consumer is busy has its own test)
            follower.WaitFor(n);
            // moby rotate(): .1 → .2, live → .1, new live; nothing more goes to the old file
            if (File.Exists(live + ".1")) File.Move(live + ".1", live + ".2", overwrite: true);
            File.Move(live, live + ".1");
            writer.Reopen(live);
            if (file == 2) writer.Write(Docker(T0.AddSeconds(n), "stdout", "across rotation\n"));
        }
        for (var i = 0; i < 10; i++) writer.Write(Docker(T0.AddSeconds(n), "stdout", $"line {n++}\n"));
        writer.Dispose();
        follower.WaitFor(n + 1);
        Volatile.Write(ref done, 1);
        Assert.True(follower.Task.Wait(Generous));
        var lines = follower.Lines.ToList();
        var merged = Assert.Single(lines, l => l.Message.StartsWith("split"));
        Assert.Equal("split \"quoted\" across rotation", merged.Message);
        Assert.Equal(LogLineFlags.None, merged.Flags);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (long)i), lines.Where(l => l != merged).Select(Number));
        Assert.Equal(LogStream.Stderr, lines[1].Stream);
        Assert.Empty(follower.Reporter.Errors);
        Assert.Empty(follower.Warnings);
    }

    [Fact]
    public void Truncation_in_place_warns_with_the_bytes_lost_and_reading_restarts_at_zero()
    {
        using var dir = new LogDir();
        var live = dir.File("c-json.log");
        var unfinished = "2026-03-01T00:00:05Z stdout F line 5 never fin";
        dir.Write("c-json.log", string.Concat(Enumerable.Range(0, 5).Select(i => Cri(T0.AddSeconds(i), "stdout", 'F', $"line {i}"))) + unfinished);
        var inode = Inode(live);
        var reporter = new CollectingReporter();
        var stop = false;
        using var e = LogFollower.Follow(live, new LogReadOptions(), reporter, () => !stop, CancellationToken.None, TimeSpan.FromMilliseconds(10)).GetEnumerator();
        for (var i = 0; i < 5; i++) { Assert.True(e.MoveNext()); Assert.Equal(i, Number(e.Current)); }

        // docker max-file 1: O_TRUNC on the same file, then the next records
        using (var fs = new FileStream(live, FileMode.Truncate, FileAccess.Write)) fs.Write(Encoding.UTF8.GetBytes(Cri(T0.AddSeconds(6), "stdout", 'F', "line 6")));
        Assert.Equal(inode, Inode(live));
        Assert.True(e.MoveNext());
        Assert.Equal(6, Number(e.Current));
        var w = Assert.Single(reporter.Warnings);
        Assert.Contains("truncated in place", w);
        Assert.Contains($"{Encoding.UTF8.GetByteCount(unfinished)} bytes were lost", w);
        Assert.Contains("restarts at byte 0", w);
        Assert.Equal(0, e.Current.Offset);
        stop = true;
        if (e.MoveNext()) Assert.Fail($"unexpected '{e.Current.Message}' at byte {e.Current.Offset} ({e.Current.Flags}); warnings: {string.Join(" | ", reporter.Warnings)}");
    }

    [Fact]
    public void Truncation_followed_by_more_than_was_read_is_still_detected()
    {
        using var dir = new LogDir();
        var live = dir.File("c-json.log");
        dir.Write("c-json.log", Cri(T0, "stdout", 'F', "line 0") + Cri(T0, "stdout", 'F', "line 1"));
        var reporter = new CollectingReporter();
        var stop = false;
        using var e = LogFollower.Follow(live, new LogReadOptions(), reporter, () => !stop, CancellationToken.None, TimeSpan.FromMilliseconds(10)).GetEnumerator();
        Assert.True(e.MoveNext()); Assert.True(e.MoveNext());
        Assert.Equal(1, Number(e.Current));
        // the follower is suspended: the file is truncated and rewritten past the old offset before it looks again
        using (var fs = new FileStream(live, FileMode.Truncate, FileAccess.Write))
            fs.Write(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(2, 8).Select(i => Cri(T0.AddSeconds(i), "stdout", 'F', $"line {i}")))));
        for (var i = 2; i < 10; i++) { Assert.True(e.MoveNext()); Assert.Equal(i, Number(e.Current)); }
        Assert.Contains("truncated in place", Assert.Single(reporter.Warnings));
        stop = true;
        if (e.MoveNext()) Assert.Fail($"unexpected '{e.Current.Message}' at byte {e.Current.Offset} ({e.Current.Flags}); warnings: {string.Join(" | ", reporter.Warnings)}");
    }

    [Fact]
    public void Partial_records_split_across_appends_are_held_back_until_their_final_record()
    {
        using var dir = new LogDir();
        var live = dir.File("0.log");
        var writer = new RuntimeWriter(live);
        var done = 0;
        var follower = new Background(live, () => Volatile.Read(ref done) == 0, CancellationToken.None, TimeSpan.FromMilliseconds(10));
        writer.Write(Cri(T0, "stdout", 'P', "hello "));
        var second = Cri(T0, "stdout", 'P', "wor");
        writer.Write(second[..10]);                       // half a physical line
        Thread.Sleep(300);
        Assert.Empty(follower.Lines);                     // nothing incomplete comes out while following
        writer.Write(second[10..]);
        writer.Write(Cri(T0, "stderr", 'F', "other stream"));
        follower.WaitFor(1);
        Thread.Sleep(100);
        Assert.Equal(["other stream"], follower.Lines.Select(l => l.Message));
        writer.Write(Cri(T0.AddSeconds(1), "stdout", 'F', "ld"));
        follower.WaitFor(2);
        Volatile.Write(ref done, 1);
        Assert.True(follower.Task.Wait(Generous));
        var lines = follower.Lines.ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("hello world", lines[1].Message);
        Assert.Equal(LogLineFlags.None, lines[1].Flags);
        Assert.Equal(0, lines[1].Offset);
        Assert.Equal(T0, lines[1].Timestamp);
        Assert.Empty(follower.Warnings);
    }

    [Fact]
    public void StillRunning_false_ends_the_enumeration_after_draining_and_an_open_line_comes_out_incomplete()
    {
        using var dir = new LogDir();
        var text = string.Concat(Enumerable.Range(0, 1000).Select(i => Cri(T0.AddMilliseconds(i), "stdout", 'F', $"line {i}")))
            + Cri(T0.AddSeconds(2), "stdout", 'P', "cut short");
        var live = dir.Write("0.log", text);
        dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "rotated earlier: not read by the follower"));
        var reporter = new CollectingReporter();
        var task = Task.Run(() => LogFollower.Follow(live, new LogReadOptions(), reporter, () => false, CancellationToken.None).ToList());
        Assert.True(task.Wait(Generous), "the follower did not end");
        var lines = task.Result;
        Assert.Equal(1001, lines.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (long)i), lines.Take(1000).Select(Number));
        Assert.Equal("cut short", lines[1000].Message);
        Assert.Equal(LogLineFlags.Incomplete, lines[1000].Flags);
    }

    [Fact]
    public void Begin_splits_at_a_line_end_where_no_partial_line_is_open_and_the_follower_goes_on_from_there_with_the_filters()
    {
        using var dir = new LogDir();
        var before = Cri(T0, "stdout", 'F', "line 0") + Cri(T0, "stderr", 'F', "line 1") + Cri(T0, "stdout", 'F', "skip me");
        var live = dir.Write("0.log", before + Cri(T0, "stdout", 'P', "hel") + Cri(T0, "stderr", 'F', "line 2"));
        var options = new LogReadOptions { Match = new System.Text.RegularExpressions.Regex("^(line|hello)") };
        var reporter = new CollectingReporter();
        using var follow = LogFollower.Begin(live, options, reporter, () => false);
        var segment = Assert.Single(follow.History);
        Assert.Equal(Encoding.UTF8.GetByteCount(before), segment.Length);
        Assert.Equal(["line 0", "line 1"], ContainerLogReader.ReadAll(follow.History, options).Select(l => l.Message));
        File.AppendAllText(live, Cri(T0, "stdout", 'F', "lo") + Cri(T0, "stdout", 'F', "line 3"));
        Assert.Equal(["line 2", "hello", "line 3"], follow.Lines(reporter, CancellationToken.None).Select(l => l.Message));
        Assert.Empty(reporter.Warnings);
    }

    [Fact]
    public void Begin_holds_the_live_file_so_a_rotation_while_the_history_is_read_loses_and_repeats_nothing()
    {
        using var dir = new LogDir();
        var n = 0;
        string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => Cri(T0, "stdout", 'F', $"line {n++}")));
        dir.Write("0.log.20260301-000000", Lines(10));
        var live = dir.Write("0.log", Lines(90));
        var reporter = new CollectingReporter();
        using var follow = LogFollower.Begin(live, new LogReadOptions(), reporter, () => false);
        // kubelet rotates before the history is read; the runtime writes on to the old file, then reopens
        File.Move(live, live + ".20260301-000001");
        File.AppendAllText(live + ".20260301-000001", Lines(50));
        dir.Write("0.log", Lines(50));
        var history = ContainerLogReader.ReadAll(follow.History).Select(Number).ToList();
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), history);
        Assert.Equal(Enumerable.Range(100, 100).Select(i => (long)i), follow.Lines(reporter, CancellationToken.None).Select(Number));
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void Begin_on_a_missing_live_file_returns_the_rotated_siblings_and_waits_for_the_file()
    {
        using var dir = new LogDir();
        var rotated = dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "line 0"));
        var live = dir.File("0.log");
        var reporter = new CollectingReporter();
        var done = 0;
        using var follow = LogFollower.Begin(live, new LogReadOptions(), reporter, () => Volatile.Read(ref done) == 0, TimeSpan.FromMilliseconds(10));
        Assert.Equal([rotated], follow.History.Select(s => s.Path));
        Assert.Contains("does not exist (yet)", Assert.Single(reporter.Warnings));
        using var e = follow.Lines(reporter, CancellationToken.None).GetEnumerator();
        dir.Write("0.log", Cri(T0, "stdout", 'F', "line 1"));
        Assert.True(e.MoveNext());
        Assert.Equal(1, Number(e.Current));
        Volatile.Write(ref done, 1);
        Assert.False(e.MoveNext());
    }

    [Fact]
    public void A_physical_line_longer_than_the_cap_is_skipped_with_a_warning_and_reading_goes_on()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', new string('x', 600_000)) + Cri(T0, "stdout", 'F', "line 1"));
        var reporter = new CollectingReporter();
        var lines = LogFollower.Follow(live, new LogReadOptions { MaxLineBytes = 1024 }, reporter, () => false, CancellationToken.None).ToList();
        Assert.Equal(1, Number(Assert.Single(lines)));
        Assert.Contains("at byte 0 is longer than MaxLineBytes + 64 KiB", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void Cancellation_stops_promptly_even_in_a_long_poll()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', "line 0"));
        using var cts = new CancellationTokenSource();
        var follower = new Background(live, null, cts.Token, poll: TimeSpan.FromMinutes(10));
        follower.WaitFor(1);
        Thread.Sleep(100);
        cts.Cancel();
        var ex = Assert.ThrowsAny<AggregateException>(() => follower.Task.Wait(Generous));
        Assert.IsAssignableFrom<OperationCanceledException>(ex.InnerException);
    }

    [Fact]
    public void A_FIFO_at_the_name_is_an_error_and_does_not_hang()
    {
        using var dir = new LogDir();
        var live = dir.File("0.log");
        using (var p = Process.Start("mkfifo", live)) p.WaitForExit();
        var reporter = new CollectingReporter();
        var task = Task.Run(() => LogFollower.Follow(live, new LogReadOptions(), reporter, null, CancellationToken.None).ToList());
        Assert.True(task.Wait(Generous), "following a FIFO blocked");
        Assert.Empty(task.Result);
        var e = Assert.Single(reporter.Errors);
        Assert.Equal("LogFileNotRegular", e.ErrorId);
        Assert.Contains("Fifo", e.Message);
    }

    [Fact]
    public void A_missing_file_is_waited_for()
    {
        using var dir = new LogDir();
        var live = dir.File("0.log");
        var done = 0;
        var follower = new Background(live, () => Volatile.Read(ref done) == 0, CancellationToken.None, TimeSpan.FromMilliseconds(10));
        Thread.Sleep(100);
        dir.Write("0.log", Cri(T0, "stdout", 'F', "line 0"));
        follower.WaitFor(1);
        Volatile.Write(ref done, 1);
        Assert.True(follower.Task.Wait(Generous));
        Assert.Contains("does not exist (yet)", Assert.Single(follower.Warnings));
    }
}
