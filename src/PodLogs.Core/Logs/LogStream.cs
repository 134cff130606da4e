namespace PodLogs.Core.Logs;

/// <summary>The stream a record was written to.</summary>
public enum LogStream : byte { Stdout = 1, Stderr = 2 }
