using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace PodLogs.Core.Logs;

/// <summary>
/// Read pipeline, stage 5: the filters on a logical line (Since/Until as plain bounds, -Match on the decoded
/// message, bounded by <see cref="LogMatch"/>), then the UTF-8 check on the lines that pass, so a line filtered
/// out is never reported. Invalid UTF-8 is flagged, and counted per file (one warning) when <see cref="ReportInvalidUtf8"/>.
/// </summary>
internal sealed class LineFilter
{
    readonly long _sinceTicks, _untilTicks;
    readonly Regex? _match;
    readonly LineWarnings _warnings;
    char[] _chars = [];

    public LineFilter(LogReadOptions options, LineWarnings warnings)
    {
        _sinceTicks = options.Since?.UtcTicks ?? long.MinValue;
        _untilTicks = options.Until?.UtcTicks ?? long.MaxValue;
        _match = options.Match;
        _warnings = warnings;
    }

    /// <summary>
    /// Whether lines with invalid UTF-8 are reported (they are flagged either way). LogTail reports them for
    /// the lines it returns, not for every line of its window.
    /// </summary>
    public bool ReportInvalidUtf8 { get; set; } = true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // once per line (LogParse benchmark: CRI full parse)
    public bool Passes(long utcTicks, ReadOnlySpan<byte> message, string file, long offset)
    {
        if (utcTicks < _sinceTicks || utcTicks > _untilTicks) return false;
        return _match is not { } regex || Matches(regex, message, file, offset);
    }

    // apart from Passes, so the decoding and the match (with its timeout handling) do not keep Passes from being inlined
    bool Matches(Regex regex, ReadOnlySpan<byte> message, string file, long offset)
    {
        if (_chars.Length < message.Length) _chars = new char[Math.Max(message.Length, 256)];
        var n = Encoding.UTF8.GetChars(message, _chars);
        return LogMatch.IsMatch(regex, _chars.AsSpan(0, n), file, offset);
    }

    /// <summary>The flag for a line that passed: <see cref="LogLineFlags.InvalidUtf8"/> when its message is not valid UTF-8.</summary>
    public LogLineFlags Check(ReadOnlySpan<byte> message, string file, long offset)
    {
        if (Utf8.IsValid(message)) return LogLineFlags.None;
        if (ReportInvalidUtf8) _warnings.Add(LineProblem.InvalidUtf8, file, offset);
        return LogLineFlags.InvalidUtf8;
    }
}
