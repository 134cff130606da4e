using System.Text;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

public class LogMergeTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(1 << 20)]
    public void CRI_partials_merge_across_read_blocks(int blockSize)
    {
        using var dir = new LogDir();
        var f = dir.Write("0.log",
            Cri(T0, "stdout", 'P', "first part, ") +
            Cri(T0.AddMilliseconds(1), "stderr", 'F', "an error in between") +
            Cri(T0.AddMilliseconds(2), "stdout", 'P', "second part, ") +
            Cri(T0.AddMilliseconds(3), "stdout", 'F', "end") +
            Cri(T0.AddMilliseconds(4), "stdout", 'F', "next"));
        var lines = ReadAll(f, new LogReadOptions { BlockSize = blockSize });
        Assert.Equal(["an error in between", "first part, second part, end", "next"], lines.Select(l => l.Message));
        var merged = lines[1];
        Assert.Equal(T0, merged.Timestamp);
        Assert.Equal(0, merged.Offset);
        Assert.Equal(LogStream.Stdout, merged.Stream);
        Assert.Equal(f, merged.File);
        Assert.Equal(LogLineFlags.None, merged.Flags);
    }

    [Fact]
    public void Docker_records_without_final_newline_merge()
    {
        using var dir = new LogDir();
        var f = dir.Write("c-json.log",
            Docker(T0, "stdout", "a\"b ") + Docker(T0.AddSeconds(1), "stdout", "c\\d ") + Docker(T0.AddSeconds(2), "stdout", "é\n") +
            Docker(T0.AddSeconds(3), "stderr", "alone\n"));
        var lines = ReadAll(f, new LogReadOptions { BlockSize = 70 });
        Assert.Equal(["a\"b c\\d é", "alone"], lines.Select(l => l.Message));
        Assert.Equal([LogStream.Stdout, LogStream.Stderr], lines.Select(l => l.Stream));
    }

    [Fact]
    public void NoMerge_returns_the_physical_records()
    {
        using var dir = new LogDir();
        var f = dir.Write("0.log", Cri(T0, "stdout", 'P', "a") + Cri(T0, "stdout", 'P', "b") + Cri(T0, "stdout", 'F', "c"));
        var lines = ReadAll(f, new LogReadOptions { NoMerge = true });
        Assert.Equal(["a", "b", "c"], lines.Select(l => l.Message));
        Assert.Equal([LogLineFlags.Partial, LogLineFlags.Partial, LogLineFlags.None], lines.Select(l => l.Flags));
        var second = Encoding.UTF8.GetByteCount(Cri(T0, "stdout", 'P', "a"));
        Assert.Equal([0L, second, 2L * second], lines.Select(l => l.Offset));
    }

    [Fact]
    public void A_line_longer_than_MaxLineBytes_is_split_with_one_warning()
    {
        using var dir = new LogDir();
        var text = string.Concat(Enumerable.Range(0, 10).Select(i => Cri(T0, "stdout", 'P', new string((char)('a' + i), 30)))) + Cri(T0, "stdout", 'F', "END") + Cri(T0, "stdout", 'F', "after");
        var f = dir.Write("0.log", text);
        var reporter = new CollectingReporter();
        var lines = ReadAll(f, new LogReadOptions { MaxLineBytes = 100, BlockSize = 64 }, reporter);
        Assert.Equal(5, lines.Count);
        Assert.All(lines.Take(3), l => Assert.Equal(LogLineFlags.Split, l.Flags));
        Assert.All(lines.Take(3), l => Assert.Equal(100, l.Message.Length));
        Assert.Equal(LogLineFlags.None, lines[3].Flags);
        Assert.Equal(string.Concat(Enumerable.Range(0, 10).Select(i => new string((char)('a' + i), 30))) + "END", string.Concat(lines.Take(4).Select(l => l.Message)));
        Assert.Equal("after", lines[4].Message);
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains(f, warning);
        Assert.Contains("at byte 0", warning);
        Assert.Contains("MaxLineBytes", warning);
    }

    [Fact]
    public void An_endless_partial_stream_is_emitted_in_capped_pieces()
    {
        using var dir = new LogDir();
        var sb = new StringBuilder();
        for (var i = 0; i < 5000; i++) sb.Append(Cri(T0, "stdout", 'P', new string('x', 200)));
        var f = dir.Write("0.log", sb.ToString());
        var lines = ReadAll(f, new LogReadOptions { MaxLineBytes = 64 * 1024 });
        Assert.All(lines, l => Assert.True(l.Message.Length <= 64 * 1024));
        Assert.Equal(5000 * 200, lines.Sum(l => (long)l.Message.Length));
        Assert.Equal(LogLineFlags.Incomplete, lines[^1].Flags);
    }

    [Fact]
    public void Stream_filter_and_Match_apply_to_logical_lines()
    {
        using var dir = new LogDir();
        var f = dir.Write("0.log",
            Cri(T0, "stdout", 'P', "needle ") + Cri(T0, "stdout", 'F', "in a haystack") +
            Cri(T0, "stderr", 'F', "needle on stderr") + Cri(T0, "stdout", 'F', "nothing"));
        var lines = ReadAll(f, new LogReadOptions { Match = new System.Text.RegularExpressions.Regex("needle.*hay") });
        Assert.Equal(["needle in a haystack"], lines.Select(l => l.Message));
        Assert.Equal(["needle on stderr"], ReadAll(f, new LogReadOptions { Streams = LogStreams.Stderr }).Select(l => l.Message));
    }

    [Fact]
    public void Format_is_detected_per_file()
    {
        using var dir = new LogDir();
        dir.Write("0.log.20260301-000000", Docker(T0, "stdout", "from docker\n"));
        var f = dir.Write("0.log", Cri(T0.AddSeconds(1), "stdout", 'F', "from cri"));
        Assert.Equal(["from docker", "from cri"], ReadAll(f).Select(l => l.Message));
    }

    [Fact]
    public void Timestamps_keep_their_text_and_offset()
    {
        using var dir = new LogDir();
        var f = dir.Write("0.log", "2023-07-12T21:03:05.123456789+02:00 stdout F hi\n2023-07-12T19:03:05.5Z stdout F there\n");
        var lines = ReadAll(f);
        Assert.Equal("2023-07-12T21:03:05.123456789+02:00", lines[0].TimestampText);
        Assert.Equal(TimeSpan.FromHours(2), lines[0].Timestamp.Offset);
        Assert.Equal(new DateTimeOffset(2023, 7, 12, 19, 3, 5, TimeSpan.Zero).AddTicks(1234567), lines[0].Timestamp);
        Assert.Equal("2023-07-12T21:03:05.123456789+02:00 hi", lines[0].ToString());
    }
}

public class ReaderCancellationTests
{
    [Fact]
    public void A_scan_where_nothing_passes_the_filters_stops_at_the_next_block_once_cancelled()
    {
        using var dir = new LogDir();
        var text = new StringBuilder(Cri(T0, "stdout", 'F', "wanted"));
        for (var i = 0; i < 20_000; i++) text.Append(Cri(T0, "stdout", 'F', $"unwanted {i}"));
        var live = dir.Write("0.log", text.ToString());
        using var cts = new CancellationTokenSource();
        var options = new LogReadOptions { Match = new System.Text.RegularExpressions.Regex("^wanted"), BlockSize = 4096 };
        using var reader = new ContainerLogReader(LogSegments.Discover(live), options, cancellationToken: cts.Token);
        Assert.True(reader.TryReadRecord(out var first));
        Assert.Equal("wanted", first.Message);
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => reader.TryReadRecord(out _));
    }
}
