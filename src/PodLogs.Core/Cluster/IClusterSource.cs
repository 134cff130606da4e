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

/// <summary>Where the connection settings come from (issue #4: tried in this order).</summary>
public enum ClusterConfigSource
{
    /// <summary>-Kubeconfig.</summary>
    Parameter,
    /// <summary>The KUBECONFIG environment variable (a colon-separated list, merged as kubectl does).</summary>
    KubeconfigVariable,
    /// <summary>~/.kube/config.</summary>
    HomeKubeconfig,
    /// <summary>The pod's service account (KUBERNETES_SERVICE_HOST).</summary>
    InCluster,
    /// <summary>The kubelet's own kubeconfig under -Root; the paths inside it are node paths.</summary>
    KubeletKubeconfig,
}

/// <summary>
/// The chosen connection settings: kubeconfig files (local paths, first wins on merge) and context; for the
/// in-cluster service account, its token and CA certificate files and the API server's address.
/// </summary>
public sealed record ClusterConfigChoice(ClusterConfigSource Source, IReadOnlyList<string> Files, string? Context)
{
    /// <summary>For the kubelet's kubeconfig: the node whose paths (client certificate, CA file) it names.</summary>
    public NodeRoot? NodePathsUnder { get; init; }

    /// <summary>For the in-cluster service account: https://KUBERNETES_SERVICE_HOST:KUBERNETES_SERVICE_PORT.</summary>
    public Uri? InClusterServer { get; init; }

    public override string ToString() => Source switch
    {
        ClusterConfigSource.InCluster => "the in-cluster service account",
        _ => string.Join(':', Files) + (Context is null ? "" : $" (context '{Context}')"),
    };
}

/// <summary>Opens a connection; the live one lives in the private load context with KubernetesClient.</summary>
public interface IClusterSourceFactory
{
    IClusterSource Create(ClusterConfigChoice choice, TimeSpan timeout);
}
