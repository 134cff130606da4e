using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

/// <summary>Issue #10 item 7: files read the way kubelet reads them.</summary>
public class KubeletEdgeCaseTests
{
    // parseCRILog (k8s.io/cri-client/pkg/logs/logs.go) keeps the tag field "forward compatible": any first tag
    // but P is a full line. Lines from before the tag existed have no tag field and are read whole.
    [Fact]
    public void Lines_with_unknown_tags_or_without_a_tag_are_read_not_dropped()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log",
            "2016-10-06T00:17:09.1Z stdout log content 1\n" +
            "2016-10-06T00:17:09.2Z stderr X future tag\n" +
            "2016-10-06T00:17:09.3Z stdout P half \n" +
            "2016-10-06T00:17:09.4Z stdout F:x done\n" +
            "2016-10-06T00:17:09.5Z stdout  \n");
        var reporter = new CollectingReporter();
        var lines = ReadAll(live, reporter: reporter);
        Assert.Empty(reporter.Warnings);
        Assert.Equal(["log content 1", "future tag", "half done", " "], lines.Select(l => l.Message));
        Assert.All(lines, l => Assert.Equal(LogLineFlags.None, l.Flags));
    }

    // The LogParse hot path: deciding the tag field's shape costs no allocation per line. Compared with a file of
    // tagged lines only (in Debug builds the timestamp table costs a little per line either way; Release nothing).
    [Fact]
    public void Reading_untagged_lines_allocates_nothing_more_per_line_than_tagged_ones()
    {
        const int lines = 40000;
        long Allocated(bool untagged)
        {
            using var dir = new LogDir();
            var text = new System.Text.StringBuilder();
            for (var i = 0; i < lines; i++)
                text.Append(untagged && i % 2 == 1 ? $"2026-03-01T00:00:00.{i:D5}Z stdout tagged {i}\n" : Cri(T0.AddMilliseconds(i), "stdout", 'F', $"tagged {i}"));
            var segments = LogSegments.Discover(dir.Write("0.log", text.ToString()));
            long Count()
            {
                using var reader = new ContainerLogReader(segments, new LogReadOptions { BlockSize = 64 * 1024 });
                return reader.CountAll();
            }
            Assert.Equal(lines, Count()); // warms the buffer pool
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(lines, Count());
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        var tagged = Allocated(false);
        var mixed = Allocated(true);
        // Under a byte per line on average: any allocation per untagged line is at least 24 bytes (20,000 of them),
        // while a one-off allocation elsewhere on the thread (a tier-up, a pool refill) does not fail the test.
        Assert.True(mixed - tagged < lines, $"{tagged} bytes for {lines} tagged lines, {mixed} with half of them untagged");
    }

    // kubelet's ReadLogs reads an unterminated last line too ("Incomplete line in log file"); PodLogs flags it.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_last_line_without_its_newline_is_flagged_Incomplete(bool docker)
    {
        using var dir = new LogDir();
        string Line(int i) => docker ? Docker(T0.AddSeconds(i), "stdout", $"line {i}\n") : Cri(T0.AddSeconds(i), "stdout", 'F', $"line {i}");
        var live = dir.Write("0.log", Line(1) + Line(2) + Line(3).TrimEnd('\n'));
        var lines = ReadAll(live);
        Assert.Equal(["line 1", "line 2", "line 3"], lines.Select(l => l.Message));
        Assert.Equal([LogLineFlags.None, LogLineFlags.None, LogLineFlags.Incomplete], lines.Select(l => l.Flags));
        var record = new ContainerLogLine(lines[2], new ContainerLogOrigin(null, null, null, null, null, null));
        Assert.True(record.Incomplete);
        Assert.False(new ContainerLogLine(lines[1], record.Origin).Incomplete);
    }

    [Fact]
    public void A_rotated_file_that_ends_inside_a_line_flags_that_line()
    {
        using var dir = new LogDir();
        dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "a") + Cri(T0.AddSeconds(1), "stdout", 'F', "cut").TrimEnd('\n'));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(2), "stdout", 'F', "b"));
        var lines = ReadAll(live);
        Assert.Equal(["a", "cut", "b"], lines.Select(l => l.Message));
        Assert.Equal([LogLineFlags.None, LogLineFlags.Incomplete, LogLineFlags.None], lines.Select(l => l.Flags));
    }

    // kubelet's findTailLineStartIndex (k8s.io/cri-client/pkg/logs/tail.go): "if the last line is incomplete
    // (no end-of-line), it will not be counted as one line" (TestTail: n=1 starts at the last whole line).
    [Theory]
    [InlineData(1, new[] { "line 5", "line 6" })]
    [InlineData(2, new[] { "line 4", "line 5", "line 6" })]
    [InlineData(5, new[] { "line 1", "line 2", "line 3", "line 4", "line 5", "line 6" })]
    [InlineData(50, new[] { "line 1", "line 2", "line 3", "line 4", "line 5", "line 6" })]
    public void Tail_does_not_count_an_unterminated_last_line_and_returns_it_after_the_N(int n, string[] expected)
    {
        using var dir = new LogDir();
        var text = string.Concat(Enumerable.Range(1, 5).Select(i => Cri(T0.AddSeconds(i), "stdout", 'F', $"line {i}")))
            + Cri(T0.AddSeconds(6), "stdout", 'F', "line 6").TrimEnd('\n');
        var live = dir.Write("0.log", text);
        var tail = LogTail.Read(LogSegments.Discover(live), n);
        Assert.Equal(expected, tail.Select(l => l.Message));
        Assert.Equal(LogLineFlags.Incomplete, tail[^1].Flags);
        Assert.All(tail.SkipLast(1), l => Assert.Equal(LogLineFlags.None, l.Flags));
    }

    [Fact]
    public void Tail_does_not_count_a_line_whose_final_record_never_came()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', "a") + Cri(T0.AddSeconds(1), "stdout", 'F', "b") + Cri(T0.AddSeconds(2), "stdout", 'P', "open"));
        var tail = LogTail.Read(LogSegments.Discover(live), 1);
        Assert.Equal(["b", "open"], tail.Select(l => l.Message));
        Assert.Equal(LogLineFlags.Incomplete, tail[^1].Flags);
    }

    // -Follow waits for a partial last line instead (kubelet's ReadLogs seeks back so "it will be read again"):
    // the history ends before it and the follower gives it once whole, unflagged.
    [Fact]
    public void Follow_history_stops_before_an_unterminated_line_and_the_follower_reads_it_whole()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', "a") + Cri(T0.AddSeconds(1), "stdout", 'F', "b").TrimEnd('\n'));
        var reporter = new CollectingReporter();
        var done = false;
        using var follow = LogFollower.Begin(live, new LogReadOptions(), reporter, () => !done, TimeSpan.FromMilliseconds(20), TimeSpan.Zero);
        var history = LogTail.Read(follow.History, 10);
        Assert.Equal(["a"], history.Select(l => l.Message));
        File.AppendAllText(live, "\n");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var next = follow.Lines(reporter, cts.Token).First();
        done = true;
        Assert.Equal("b", next.Message);
        Assert.Equal(LogLineFlags.None, next.Flags);
    }
}
