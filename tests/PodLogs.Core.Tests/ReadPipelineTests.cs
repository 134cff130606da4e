using System.Text;
using System.Text.RegularExpressions;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

/// <summary>The read pipeline's stages one by one, in memory (no file): LineSplitter, RecordDecoder, PartialLineMerger, LineFilter, LogPipeline.</summary>
public class LineSplitterTests
{
    static List<(string Text, long Offset, ChunkKind Chunk, bool Unterminated)> Split(LineSplitter s, byte[] bytes, int block, bool end = true)
    {
        var lines = new List<(string, long, ChunkKind, bool)>();
        var at = 0;
        while (true)
        {
            while (s.TryNext(atEnd: end && at == bytes.Length, dropRest: false, out var l))
                lines.Add((Encoding.UTF8.GetString(s.Buffer, l.Start, l.Length), l.Offset, l.Chunk, l.Unterminated));
            if (at == bytes.Length) return lines;
            var n = Math.Min(Math.Min(block, s.Room.Length), bytes.Length - at);
            bytes.AsSpan(at, n).CopyTo(s.Room);
            s.Added(n);
            at += n;
        }
    }

    [Fact]
    public void Cuts_lines_across_blocks_with_their_offsets_and_reads_an_unterminated_last_line_at_the_end()
    {
        using var s = new LineSplitter(64, 1024, chunkOversizeCri: true, new LineWarnings());
        s.Start("f", LogFormat.Unknown, 100);
        var lines = Split(s, Encoding.UTF8.GetBytes("ab\n\ncdef\ngh"), block: 3);
        Assert.Equal([("ab", 100L, ChunkKind.None, false), ("", 103L, ChunkKind.None, false), ("cdef", 104L, ChunkKind.None, false), ("gh", 109L, ChunkKind.None, true)], lines);
    }

    [Fact]
    public void Holds_an_unterminated_line_back_until_the_file_ends()
    {
        using var s = new LineSplitter(64, 1024, chunkOversizeCri: true, new LineWarnings());
        s.Start("f", LogFormat.Cri, 0);
        Assert.Equal(["ab"], Split(s, Encoding.UTF8.GetBytes("ab\ncd"), 64, end: false).Select(l => l.Text));
        Assert.Equal(2, s.Unconsumed);
        Assert.Equal(3, s.UnconsumedOffset);
    }

    [Fact]
    public void Detects_the_format_from_the_first_bytes()
    {
        Assert.Equal(LogFormat.DockerJson, LineSplitter.DetectFormat(" \n{\"log\""u8));
        Assert.Equal(LogFormat.Cri, LineSplitter.DetectFormat("2026-03-01T00:00:00Z stdout F x"u8));
        Assert.Equal(LogFormat.Unknown, LineSplitter.DetectFormat("\n\n"u8));
    }

    [Fact]
    public void A_line_longer_than_the_cap_is_skipped_and_counted_with_its_size()
    {
        var warnings = new LineWarnings();
        using var s = new LineSplitter(64, 256, chunkOversizeCri: false, warnings);
        s.Start("f", LogFormat.Cri, 0);
        var lines = Split(s, Encoding.UTF8.GetBytes(new string('x', 1000) + "\nok\n"), 100);
        Assert.Equal([("ok", 1001L, ChunkKind.None, false)], lines);
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Line in 'f' at byte 0 is longer than MaxLineBytes + 64 KiB (1000 bytes); skipped.", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void A_CRI_line_longer_than_the_cap_is_passed_on_in_chunks_not_cut_inside_a_character()
    {
        using var s = new LineSplitter(64, 256, chunkOversizeCri: true, new LineWarnings());
        s.Start("f", LogFormat.Cri, 0);
        var text = "2026-03-01T00:00:00Z stdout F " + string.Concat(Enumerable.Repeat("é", 400));
        var lines = Split(s, Encoding.UTF8.GetBytes(text + "\n"), 100);
        Assert.Equal(ChunkKind.First, lines[0].Chunk);
        Assert.All(lines.Skip(1).SkipLast(1), l => Assert.Equal(ChunkKind.Middle, l.Chunk));
        Assert.Equal(ChunkKind.Last, lines[^1].Chunk);
        Assert.DoesNotContain(lines, l => l.Text.Contains('\uFFFD'));
        Assert.Equal(text, string.Concat(lines.Select(l => l.Text)));
    }

    [Fact]
    public void A_docker_line_longer_than_the_cap_is_skipped_even_when_CRI_lines_are_chunked()
    {
        var warnings = new LineWarnings();
        using var s = new LineSplitter(64, 256, chunkOversizeCri: true, warnings);
        s.Start("f", LogFormat.DockerJson, 0);
        Assert.Equal(["{}"], Split(s, Encoding.UTF8.GetBytes("{\"log\":\"" + new string('x', 1000) + "\"}\n{}\n"), 100).Select(l => l.Text));
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Contains("(1010 bytes); skipped", Assert.Single(reporter.Warnings));
    }
}

public class RecordDecoderTests
{
    static (bool Ok, DecodedRecord Record) Decode(string line, LogFormat format, LogStreams streams, LineWarnings warnings)
    {
        var s = new LineSplitter(4096, 8192, true, warnings);
        s.Start("f", format, 0);
        var bytes = Encoding.UTF8.GetBytes(line);
        bytes.CopyTo(s.Room);
        s.Added(bytes.Length);
        Assert.True(s.TryNext(true, false, out var physical));
        var record = new DecodedRecord();
        return (new RecordDecoder(streams, warnings).Decode(s, physical, record), record);
    }

    static string Content(DecodedRecord r) => Encoding.UTF8.GetString(r.Arr, r.Off, r.Len);

    [Fact]
    public void Decodes_CRI_and_docker_json_records_with_their_header()
    {
        var (ok, r) = Decode(Cri(T0, "stderr", 'P', "part"), LogFormat.Cri, LogStreams.All, new LineWarnings());
        Assert.True(ok);
        Assert.Equal(("part", true, LogStream.Stderr, T0.UtcTicks, "f"), (Content(r), r.Partial, r.Header.Stream, r.Header.Ticks, r.Header.File));
        (ok, r) = Decode(Docker(T0, "stdout", "a \"quoted\" line\n"), LogFormat.DockerJson, LogStreams.All, new LineWarnings());
        Assert.True(ok);
        Assert.Equal(("a \"quoted\" line", false, LogStream.Stdout), (Content(r), r.Partial, r.Header.Stream));
    }

    [Fact]
    public void Drops_a_stream_not_asked_for_and_counts_a_malformed_line()
    {
        var warnings = new LineWarnings();
        Assert.False(Decode(Cri(T0, "stdout", 'F', "x"), LogFormat.Cri, LogStreams.Stderr, warnings).Ok);
        Assert.False(Decode("garbage\n", LogFormat.Cri, LogStreams.All, warnings).Ok);
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Malformed CRI line in 'f' at byte 0: no timestamp delimiter; skipped.", Assert.Single(reporter.Warnings));
    }
}

public class PartialLineMergerTests
{
    static readonly LineWarnings NoWarnings = new();

    static void Give(PartialLineMerger m, string content, LogStream stream, bool partial, long offset, bool unterminated = false)
    {
        var r = m.Record;
        var bytes = Encoding.UTF8.GetBytes(content);
        var ts = Encoding.ASCII.GetBytes("2026-03-01T00:00:00Z");
        r.Arr = bytes; r.Off = 0; r.Len = bytes.Length;
        r.TsArr = ts; r.TsOff = 0; r.TsLen = ts.Length;
        r.Header.Stream = stream; r.Header.File = "f"; r.Header.Offset = offset; r.Header.WarnedSplit = false;
        r.Partial = partial;
        r.Unterminated = unterminated;
        r.Active = true;
    }

    static List<(string Message, LogStream Stream, long Offset, LogLineFlags Flags)> Take(PartialLineMerger m)
    {
        var lines = new List<(string, LogStream, long, LogLineFlags)>();
        while (m.TryTake()) lines.Add((Encoding.UTF8.GetString(m.Message), m.Stream, m.Offset, m.Flags));
        return lines;
    }

    [Fact]
    public void Merges_partial_records_per_stream_with_the_first_record_s_offset()
    {
        var m = new PartialLineMerger(1024, noMerge: false, NoWarnings);
        Give(m, "a", LogStream.Stdout, partial: true, 0);
        Assert.Empty(Take(m));
        Give(m, "err", LogStream.Stderr, partial: false, 10);
        Assert.Equal([("err", LogStream.Stderr, 10L, LogLineFlags.None)], Take(m));
        Give(m, "b", LogStream.Stdout, partial: false, 20);
        Assert.Equal([("ab", LogStream.Stdout, 0L, LogLineFlags.None)], Take(m));
    }

    [Fact]
    public void Splits_at_MaxLineBytes_with_one_warning_per_line()
    {
        var warnings = new LineWarnings();
        var m = new PartialLineMerger(16, noMerge: false, warnings);
        Give(m, new string('x', 40), LogStream.Stdout, partial: false, 0);
        var lines = Take(m);
        Assert.Equal([16, 16, 8], lines.Select(l => l.Message.Length));
        Assert.Equal([LogLineFlags.Split, LogLineFlags.Split, LogLineFlags.None], lines.Select(l => l.Flags));
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Line in 'f' at byte 0 is longer than MaxLineBytes (16); it is split into several lines.", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void Flushing_emits_open_lines_as_Incomplete_and_an_unterminated_record_ends_its_line()
    {
        var m = new PartialLineMerger(1024, noMerge: false, NoWarnings);
        Give(m, "open", LogStream.Stderr, partial: true, 5);
        Assert.Empty(Take(m));
        m.FlushIncomplete();
        Assert.Equal([("open", LogStream.Stderr, 5L, LogLineFlags.Incomplete)], Take(m));
        Give(m, "cut", LogStream.Stdout, partial: true, 9, unterminated: true);
        Assert.Equal([("cut", LogStream.Stdout, 9L, LogLineFlags.Incomplete)], Take(m));
    }

    [Fact]
    public void NoMerge_returns_each_record_flagged_Partial()
    {
        var m = new PartialLineMerger(1024, noMerge: true, NoWarnings);
        Give(m, "a", LogStream.Stdout, partial: true, 0);
        Assert.Equal([("a", LogStream.Stdout, 0L, LogLineFlags.Partial)], Take(m));
    }
}

public class LineFilterTests
{
    [Fact]
    public void Since_Until_and_Match_bound_the_lines()
    {
        var f = new LineFilter(new LogReadOptions { Since = T0, Until = T0.AddSeconds(1), Match = new Regex("nee+dle") }, new LineWarnings());
        Assert.True(f.Passes(T0.UtcTicks, "a neeedle"u8, "f", 0));
        Assert.False(f.Passes(T0.UtcTicks - 1, "a needle"u8, "f", 0));
        Assert.False(f.Passes(T0.AddSeconds(1).UtcTicks + 1, "a needle"u8, "f", 0));
        Assert.False(f.Passes(T0.UtcTicks, "hay"u8, "f", 0));
    }

    [Fact]
    public void Invalid_UTF8_is_flagged_and_counted_only_when_reported()
    {
        var warnings = new LineWarnings();
        var f = new LineFilter(new LogReadOptions(), warnings);
        Assert.Equal(LogLineFlags.None, f.Check("ok"u8, "f", 0));
        Assert.Equal(LogLineFlags.InvalidUtf8, f.Check([0xff, 0x41], "f", 7));
        f.ReportInvalidUtf8 = false;
        Assert.Equal(LogLineFlags.InvalidUtf8, f.Check([0xff], "f", 9));
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Invalid UTF-8 in 'f' at byte 7; invalid bytes are shown as U+FFFD.", Assert.Single(reporter.Warnings));
    }
}

public class LogPipelineTests
{
    static List<LogLine> Feed(LogPipeline p, params (string File, string Text)[] files)
    {
        var lines = new List<LogLine>();
        foreach (var (file, text) in files)
        {
            p.StartFile(file, LogFormat.Unknown, 0);
            var bytes = Encoding.UTF8.GetBytes(text);
            var at = 0;
            while (true)
            {
                while (p.TryRead(out var v)) lines.Add(v.ToLogLine());
                if (at == bytes.Length) break;
                var n = Math.Min(p.Room.Length, bytes.Length - at);
                bytes.AsSpan(at, n).CopyTo(p.Room);
                p.Added(n);
                at += n;
            }
            p.EndOfFile();
            while (p.TryRead(out var v)) lines.Add(v.ToLogLine());
        }
        p.EndOfInput();
        while (p.TryRead(out var v)) lines.Add(v.ToLogLine());
        return lines;
    }

    [Fact]
    public void A_partial_line_merges_across_files_of_different_formats()
    {
        using var p = new LogPipeline(new LogReadOptions(), 64, chunkOversizeCri: true);
        var lines = Feed(p, ("rotated", Docker(T0, "stdout", "begun in docker, ")), ("live", Cri(T0, "stdout", 'F', "ended in CRI") + Cri(T0, "stdout", 'P', "open")));
        Assert.Equal(["begun in docker, ended in CRI", "open"], lines.Select(l => l.Message));
        Assert.Equal(("rotated", 0L), (lines[0].File, lines[0].Offset));
        Assert.Equal(LogLineFlags.Incomplete, lines[1].Flags);
    }

    [Fact]
    public void Filters_apply_to_the_merged_line()
    {
        using var p = new LogPipeline(new LogReadOptions { Match = new Regex("^needle in") }, 64, chunkOversizeCri: true);
        var lines = Feed(p, ("f", Cri(T0, "stdout", 'P', "needle ") + Cri(T0, "stdout", 'F', "in a haystack") + Cri(T0, "stdout", 'F', "in a needle")));
        Assert.Equal(["needle in a haystack"], lines.Select(l => l.Message));
    }
}
