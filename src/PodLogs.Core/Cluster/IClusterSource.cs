using PodLogs.Core.Node;

namespace PodLogs.Core.Cluster;

/// <summary>
/// The Kubernetes API, read-only, as far as PodLogs needs it. Implementations throw
/// <see cref="PodLogsException"/> with one of <see cref="ErrorIds.Cluster"/> for every failure, and honour
/// the token at once.
/// </summary>
public interface IClusterSource : IDisposable
{
    /// <summary>Which server, context and file this talks to, for messages.</summary>
    string Description { get; }

    /// <summary>The Node object; <see cref="ErrorIds.Cluster.NodeNotFound"/> when there is none.</summary>
    ClusterNode ReadNode(string name, CancellationToken cancellationToken);

    /// <summary>Every pod bound to the node (<c>fieldSelector=spec.nodeName=&lt;name&gt;</c>), all namespaces.</summary>
    IReadOnlyList<ClusterPod> ListPodsOnNode(string nodeName, CancellationToken cancellationToken);
}
