namespace PodLogs.Core.Logs;

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
