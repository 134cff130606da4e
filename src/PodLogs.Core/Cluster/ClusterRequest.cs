namespace PodLogs.Core.Cluster;

/// <summary>What a command was told about the cluster: -Kubeconfig, -Context, -NodeName, -TimeoutSec.</summary>
public sealed record ClusterRequest(string? Kubeconfig, string? Context, string? NodeName, TimeSpan Timeout)
{
    /// <summary>Environment variables (KUBECONFIG, HOME, NODE_NAME, KUBERNETES_SERVICE_HOST); the process's by default.</summary>
    public Func<string, string?>? Environment { get; init; }
}
