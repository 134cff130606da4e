namespace PodLogs.Core.Logs;

/// <summary>Where reading starts: a segment index and a byte offset in it.</summary>
public readonly record struct LogPosition(int Segment, long Offset);
