namespace PodLogs.Core.Cluster;

/// <summary>Opens a connection; the live one lives in the private load context with KubernetesClient.</summary>
public interface IClusterSourceFactory
{
    IClusterSource Create(ClusterConfigChoice choice, TimeSpan timeout);
}
