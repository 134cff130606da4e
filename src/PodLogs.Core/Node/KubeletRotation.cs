namespace PodLogs.Core.Node;

/// <summary>Kubelet's rotation settings (<c>container_log_manager.go</c>); MaxSize ≤ 0 turns rotation off.</summary>
public sealed record KubeletRotation(Sourced<long> MaxSize, Sourced<int> MaxFiles, Sourced<int> MaxWorkers, Sourced<TimeSpan> MonitorInterval, string? ConfigFile);
