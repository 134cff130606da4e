using System.Text.RegularExpressions;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

public class TailTests
{
    static void AssertSame(IReadOnlyList<LogLine> expected, IReadOnlyList<LogLine> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(5000)]
    [InlineData(100000)]
    public void Tail_equals_the_last_N_logical_lines_of_a_full_read(int n)
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", LogCorpus.Cri(12000, T0, TimeSpan.FromSeconds(1)));
        var all = ReadAll(live);
        AssertSame(all.TakeLast(n).ToList(), LogTail.Read(LogSegments.Discover(live), n));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(200)]
    [InlineData(100000)]
    public void Tail_counts_lines_after_the_filters(int n)
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", LogCorpus.Cri(12000, T0, TimeSpan.FromSeconds(1)));
        var options = new LogReadOptions { Streams = LogStreams.Stderr, Match = new Regex(@"line \d*7 ") };
        var all = ReadAll(live, options);
        Assert.InRange(all.Count, 201, 1000);
        Assert.All(all, l => Assert.Equal(LogStream.Stderr, l.Stream));
        AssertSame(all.TakeLast(n).ToList(), LogTail.Read(LogSegments.Discover(live), n, options));
    }

    [Fact]
    public void Tail_spans_segments_and_gz()
    {
        using var dir = new LogDir();
        var text = LogCorpus.Cri(3000, T0, TimeSpan.FromSeconds(1));
        var lines = text.Split('\n');
        // cut the corpus into three segments at arbitrary record boundaries (chains may span them)
        dir.WriteGz("0.log.20260301-000000.gz", string.Join("\n", lines[..1000]) + "\n");
        dir.Write("0.log.20260301-010000", string.Join("\n", lines[1000..2990]) + "\n");
        var live = dir.Write("0.log", string.Join("\n", lines[2990..]));
        var all = ReadAll(live);
        Assert.Equal(3000, all.Count);
        foreach (var n in new[] { 5, 30, 1500, 2500, 4000 })
            AssertSame(all.TakeLast(n).ToList(), LogTail.Read(LogSegments.Discover(live), n));
    }

    [Fact]
    public void Tail_of_docker_json()
    {
        using var dir = new LogDir();
        var live = dir.Write("c-json.log", LogCorpus.Docker(8000, T0, TimeSpan.FromSeconds(1)));
        var all = ReadAll(live);
        foreach (var n in new[] { 1, 100, 2000 })
            AssertSame(all.TakeLast(n).ToList(), LogTail.Read(LogSegments.Discover(live), n));
    }

    [Fact]
    public void Tail_does_not_read_the_start_of_a_large_file()
    {
        using var dir = new LogDir();
        // a malformed first line would be reported by any reader that starts at byte 0
        var live = dir.Write("0.log", "garbage at the start\n" + LogCorpus.Cri(20000, T0, TimeSpan.FromSeconds(1)));
        var reporter = new CollectingReporter();
        var tail = LogTail.Read(LogSegments.Discover(live), 100, null, reporter);
        Assert.Equal(100, tail.Count);
        Assert.Empty(reporter.Warnings);
        var full = new CollectingReporter();
        ReadAll(live, null, full);
        Assert.Single(full.Warnings);
    }

    [Fact]
    public void Tail_over_malformed_lines_keeps_one_warning_per_file_not_one_per_line()
    {
        using var dir = new LogDir();
        // the good lines are at the start: the tail reads back over every bad line to find them
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 5; i++) sb.Append(Cri(T0, "stdout", 'F', $"good {i}"));
        var firstBad = sb.Length;
        for (var i = 0; i < 500_000; i++) sb.Append("x\n");
        var live = dir.Write("0.log", sb.ToString());
        var reporter = new CollectingReporter();
        var tail = LogTail.Read(LogSegments.Discover(live), 3, null, reporter);
        Assert.Equal(["good 2", "good 3", "good 4"], tail.Select(l => l.Message));
        var w = Assert.Single(reporter.Warnings);
        Assert.StartsWith($"500000 malformed CRI lines in '{live}' were skipped; the first at bytes {firstBad} (no timestamp delimiter), {firstBad + 2},", w);
    }

    [Fact]
    public void Tail_reports_invalid_UTF8_of_the_lines_it_returns_only()
    {
        using var dir = new LogDir();
        var bytes = new List<byte>();
        var offsets = new List<long>();
        for (var i = 0; i < 2000; i++)
        {
            var line = System.Text.Encoding.UTF8.GetBytes(Cri(T0, "stdout", 'F', $"bad {i:D4} X"));
            line[Array.LastIndexOf(line, (byte)'X')] = 0xFF;
            offsets.Add(bytes.Count);
            bytes.AddRange(line);
        }
        var live = dir.Write("0.log", bytes.ToArray());
        var reporter = new CollectingReporter();
        var tail = LogTail.Read(LogSegments.Discover(live), 2, null, reporter);
        Assert.All(tail, l => Assert.Equal(LogLineFlags.InvalidUtf8, l.Flags));
        Assert.Equal($"2 lines in '{live}' have invalid UTF-8; invalid bytes are shown as U+FFFD; the first at bytes {offsets[^2]}, {offsets[^1]}.", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void Tail_of_a_gzip_bomb_stops_at_the_decompression_cap_with_a_warning_naming_the_file()
    {
        using var dir = new LogDir();
        // 10 GiB of zeros in 10 MiB: one gzip member of 1 MiB of zeros, written 10240 times (gzip readers read concatenated members)
        var bomb = dir.File("0.log.20260301-000000.gz");
        LogFiles.WriteZeroGzip(bomb, 10L << 30);
        dir.Write("0.log.20260301-010000", Cri(T0, "stdout", 'F', "rotated"));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(1), "stdout", 'F', "live"));
        var counters = new LogReadCounters();
        var options = new LogReadOptions { Counters = counters };
        var reporter = new CollectingReporter();
        var tail = LogTail.Read(LogSegments.Discover(live), 5, options, reporter);
        Assert.Equal(["rotated", "live"], tail.Select(l => l.Message));
        var cap = options.DecompressionCap(new FileInfo(bomb).Length);
        Assert.InRange(cap, LogReadOptions.DefaultMaxDecompressedBytes, 2L << 30);
        // read once to the cap (and the one byte that shows it goes on), never past it
        Assert.Equal(cap + 1, counters.DecompressedBytes);
        Assert.Equal(1, counters.CappedSegments);
        Assert.Single(reporter.Warnings, w => w.StartsWith($"Compressed log '{bomb}' expands to more than {cap} bytes"));
    }

    [Fact]
    public void Tail_decompresses_no_gz_when_newer_segments_hold_the_lines()
    {
        using var dir = new LogDir();
        dir.WriteGz("0.log.20260301-000000.gz", LogCorpus.Cri(1000, T0, TimeSpan.FromSeconds(1)));
        var live = dir.Write("0.log", LogCorpus.Cri(1000, T0.AddHours(1), TimeSpan.FromSeconds(1)));
        var counters = new LogReadCounters();
        Assert.Equal(5, LogTail.Read(LogSegments.Discover(live), 5, new LogReadOptions { Counters = counters }).Count);
        Assert.Equal(0, counters.DecompressedBytes);
    }

    [Fact]
    public void Tail_decompresses_a_gz_at_most_twice_however_far_back_it_reads()
    {
        using var dir = new LogDir();
        // the only matching lines are at the start of a 4 MiB segment older than the .gz: the window grows past the .gz
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 5; i++) sb.Append(Cri(T0, "stdout", 'F', $"needle {i}"));
        while (sb.Length < 4 << 20) sb.Append(Cri(T0, "stdout", 'F', "hay " + new string('h', 100)));
        dir.Write("0.log.20260301-000000", sb.ToString());
        var gzText = LogCorpus.Cri(1000, T0.AddHours(1), TimeSpan.FromSeconds(1));
        dir.WriteGz("0.log.20260301-010000.gz", gzText);
        var live = dir.Write("0.log", Cri(T0.AddHours(2), "stdout", 'F', "live"));
        var counters = new LogReadCounters();
        var tail = LogTail.Read(LogSegments.Discover(live), 5, new LogReadOptions { Match = new Regex("needle"), Counters = counters });
        Assert.Equal(["needle 0", "needle 1", "needle 2", "needle 3", "needle 4"], tail.Select(l => l.Message));
        Assert.InRange(counters.DecompressedBytes, 1, 2 * System.Text.Encoding.UTF8.GetByteCount(gzText));
    }

    [Fact]
    public void Tail_with_fewer_lines_than_asked_returns_all()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', "a") + Cri(T0, "stdout", 'P', "b") + Cri(T0, "stdout", 'F', "c"));
        Assert.Equal(["a", "bc"], LogTail.Read(LogSegments.Discover(live), 10).Select(l => l.Message));
        Assert.Empty(LogTail.Read(LogSegments.Discover(live), 0));
    }

    [Fact]
    public void A_chain_cut_by_the_tail_window_is_returned_whole()
    {
        using var dir = new LogDir();
        var sb = new System.Text.StringBuilder();
        for (var i = 0; i < 100; i++) sb.Append(Cri(T0, "stdout", 'F', "before " + new string('b', 1000)));
        for (var i = 0; i < 100; i++) sb.Append(Cri(T0.AddSeconds(1), "stdout", 'P', $"chain{i:D3} " + new string('c', 60)));
        sb.Append(Cri(T0.AddSeconds(1), "stdout", 'F', "chain-end"));
        // about 60 KiB of whole lines after the chain, on both streams: the 64 KiB window starts inside the chain
        for (var i = 0; i < 30; i++) sb.Append(Cri(T0.AddSeconds(2), i % 2 == 0 ? "stdout" : "stderr", 'F', $"after{i} " + new string('a', 2000)));
        var live = dir.Write("0.log", sb.ToString());
        var tail = LogTail.Read(LogSegments.Discover(live), 31);
        Assert.Equal(31, tail.Count);
        Assert.StartsWith("chain000 ", tail[0].Message);
        Assert.EndsWith("chain-end", tail[0].Message);
        Assert.Equal(ReadAll(live).TakeLast(31).ToList(), tail);
    }
}
