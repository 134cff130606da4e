using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

/// <summary>Read pipeline stage 1, in memory: physical lines, their offsets, the cap.</summary>
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
