using PodLogs.Core.Logs;

namespace PodLogs.Core.Reading;

/// <summary>One container instance's log to read: its live file, its segments (oldest first) and whose lines they are.</summary>
public sealed record LogReadTarget(string LiveFile, IReadOnlyList<LogSegment> Segments, ContainerLogOrigin Origin)
{
    /// <summary>Where the live file is under -Root (null for -LiteralPath, a file on this machine).</summary>
    public LogDoor? Door { get; init; }
}
