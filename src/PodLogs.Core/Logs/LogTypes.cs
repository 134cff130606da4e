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

    internal int PhysicalLineCap => MaxLineBytes + 64 * 1024;
}
