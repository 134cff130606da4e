namespace PodLogs.Core.Runtime;

/// <summary>Which runtime state a command consults (<c>-Source</c>).</summary>
public enum RuntimeSourceKind
{
    /// <summary>What kubelet's config names, else a live source that answers, else files.</summary>
    Auto,
    /// <summary>No runtime state: the pure file view.</summary>
    None,
    /// <summary>The Docker Engine API.</summary>
    Docker,
    /// <summary>Docker's files (config.v2.json), no daemon.</summary>
    DockerFiles,
    /// <summary>CRI runtime.v1 over gRPC (containerd, CRI-O, cri-dockerd).</summary>
    Cri,
    /// <summary>containerd's running-task bundles, no daemon.</summary>
    ContainerdFiles,
}
