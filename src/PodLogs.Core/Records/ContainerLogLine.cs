using PodLogs.Core.Logs;

namespace PodLogs.Core;

/// <summary>One logical line of a container log (or, with -NoMerge, one physical record) and the container it came from.</summary>
public sealed class ContainerLogLine
{
    public ContainerLogLine(LogLine line, ContainerLogOrigin origin)
    {
        Line = line;
        Origin = origin;
    }

    /// <summary>The line as the reader returned it.</summary>
    internal LogLine Line { get; }

    /// <summary>Which container instance the line was read from (the reader's input, not a runtime source).</summary>
    internal ContainerLogOrigin Origin { get; }

    /// <summary>The instant, in the offset the runtime wrote (100 ns precision; <see cref="TimestampText"/> has every digit).</summary>
    public DateTimeOffset Timestamp => Line.Timestamp;
    /// <summary>The timestamp exactly as written in the file (full nanoseconds).</summary>
    public string TimestampText => Line.TimestampText;
    public LogStream Stream => Line.Stream;
    public string Message => Line.Message;
    public string? Namespace => Origin.Namespace;
    public string? PodName => Origin.PodName;
    public string? PodUid => Origin.PodUid;
    public string? ContainerName => Origin.ContainerName;
    public int? RestartCount => Origin.RestartCount;
    public string? ContainerId => Origin.ContainerId;
    /// <summary>The local path of the file (segment) the line's first record is in.</summary>
    public string File => Line.File;
    /// <summary>Byte offset of the line's first record in <see cref="File"/> (decompressed offset for .gz).</summary>
    public long Offset => Line.Offset;
    public LogLineFlags Flags => Line.Flags;
    /// <summary>The local directory that stood for the node's '/' (-Root); null for a file named by -LiteralPath.</summary>
    public string? Root => Origin.Root;
    /// <summary>
    /// The node's name as kubelet knows it (its client certificate's CN, --hostname-override, else the hostname
    /// under -Root), found once per command when first read; null for -LiteralPath or when nothing names it.
    /// </summary>
    public string? NodeName => Origin.NodeName?.Value;
    /// <summary>
    /// <c>[pod/container]</c> when the command read more than one container (or was given -Prefix), as
    /// <c>kubectl logs --prefix</c> marks lines; else null. The default view starts the line with it.
    /// </summary>
    public string? Prefix => Origin.Prefix;

    /// <summary>Like <c>kubectl logs --timestamps</c>.</summary>
    public override string ToString() => $"{TimestampText} {Message}";

    /// <summary>
    /// The line's file ended before its newline (or before its final record): the runtime may still be writing
    /// it. Not counted by <c>-Tail</c>, as kubelet does not count it; returned after the counted lines.
    /// </summary>
    public bool Incomplete => (Line.Flags & LogLineFlags.Incomplete) != 0;
}
