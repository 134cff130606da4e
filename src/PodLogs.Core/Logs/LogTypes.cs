using System.Text;
using System.Text.RegularExpressions;

namespace PodLogs.Core.Logs;

/// <summary>On-disk format of one log file, detected from its first line (as kubelet does).</summary>
public enum LogFormat { Unknown, Cri, DockerJson }

/// <summary>The stream a record was written to.</summary>
public enum LogStream : byte { Stdout = 1, Stderr = 2 }

/// <summary>Which streams to read (<c>-Stream</c>).</summary>
[Flags]
public enum LogStreams { None = 0, Stdout = 1, Stderr = 2, All = Stdout | Stderr }

/// <summary>What is unusual about one emitted line.</summary>
[Flags]
public enum LogLineFlags
{
    None = 0,
    /// <summary>NoMerge: a physical record that is not the last of its logical line (CRI <c>P</c>, docker <c>log</c> without <c>\n</c>).</summary>
    Partial = 1,
    /// <summary>The logical line was longer than MaxLineBytes and was cut here; the rest follows as further lines.</summary>
    Split = 2,
    /// <summary>The input ended before the line's final record (the container is still writing it, or it was lost).</summary>
    Incomplete = 4,
    /// <summary>The message was not valid UTF-8; invalid bytes became U+FFFD.</summary>
    InvalidUtf8 = 8,
}

/// <summary>One logical line (or, with NoMerge, one physical record) of a container log.</summary>
/// <param name="Timestamp">The instant, in the offset the runtime wrote (100 ns precision).</param>
/// <param name="TimestampText">The timestamp as written (full nanoseconds).</param>
/// <param name="Message">The content without the final newline; merged across partial records.</param>
/// <param name="File">The local path of the segment the line's first record is in.</param>
/// <param name="Offset">Byte offset of the line's first record in that file (decompressed offset for .gz).</param>
public sealed record LogLine(DateTimeOffset Timestamp, string TimestampText, LogStream Stream, string Message, string File, long Offset, LogLineFlags Flags = LogLineFlags.None)
{
    /// <summary>Like <c>kubectl logs --timestamps</c>.</summary>
    public override string ToString() => $"{TimestampText} {Message}";
}

/// <summary>
/// A logical line as the reader holds it: spans into its buffers, valid until the next read.
/// Filters look at this; a <see cref="LogLine"/> (and its strings) is built only for lines that pass.
/// </summary>
public readonly ref struct LogLineView
{
    public ReadOnlySpan<byte> TimestampText { get; init; }
    public ReadOnlySpan<byte> Message { get; init; }
    public long UtcTicks { get; init; }
    public short OffsetMinutes { get; init; }
    public LogStream Stream { get; init; }
    public string File { get; init; }
    public long Offset { get; init; }
    public LogLineFlags Flags { get; init; }

    public DateTimeOffset Timestamp => Rfc3339Nano.ToDateTimeOffset(UtcTicks, OffsetMinutes);

    public LogLine ToLogLine() => new(Timestamp, Encoding.ASCII.GetString(TimestampText), Stream, Encoding.UTF8.GetString(Message), File, Offset, Flags);
}

/// <summary>What to read and how (the selection a cmdlet binds).</summary>
public sealed class LogReadOptions
{
    public const int DefaultMaxLineBytes = 1024 * 1024;

    /// <summary>The largest MaxLineBytes: one line is held in one array (1 GiB; .NET arrays stop short of 2 GiB).</summary>
    public const int MaxLineBytesLimit = 1024 * 1024 * 1024;

    /// <summary>Default <see cref="MaxDecompressedBytes"/>: 1 GiB (docs/decisions.md, "Decompression cap").</summary>
    public const long DefaultMaxDecompressedBytes = 1L << 30;

    /// <summary>Default <see cref="MaxCompressionRatio"/>.</summary>
    public const int DefaultMaxCompressionRatio = 100;

    /// <summary>A logical line longer than this is split (flag <see cref="LogLineFlags.Split"/>) with a warning.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>Return physical records instead of merging partial ones.</summary>
    public bool NoMerge { get; init; }

    public LogStreams Streams { get; init; } = LogStreams.All;

    /// <summary>Only lines at or after this instant (found by binary search, not by a scan).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only lines at or before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only lines whose message matches (tested on the decoded span, before any object is built).</summary>
    public Regex? Match { get; init; }

    /// <summary>Read block size; the buffer grows up to MaxLineBytes + 64 KiB for one physical line.</summary>
    public int BlockSize { get; init; } = 1024 * 1024;

    /// <summary>Timestamps may run backwards by up to this much (stdout/stderr stamped apart, NTP steps).</summary>
    public TimeSpan TimestampSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A .gz segment is decompressed up to the larger of this and <see cref="MaxCompressionRatio"/> times its
    /// compressed size; past that, reading it stops with a warning naming the file (a gzip bomb).
    /// </summary>
    public long MaxDecompressedBytes { get; init; } = DefaultMaxDecompressedBytes;

    /// <summary>See <see cref="MaxDecompressedBytes"/>.</summary>
    public int MaxCompressionRatio { get; init; } = DefaultMaxCompressionRatio;

    /// <summary>What the readers did (tests and benchmarks look; null: nothing is counted).</summary>
    internal LogReadCounters? Counters { get; init; }

    internal int PhysicalLineCap => MaxLineBytes + 64 * 1024;

    /// <summary>How many bytes a .gz of <paramref name="compressedSize"/> bytes may expand to.</summary>
    internal long DecompressionCap(long compressedSize) =>
        Math.Max(MaxDecompressedBytes, compressedSize > long.MaxValue / Math.Max(1, MaxCompressionRatio) ? long.MaxValue : compressedSize * MaxCompressionRatio);

    /// <summary>Refuses values no reader can work with (the cmdlet refuses them at binding already).</summary>
    internal void Validate()
    {
        if (MaxLineBytes is < 16 or > MaxLineBytesLimit)
            throw new ArgumentOutOfRangeException(nameof(MaxLineBytes), MaxLineBytes, $"MaxLineBytes must be between 16 and {MaxLineBytesLimit}.");
        if (MaxDecompressedBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxDecompressedBytes), MaxDecompressedBytes, "MaxDecompressedBytes must not be negative.");
        if (MaxCompressionRatio < 0) throw new ArgumentOutOfRangeException(nameof(MaxCompressionRatio), MaxCompressionRatio, "MaxCompressionRatio must not be negative.");
    }
}

/// <summary>Counts what readers did, across readers and threads.</summary>
internal sealed class LogReadCounters
{
    long _decompressed, _capped;

    /// <summary>Bytes that came out of GZipStream.</summary>
    public long DecompressedBytes => Interlocked.Read(ref _decompressed);

    /// <summary>Segments whose reading stopped at the decompression cap.</summary>
    public long CappedSegments => Interlocked.Read(ref _capped);

    public void AddDecompressed(long n) => Interlocked.Add(ref _decompressed, n);
    public void AddCapped() => Interlocked.Increment(ref _capped);
}

/// <summary>
/// <c>-Match</c>: the regular expression and its bound. A pattern the non-backtracking engine can run (no
/// backreferences, lookarounds or atomic groups) runs in time linear in the line, so no line can make it
/// hang; any other pattern runs with a timeout per line, and a timeout stops the read with
/// <c>MatchTimedOut</c> (docs/decisions.md, "-Match on hostile lines").
/// </summary>
public static class LogMatch
{
    public const string TimedOutId = ErrorIds.Logs.MatchTimedOut;

    /// <summary>How long one line may take to match.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Case-insensitive, as PowerShell's <c>-match</c>. Throws ArgumentException for an invalid pattern.</summary>
    public static Regex Create(string pattern, TimeSpan? timeout = null)
    {
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try { return new Regex(pattern, options | RegexOptions.NonBacktracking, timeout ?? Timeout); }
        catch (NotSupportedException) { return new Regex(pattern, options, timeout ?? Timeout); }
    }

    /// <summary>Whether the line at <paramref name="offset"/> of <paramref name="file"/> matches; a timeout throws <see cref="TimedOutId"/>.</summary>
    internal static bool IsMatch(Regex regex, ReadOnlySpan<char> line, string file, long offset)
    {
        try { return regex.IsMatch(line); }
        catch (RegexMatchTimeoutException ex) { throw TimedOut(regex, file, offset, ex); }
    }

    static PodLogsException TimedOut(Regex regex, string file, long offset, RegexMatchTimeoutException ex) =>
        new(TimedOutId, FailureCategory.OperationTimeout,
            $"The pattern '{regex}' took longer than {regex.MatchTimeout.TotalSeconds:0.###} s on the line in '{file}' at byte {offset}, so reading stops: " +
            "it backtracks too much on that line. Use a pattern without backreferences, lookarounds and atomic groups (such a pattern runs in time linear in the line).",
            file, ex);
}
