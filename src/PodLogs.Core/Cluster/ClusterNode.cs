namespace PodLogs.Core.Cluster;

/// <summary>The Node object's identity fields (<c>status.nodeInfo</c>).</summary>
public sealed record ClusterNode(string Name, string? MachineId, string? SystemUuid, string? BootId);
