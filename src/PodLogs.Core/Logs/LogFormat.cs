namespace PodLogs.Core.Logs;

/// <summary>On-disk format of one log file, detected from its first line (as kubelet does).</summary>
public enum LogFormat { Unknown, Cri, DockerJson }
