namespace PodLogs.Core.Cluster;

/// <summary>A pod object from the API, reduced to what decides its log files.</summary>
public sealed record ClusterPod
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary><c>metadata.uid</c> of the API object (for a static pod, the mirror pod's own uid).</summary>
    public required string Uid { get; init; }
    public string? NodeName { get; init; }
    public string? Phase { get; init; }
    public string? RestartPolicy { get; init; }
    /// <summary><c>kubernetes.io/config.mirror</c>: the static pod's config hash, which names its directory.</summary>
    public string? MirrorHash { get; init; }
    public DateTimeOffset? CreationTimestamp { get; init; }
    public DateTimeOffset? DeletionTimestamp { get; init; }
    public IReadOnlyList<ClusterContainerStatus> Containers { get; init; } = [];

    public bool IsStaticPod => MirrorHash is not null;

    /// <summary>
    /// The uid kubelet names the pod's log directory with: the mirror annotation's hash for a static pod
    /// (kubelet's own uid for it, <c>pkg/kubelet/config/common.go</c> applyDefaults), else the API uid.
    /// </summary>
    public string LogDirectoryUid => (MirrorHash ?? Uid).ToLowerInvariant();
}
