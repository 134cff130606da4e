using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

public class SinceTests
{
    static List<LogLine> Since(string live, DateTimeOffset since, IPodLogsReporter? reporter = null) =>
        ReadAll(live, new LogReadOptions { Since = since }, reporter);

    [Fact]
    public void Since_equals_a_linear_filter_at_exact_boundaries_and_with_inverted_timestamps()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", LogCorpus.Cri(20000, T0, TimeSpan.FromSeconds(1), inversionSeconds: 1.5));
        var all = ReadAll(live);
        Assert.Contains(all.Zip(all.Skip(1)), p => p.Second.Timestamp < p.First.Timestamp); // the corpus has inversions
        var rng = new Random(5);
        var probes = new List<DateTimeOffset> { T0.AddDays(-1), all[0].Timestamp, all[^1].Timestamp, all[^1].Timestamp.AddTicks(1), T0.AddDays(2) };
        for (var i = 0; i < 20; i++)
        {
            var line = all[rng.Next(all.Count)];
            probes.Add(line.Timestamp);           // exactly a line's instant: included
            probes.Add(line.Timestamp.AddTicks(1)); // just after: excluded
        }
        foreach (var since in probes)
        {
            var expected = all.Where(l => l.Timestamp >= since).ToList();
            Assert.Equal(expected, Since(live, since));
        }
    }

    [Fact]
    public void Since_starts_near_the_target_not_at_the_start()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", "garbage at the start\n" + LogCorpus.Cri(20000, T0, TimeSpan.FromSeconds(1)));
        var segs = LogSegments.Discover(live);
        var since = T0.AddSeconds(19000);
        var pos = LogSeek.FindSince(segs, since);
        var firstMatch = ReadAll(live).First(l => l.Timestamp >= since);
        Assert.True(pos.Offset > 0 && pos.Offset <= firstMatch.Offset, $"start {pos.Offset}, first match at {firstMatch.Offset}");
        Assert.True(firstMatch.Offset - pos.Offset < 4 * 64 * 1024);
        var reporter = new CollectingReporter();
        Assert.Equal(firstMatch, Since(live, since, reporter)[0]);
        using (var reader = new ContainerLogReader(segs, new LogReadOptions { Since = since }, reporter))
        {
            Assert.True(reader.TryReadRecord(out var first));
            Assert.Equal(firstMatch, first);
        }
        Assert.Empty(reporter.Warnings);
        // an explicit start at 0 reads from the start (and meets the garbage there)
        using (var reader = new ContainerLogReader(segs, new LogReadOptions { Since = since }, reporter, new LogPosition(0, 0)))
            Assert.True(reader.TryReadRecord(out _));
        Assert.Single(reporter.Warnings);
    }

    [Fact]
    public void Since_with_offsets_compares_instants()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log",
            "2026-03-01T01:00:00+02:00 stdout F a\n" + // 23:00Z the day before
            "2026-03-01T00:30:00Z stdout F b\n" +
            "2026-03-01T01:45:00.000000001+01:00 stdout F c\n"); // 00:45:00.000000001Z
        Assert.Equal(["b", "c"], Since(live, new DateTimeOffset(2026, 3, 1, 0, 30, 0, TimeSpan.Zero)).Select(l => l.Message));
        Assert.Equal(["c"], Since(live, new DateTimeOffset(2026, 3, 1, 1, 45, 0, TimeSpan.FromHours(1))).Select(l => l.Message));
    }

    [Fact]
    public void Since_across_segments_with_gz()
    {
        using var dir = new LogDir();
        var text = LogCorpus.Cri(6000, T0, TimeSpan.FromSeconds(1));
        var lines = text.Split('\n');
        dir.WriteGz("0.log.20260301-000000.gz", string.Join("\n", lines[..2000]) + "\n");
        dir.Write("0.log.20260301-010000", string.Join("\n", lines[2000..4000]) + "\n");
        var live = dir.Write("0.log", string.Join("\n", lines[4000..]));
        var all = ReadAll(live);
        foreach (var s in new[] { -10, 100, 1999, 2000, 2001, 3500, 4500, 5999, 7000 })
        {
            var since = T0.AddSeconds(s);
            Assert.Equal(all.Where(l => l.Timestamp >= since).ToList(), Since(live, since));
        }
    }

    [Fact]
    public void Since_in_docker_json()
    {
        using var dir = new LogDir();
        var live = dir.Write("c-json.log", LogCorpus.Docker(10000, T0, TimeSpan.FromSeconds(1)));
        var all = ReadAll(live);
        foreach (var s in new[] { 0, 1, 5000, 9999, 10000, 10001 })
        {
            var since = T0.AddSeconds(s);
            Assert.Equal(all.Where(l => l.Timestamp >= since).ToList(), Since(live, since));
        }
    }

    [Fact]
    public void Until_and_Tail_combine_with_Since()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", LogCorpus.Cri(5000, T0, TimeSpan.FromSeconds(1), inversionSeconds: 0));
        var all = ReadAll(live);
        var options = new LogReadOptions { Since = T0.AddSeconds(1000), Until = T0.AddSeconds(1100) };
        var expected = all.Where(l => l.Timestamp >= options.Since && l.Timestamp <= options.Until).ToList();
        Assert.Equal(expected, ReadAll(live, options));
        Assert.Equal(expected.TakeLast(5).ToList(), LogTail.Read(LogSegments.Discover(live), 5, options));
        var sinceOnly = new LogReadOptions { Since = T0.AddSeconds(4990) };
        Assert.Equal(all.Where(l => l.Timestamp >= sinceOnly.Since).ToList(), LogTail.Read(LogSegments.Discover(live), 1000, sinceOnly));
    }
}
