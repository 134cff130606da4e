using System.Buffers;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

/// <summary>Small reads around an offset: align to a line, learn the streams' state, read a timestamp.</summary>
internal static class LogProbe
{
    public const int Window = 64 * 1024;

    /// <summary>The start of the first line that begins at or after <paramref name="offset"/>.</summary>
    public static long AlignToLineStart(SafeFileHandle h, long offset, long size)
    {
        if (offset <= 0) return 0;
        if (offset >= size) return size;
        var buf = ArrayPool<byte>.Shared.Rent(Window);
        try
        {
            var pos = offset - 1;
            while (pos < size)
            {
                var n = RandomAccess.Read(h, buf.AsSpan(0, Window), pos);
                if (n == 0) break;
                var i = buf.AsSpan(0, n).IndexOf((byte)'\n');
                if (i >= 0) return pos + i + 1;
                pos += n;
            }
            return size;
        }
        finally { ArrayPool<byte>.Shared.Return(buf); }
    }

    /// <summary>
    /// For each stream, whether its last record before <paramref name="end"/> completed a line (looking
    /// back at most <see cref="Window"/> bytes; a stream not seen there counts as complete).
    /// </summary>
    public static void StreamsAtBoundary(SafeFileHandle h, long end, LogFormat format, bool[] clean)
    {
        clean[1] = clean[2] = true;
        if (end <= 0) return;
        var start = Math.Max(0, end - Window);
        var buf = ArrayPool<byte>.Shared.Rent(Window);
        var scratch = ArrayPool<byte>.Shared.Rent(Window);
        try
        {
            var n = RandomAccess.Read(h, buf.AsSpan(0, (int)(end - start)), start);
            var span = buf.AsSpan(0, n);
            if (start > 0)
            {
                var first = span.IndexOf((byte)'\n');
                span = first < 0 ? default : span[(first + 1)..];
            }
            bool out1 = false, out2 = false;
            while (!span.IsEmpty && !(out1 && out2))
            {
                var body = span[^1] == '\n' ? span[..^1] : span;
                var nl = body.LastIndexOf((byte)'\n');
                var line = body[(nl + 1)..];
                span = nl < 0 ? default : body[..(nl + 1)];
                if (!PhysicalLineParser.TryParse(format, line, scratch, out var r, out _)) continue;
                if (r.Stream == LogStream.Stdout && !out1) { clean[1] = !r.Partial; out1 = true; }
                if (r.Stream == LogStream.Stderr && !out2) { clean[2] = !r.Partial; out2 = true; }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Where a read of what a followed file holds now should end, so the follower takes over there with
    /// nothing open: the end of the last whole line before <paramref name="size"/> after which no stream
    /// has a partial line open (looking back one window), else the end of the last whole line.
    /// </summary>
    public static long CleanLineEnd(SafeFileHandle h, long size)
    {
        if (size <= 0) return 0;
        Span<byte> head = stackalloc byte[64];
        var format = LineSplitter.DetectFormat(head[..RandomAccess.Read(h, head, 0)]);
        var start = Math.Max(0, size - Window);
        var buf = ArrayPool<byte>.Shared.Rent(Window);
        var scratch = ArrayPool<byte>.Shared.Rent(Window);
        try
        {
            var span = buf.AsSpan(0, RandomAccess.Read(h, buf.AsSpan(0, (int)(size - start)), start));
            var pos = start;
            if (start > 0)
            {
                var first = span.IndexOf((byte)'\n');
                span = first < 0 ? default : span[(first + 1)..];
                pos += first + 1;
            }
            var clean = new bool[3];
            StreamsAtBoundary(h, pos, format, clean);
            long lastEnd = -1, lastClean = -1;
            while (span.IndexOf((byte)'\n') is var nl and >= 0)
            {
                if (PhysicalLineParser.TryParse(format, span[..nl], scratch, out var r, out _)) clean[(int)r.Stream] = !r.Partial;
                pos += nl + 1;
                span = span[(nl + 1)..];
                lastEnd = pos;
                if (clean[1] && clean[2]) lastClean = pos;
            }
            if (lastClean >= 0) return lastClean;
            if (lastEnd >= 0) return lastEnd;
            // no whole line in the window (one very long line): the end of the last line before it
            for (var end = start; end > 0;)
            {
                var from = Math.Max(0, end - Window);
                var n = RandomAccess.Read(h, buf.AsSpan(0, (int)(end - from)), from);
                var i = buf.AsSpan(0, n).LastIndexOf((byte)'\n');
                if (i >= 0) return from + i + 1;
                end = from;
            }
            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public static void StreamsAtBoundary(LogSegment segment, bool[] clean)
    {
        using var h = LogFileOpener.Open(segment, new CollectingReporter(), out var status);
        if (h is null) return;
        Span<byte> head = stackalloc byte[64];
        var format = LineSplitter.DetectFormat(head[..RandomAccess.Read(h, head, 0)]);
        StreamsAtBoundary(h, status.Size, format, clean);
    }

    /// <summary>The timestamp of the first parseable line in <paramref name="data"/> (skipping a cut first line when asked).</summary>
    public static bool TryFirstTimestamp(ReadOnlySpan<byte> data, bool skipFirst, LogFormat format, Span<byte> scratch, out long ticks)
    {
        ticks = 0;
        if (skipFirst)
        {
            var i = data.IndexOf((byte)'\n');
            if (i < 0) return false;
            data = data[(i + 1)..];
        }
        while (!data.IsEmpty)
        {
            var nl = data.IndexOf((byte)'\n');
            if (nl < 0) return false; // a cut line at the end of the window is not trusted
            if (PhysicalLineParser.TryParse(format, data[..nl], scratch, out var r, out _)) { ticks = r.UtcTicks; return true; }
            data = data[(nl + 1)..];
        }
        return false;
    }
}
