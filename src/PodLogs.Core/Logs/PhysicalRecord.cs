using System.Buffers;
using System.Text.Json;

namespace PodLogs.Core.Logs;

/// <summary>One physical record: spans into the line (or the parser's scratch buffer for unescaped JSON).</summary>
public ref struct PhysicalRecord
{
    public ReadOnlySpan<byte> TimestampText;
    public long UtcTicks;
    public short OffsetMinutes;
    public LogStream Stream;
    /// <summary>Not the last record of its logical line.</summary>
    public bool Partial;
    /// <summary>The content, without the final newline.</summary>
    public ReadOnlySpan<byte> Content;
}
