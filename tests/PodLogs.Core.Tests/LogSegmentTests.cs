using System.Text;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

public class LogSegmentTests
{
    [Fact]
    public void Kubelet_rotation_is_ordered_oldest_first_and_tmp_is_skipped()
    {
        using var dir = new LogDir();
        dir.WriteGz("0.log.20260301-000000.gz", "");
        dir.WriteGz("0.log.20260302-000000.gz", "");
        dir.Write("0.log.20260303-000000", "");
        dir.Write("0.log.20260303-000000.gz.tmp", "");
        dir.Write("0.log.garbage", "");
        dir.Write("1.log", "");
        dir.Write("10.log.20260301-000000", "");
        var live = dir.Write("0.log", "");
        var segs = LogSegments.Discover(live);
        Assert.Equal(["0.log.20260301-000000.gz", "0.log.20260302-000000.gz", "0.log.20260303-000000", "0.log"], segs.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal([true, true, false, false], segs.Select(s => s.Compressed));
        Assert.Equal([false, false, false, true], segs.Select(s => s.Live));
    }

    // kubelet's cleanupUnusedLogs (pkg/kubelet/logs/container_log_manager.go, isInUse) removes a plain rotated file
    // whose .gz exists and every .tmp: a kubelet that died between compressing and deleting leaves the pair.
    [Fact]
    public void A_plain_rotated_file_whose_gz_exists_is_read_once_as_the_gz_and_said_in_verbose()
    {
        using var dir = new LogDir();
        dir.WriteGz("0.log.20260301-000000.gz", Cri(T0, "stdout", 'F', "one"));
        dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "one"));
        dir.Write("0.log.20260302-000000.tmp", Cri(T0, "stdout", 'F', "tmp"));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(1), "stdout", 'F', "two"));
        var reporter = new CollectingReporter();
        var segs = LogSegments.Discover(live, reporter);
        Assert.Equal(["0.log.20260301-000000.gz", "0.log"], segs.Select(s => Path.GetFileName(s.Path)));
        Assert.Equal(["one", "two"], ContainerLogReader.ReadAll(segs).Select(l => l.Message));
        Assert.Equal(2, reporter.VerboseMessages.Count);
        Assert.Contains(reporter.VerboseMessages, v => v.Contains(dir.File("0.log.20260301-000000") + "'") && v.Contains("cleanupUnusedLogs"));
        Assert.Contains(reporter.VerboseMessages, v => v.Contains(dir.File("0.log.20260302-000000.tmp")));
    }

    [Fact]
    public void Docker_rotation_is_ordered_oldest_first()
    {
        using var dir = new LogDir();
        foreach (var n in new[] { "abc-json.log.1", "abc-json.log.2.gz", "abc-json.log.10.gz", "abc-json.log.3.gz", "abc-json.log" })
            if (n.EndsWith(".gz")) dir.WriteGz(n, ""); else dir.Write(n, "");
        var segs = LogSegments.Discover(dir.File("abc-json.log"));
        Assert.Equal(["abc-json.log.10.gz", "abc-json.log.3.gz", "abc-json.log.2.gz", "abc-json.log.1", "abc-json.log"], segs.Select(s => Path.GetFileName(s.Path)));
    }

    [Fact]
    public void Rotated_segments_are_read_without_a_live_file()
    {
        using var dir = new LogDir();
        dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "old"));
        Assert.Equal(["old"], ReadAll(dir.File("0.log")).Select(l => l.Message));
    }

    [Fact]
    public void Segments_read_as_one_stream_with_gz_and_merge_across_rotation()
    {
        using var dir = new LogDir();
        dir.WriteGz("0.log.20260301-000000.gz", Cri(T0, "stdout", 'F', "one") + Cri(T0.AddSeconds(1), "stdout", 'P', "two-a "));
        dir.WriteGz("0.log.20260301-000100.gz", Cri(T0.AddSeconds(2), "stdout", 'P', "two-b ") + Cri(T0.AddSeconds(2), "stderr", 'F', "err"));
        dir.Write("0.log.20260301-000200", Cri(T0.AddSeconds(3), "stdout", 'F', "two-c") + Cri(T0.AddSeconds(4), "stdout", 'P', "three-a "));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(5), "stdout", 'F', "three-b"));
        var lines = ReadAll(live, new LogReadOptions { BlockSize = 64 });
        Assert.Equal(["one", "err", "two-a two-b two-c", "three-a three-b"], lines.Select(l => l.Message));
        Assert.Equal(dir.File("0.log.20260301-000000.gz"), lines[2].File);
        Assert.Equal(Encoding.UTF8.GetByteCount(Cri(T0, "stdout", 'F', "one")), lines[2].Offset);
        Assert.Equal(dir.File("0.log.20260301-000200"), lines[3].File);
    }

    [Fact]
    public void Docker_segments_merge_across_rotation()
    {
        using var dir = new LogDir();
        dir.WriteGz("c-json.log.2.gz", Docker(T0, "stdout", "a "));
        dir.Write("c-json.log.1", Docker(T0.AddSeconds(1), "stdout", "b "));
        var live = dir.Write("c-json.log", Docker(T0.AddSeconds(2), "stdout", "c\n"));
        Assert.Equal(["a b c"], ReadAll(live).Select(l => l.Message));
    }

    [Fact]
    public void A_truncated_gz_warns_with_file_and_reading_goes_on()
    {
        using var dir = new LogDir();
        var sb = new StringBuilder();
        var rng = new Random(3);
        for (var i = 0; i < 2000; i++) sb.Append(Cri(T0.AddSeconds(i), "stdout", 'F', $"line {i} {rng.NextInt64():x}"));
        var gz = dir.WriteGz("0.log.20260301-000000.gz", sb.ToString());
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length / 2)]);
        var live = dir.Write("0.log", Cri(T0.AddDays(1), "stdout", 'F', "live line"));
        var reporter = new CollectingReporter();
        var lines = ReadAll(live, null, reporter);
        Assert.Equal("live line", lines[^1].Message);
        Assert.True(lines.Count > 1 && lines.Count < 2001);
        Assert.Equal("line 0", lines[0].Message.Split(' ')[0] + " " + lines[0].Message.Split(' ')[1]);
        var warning = Assert.Single(reporter.Warnings, w => w.Contains("truncated"));
        Assert.Contains(gz, warning);
        Assert.Matches(@"after \d+ decompressed bytes", warning);       // where in the stream it broke off
        Assert.Contains($"compressed size {bytes.Length / 2}", warning);
    }

    [Fact]
    public void A_gz_segment_is_decompressed_up_to_its_cap_and_reading_goes_on_with_the_next()
    {
        using var dir = new LogDir();
        var line = Cri(T0, "stdout", 'F', "the same line");
        var gz = dir.WriteGz("0.log.20260301-000000.gz", string.Concat(Enumerable.Repeat(line, 200_000)));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(1), "stdout", 'F', "live"));
        var counters = new LogReadCounters();
        var options = new LogReadOptions { MaxDecompressedBytes = 1 << 20, MaxCompressionRatio = 1, Counters = counters };
        Assert.Equal(1 << 20, options.DecompressionCap(new FileInfo(gz).Length));
        var reporter = new CollectingReporter();
        var lines = ReadAll(live, options, reporter);
        // the whole lines within the cap, no piece of the line it cuts, then the next segment
        Assert.Equal((1 << 20) / line.Length + 1, lines.Count);
        Assert.All(lines.SkipLast(1), l => Assert.Equal(("the same line", LogLineFlags.None), (l.Message, l.Flags)));
        Assert.Equal("live", lines[^1].Message);
        Assert.Equal((1 << 20) + 1, counters.DecompressedBytes);
        var w = Assert.Single(reporter.Warnings);
        Assert.StartsWith($"Compressed log '{gz}' expands to more than {1 << 20} bytes from {new FileInfo(gz).Length} compressed bytes; reading it stops there", w);
        // with the default cap it is read whole, without a warning
        var whole = new CollectingReporter();
        Assert.Equal(200_001, ReadAll(live, null, whole).Count);
        Assert.Empty(whole.Warnings);
    }

    [Fact]
    public void An_intact_gz_gives_no_warning()
    {
        using var dir = new LogDir();
        dir.WriteGz("0.log.20260301-000000.gz", Cri(T0, "stdout", 'F', "x"));
        var reporter = new CollectingReporter();
        Assert.Single(ReadAll(dir.File("0.log"), null, reporter));
        Assert.Empty(reporter.Warnings);
    }

    [Fact]
    public void A_segment_compressed_after_it_was_listed_is_read_once_as_gz()
    {
        using var dir = new LogDir();
        var rotated = dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'P', "a ") + Cri(T0, "stdout", 'F', "b"));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(1), "stdout", 'F', "c"));
        var segments = LogSegments.Discover(live);
        // kubelet compresses the rotated file between listing and reading
        dir.WriteGz("0.log.20260301-000000.gz", File.ReadAllText(rotated));
        File.Delete(rotated);
        var reporter = new CollectingReporter();
        var lines = ContainerLogReader.ReadAll(segments, null, reporter).ToList();
        Assert.Equal(["a b", "c"], lines.Select(l => l.Message));
        Assert.Equal(rotated + ".gz", lines[0].File);
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void A_segment_that_vanished_is_an_error_and_the_rest_is_read()
    {
        using var dir = new LogDir();
        var rotated = dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "gone"));
        var live = dir.Write("0.log", Cri(T0.AddSeconds(1), "stdout", 'F', "c"));
        var segments = LogSegments.Discover(live);
        File.Delete(rotated);
        var reporter = new CollectingReporter();
        Assert.Equal(["c"], ContainerLogReader.ReadAll(segments, null, reporter).Select(l => l.Message));
        var e = Assert.Single(reporter.Errors);
        Assert.Equal("LogFileVanished", e.ErrorId);
        Assert.Equal(rotated, e.TargetPath);
    }
}
