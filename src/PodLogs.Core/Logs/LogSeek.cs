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
        var format = ContainerLogReader.DetectFormat(head[..RandomAccess.Read(h, head, 0)]);
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
        var format = ContainerLogReader.DetectFormat(head[..RandomAccess.Read(h, head, 0)]);
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

/// <summary>
/// <c>-Since</c>: finds where to start reading by binary search on timestamps (files are roughly time
/// ordered), never by a scan from the start. Small inversions are tolerated: the search compares with
/// <c>since - TimestampSlack</c>, and reading starts a fixed window (64 KiB) before the point found;
/// the reader then drops every line before <c>since</c>.
/// </summary>
public static class LogSeek
{
    public static LogPosition FindSince(IReadOnlyList<LogSegment> segments, DateTimeOffset since, LogReadOptions? options = null, IPodLogsReporter? reporter = null)
    {
        options ??= new LogReadOptions();
        var target = since.UtcTicks - options.TimestampSlack.Ticks;
        var buf = ArrayPool<byte>.Shared.Rent(LogProbe.Window);
        var scratch = ArrayPool<byte>.Shared.Rent(LogProbe.Window);
        try
        {
            for (var k = segments.Count - 1; k >= 0; k--)
            {
                var seg = segments[k];
                using var h = LogFileOpener.Open(seg, new CollectingReporter(), out var status);
                if (h is null) continue;
                LogFormat format;
                int n;
                if (seg.Compressed)
                {
                    try
                    {
                        using var gz = new GZipStream(new FileStream(h, FileAccess.Read, 1), CompressionMode.Decompress);
                        n = gz.ReadAtLeast(buf.AsSpan(0, LogProbe.Window), LogProbe.Window, throwOnEndOfStream: false);
                    }
                    catch (Exception ex) when (ex is InvalidDataException or IOException) { continue; }
                }
                else n = RandomAccess.Read(h, buf.AsSpan(0, LogProbe.Window), 0);
                format = ContainerLogReader.DetectFormat(buf.AsSpan(0, Math.Min(n, 64)));
                if (!LogProbe.TryFirstTimestamp(buf.AsSpan(0, n), false, format, scratch, out var first) || first >= target) continue;
                // this is the newest segment that starts before the target
                if (seg.Compressed) return new LogPosition(k, 0);
                long lo = 0, hi = status.Size;
                while (hi - lo > LogProbe.Window)
                {
                    var mid = lo + (hi - lo) / 2;
                    var m = RandomAccess.Read(h, buf.AsSpan(0, LogProbe.Window), mid);
                    if (LogProbe.TryFirstTimestamp(buf.AsSpan(0, m), true, format, scratch, out var ts) && ts < target) lo = mid;
                    else hi = mid;
                }
                return new LogPosition(k, Math.Max(0, lo - LogProbe.Window));
            }
            return new LogPosition(0, 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buf);
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}

/// <summary>
/// <c>-Tail</c>: the last N logical lines that pass the filters, read from a window at the end that
/// grows (×4) only while fewer than N lines are found, so the cost depends on N and the filters,
/// not on the size of the files. A line flagged <see cref="LogLineFlags.Incomplete"/> (no newline at the
/// end of its file) is not one of the N, as kubelet counts; it is returned after them.
/// Memory is bounded by the N lines: line problems in the window are counted per file (<see cref="LineWarnings"/>),
/// and invalid UTF-8 is reported for the lines returned. Once the window reaches a .gz segment (read whole,
/// up to its decompression cap) and still holds fewer than N lines, the next attempt reads from the floor,
/// so a compressed segment is decompressed at most twice.
/// </summary>
public static class LogTail
{
    public static IReadOnlyList<LogLine> Read(IReadOnlyList<LogSegment> segments, int count, LogReadOptions? options = null, IPodLogsReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new LogReadOptions();
        reporter ??= new CollectingReporter();
        if (count <= 0 || segments.Count == 0) return [];
        var sizes = new long[segments.Count];
        for (var i = 0; i < sizes.Length; i++) sizes[i] = segments[i].Size;
        var floor = options.Since is { } since ? LogSeek.FindSince(segments, since, options, reporter) : new LogPosition(0, 0);
        long window = Math.Max(LogProbe.Window, (long)count * 512);
        while (true)
        {
            var pos = Back(segments, sizes, window);
            var atFloor = Compare(pos, floor) <= 0;
            if (atFloor) pos = floor;
            var attempt = new CollectingReporter();
            var ring = new Queue<LogLine>(Math.Min(count, 4096));
            var complete = 0;
            using (var reader = new ContainerLogReader(segments, options, attempt, pos, cancellationToken) { ReportInvalidUtf8 = false })
            {
                while (reader.TryRead(out LogLineView view))
                {
                    // kubelet's findTailLineStartIndex: "if the last line is incomplete (no end-of-line), it will
                    // not be counted as one line". Incomplete lines are kept after the N, not counted among them.
                    var counts = (view.Flags & LogLineFlags.Incomplete) == 0;
                    if (counts && complete == count)
                    {
                        while ((ring.Dequeue().Flags & LogLineFlags.Incomplete) != 0) { }
                        complete--;
                    }
                    ring.Enqueue(view.ToLogLine());
                    if (counts) complete++;
                }
            }
            if (complete >= count || atFloor)
            {
                foreach (var e in attempt.Errors) reporter.Error(e);
                foreach (var w in attempt.Warnings) reporter.Warning(w);
                // what comes before the first of the N is not part of the tail
                if (complete >= count) while ((ring.Peek().Flags & LogLineFlags.Incomplete) != 0) ring.Dequeue();
                var tail = ring.ToArray();
                var invalid = new LineWarnings();
                foreach (var line in tail)
                    if ((line.Flags & LogLineFlags.InvalidUtf8) != 0) invalid.Add(LineProblem.InvalidUtf8, line.File, line.Offset);
                invalid.Flush(reporter);
                return tail;
            }
            var reachedCompressed = false;
            for (var k = pos.Segment; k < segments.Count; k++) reachedCompressed |= segments[k].Compressed;
            window = reachedCompressed || window > long.MaxValue / 4 ? long.MaxValue : window * 4;
        }
    }

    /// <summary>The position <paramref name="window"/> bytes before the end of the last segment (a .gz is read whole).</summary>
    static LogPosition Back(IReadOnlyList<LogSegment> segments, long[] sizes, long window)
    {
        for (var k = segments.Count - 1; k >= 0; k--)
        {
            if (segments[k].Compressed) { if (k == 0) return new LogPosition(0, 0); window -= sizes[k] * 4; if (window <= 0) return new LogPosition(k, 0); continue; }
            if (sizes[k] >= window) return new LogPosition(k, sizes[k] - window);
            window -= sizes[k];
        }
        return new LogPosition(0, 0);
    }

    static int Compare(LogPosition a, LogPosition b) => a.Segment != b.Segment ? a.Segment.CompareTo(b.Segment) : a.Offset.CompareTo(b.Offset);
}
