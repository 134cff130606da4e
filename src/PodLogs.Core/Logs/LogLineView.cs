using System.Text;

namespace PodLogs.Core.Logs;

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
