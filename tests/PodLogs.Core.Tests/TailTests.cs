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
