using System.Buffers;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

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
