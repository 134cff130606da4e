using System.Buffers;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

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
                format = LineSplitter.DetectFormat(buf.AsSpan(0, Math.Min(n, 64)));
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
