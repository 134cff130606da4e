using PodLogs.Core.Node;

namespace PodLogs.Core.Cluster;

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
