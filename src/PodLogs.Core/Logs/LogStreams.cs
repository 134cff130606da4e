namespace PodLogs.Core.Logs;

/// <summary>Which streams to read (<c>-Stream</c>).</summary>
[Flags]
public enum LogStreams { None = 0, Stdout = 1, Stderr = 2, All = Stdout | Stderr }
