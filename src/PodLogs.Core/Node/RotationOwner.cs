namespace PodLogs.Core.Node;

/// <summary>Who cuts a container instance's log file when it grows (kubelet-facts.md §5, §11).</summary>
public enum RotationOwner { Kubelet, Docker, CriO, Logrotate, Nobody }
