using System.Text;

namespace PodLogs.Core.Logs;

/// <summary>
/// Problems met line by line, counted per file and reported as one warning per file and kind: the count,
/// the first <see cref="OffsetsKept"/> byte offsets and the first line's reason. What is kept is a few
/// numbers per file, so five million bad lines cost what five million good lines cost — also when the
/// warnings are then thrown away (<c>-WarningAction SilentlyContinue</c>). A file with one such line gets the
/// same warning as before aggregation (file, byte offset, reason).
/// </summary>
internal sealed class LineWarnings
{
    public const int OffsetsKept = 5;

    sealed class Tally
    {
        public required string File;
        public required LineProblem Kind;
        public long Count;
        public readonly long[] First = new long[OffsetsKept];
        public string? Reason;
        public LogFormat Format;
        public long Size;
        public int MaxLineBytes;
    }

    // a handful of entries: one per file and kind met since the last flush
    readonly List<Tally> _tallies = [];

    /// <param name="reason">Malformed: the parser's reason; kept for the first line only.</param>
    /// <param name="size">Skipped: the line's length in bytes (-1: the file ends inside it).</param>
    public void Add(LineProblem kind, string file, long offset, LogFormat format = LogFormat.Unknown, string? reason = null, long size = 0, int maxLineBytes = 0)
    {
        Tally? t = null;
        for (var i = _tallies.Count - 1; i >= 0; i--)
            if (_tallies[i].Kind == kind && _tallies[i].File == file) { t = _tallies[i]; break; }
        if (t is null)
        {
            t = new Tally { File = file, Kind = kind, Reason = reason, Format = format, Size = size, MaxLineBytes = maxLineBytes };
            _tallies.Add(t);
        }
        if (t.Count < OffsetsKept) t.First[t.Count] = offset;
        t.Count++;
    }

    /// <summary>One warning per file and kind met since the last flush, in the order first met; then forgets them.</summary>
    public void Flush(IPodLogsReporter reporter)
    {
        if (_tallies.Count == 0) return;
        var tallies = _tallies.ToArray();
        _tallies.Clear();
        foreach (var t in tallies) reporter.Warning(Message(t));
    }

    static string Message(Tally t)
    {
        var format = t.Format == LogFormat.DockerJson ? "docker json" : "CRI";
        if (t.Count == 1)
            return t.Kind switch
            {
                LineProblem.Malformed => PhysicalLineParser.Malformed(t.Format, t.File, t.First[0], t.Reason),
                LineProblem.Skipped => t.Size < 0
                    ? $"Line in '{t.File}' at byte {t.First[0]} is longer than MaxLineBytes + 64 KiB and the file ends inside it; skipped."
                    : $"Line in '{t.File}' at byte {t.First[0]} is longer than MaxLineBytes + 64 KiB ({t.Size} bytes); skipped.",
                LineProblem.Split => $"Line in '{t.File}' at byte {t.First[0]} is longer than MaxLineBytes ({t.MaxLineBytes}); it is split into several lines.",
                _ => $"Invalid UTF-8 in '{t.File}' at byte {t.First[0]}; invalid bytes are shown as U+FFFD.",
            };
        var what = t.Kind switch
        {
            LineProblem.Malformed => $"{t.Count} malformed {format} lines in '{t.File}' were skipped",
            LineProblem.Skipped => $"{t.Count} lines in '{t.File}' longer than MaxLineBytes + 64 KiB were skipped",
            LineProblem.Split => $"{t.Count} lines in '{t.File}' are longer than MaxLineBytes ({t.MaxLineBytes}); each is split into several lines",
            _ => $"{t.Count} lines in '{t.File}' have invalid UTF-8; invalid bytes are shown as U+FFFD",
        };
        var sb = new StringBuilder(what).Append("; the first at bytes ");
        var shown = (int)Math.Min(t.Count, OffsetsKept);
        for (var i = 0; i < shown; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(t.First[i]);
            if (i == 0 && t.Kind == LineProblem.Malformed && t.Reason is not null) sb.Append(" (").Append(t.Reason).Append(')');
        }
        return (t.Count > shown ? sb.Append(", …") : sb.Append('.')).ToString();
    }
}
