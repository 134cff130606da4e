namespace PodLogs.Core.Cluster;

/// <summary>Which status list of the pod a container came from.</summary>
public enum ClusterContainerKind
{
    Init,
    Regular,
    Ephemeral,
}

/// <summary>The one set member of a container's <c>state</c> (or <c>lastState</c>).</summary>
public enum ClusterContainerState
{
    None,
    Waiting,
    Running,
    Terminated,
}

/// <summary>
/// One entry of a pod's <c>initContainerStatuses</c>, <c>containerStatuses</c> or
/// <c>ephemeralContainerStatuses</c>, as the API reports it. Container ids are bare (no
/// <c>containerd://</c> scheme), lowercase; null when the API gave none.
/// </summary>
public sealed record ClusterContainerStatus
{
    public required string Name { get; init; }
    public ClusterContainerKind Kind { get; init; }
    /// <summary><c>status.containerID</c>: the newest instance, running or dead.</summary>
    public string? ContainerId { get; init; }
    public int RestartCount { get; init; }
    public ClusterContainerState State { get; init; }
    /// <summary><c>state.terminated.containerID</c> (empty when the next instance never started).</summary>
    public string? TerminatedContainerId { get; init; }
    public string? WaitingReason { get; init; }
    /// <summary>Whether <c>lastState.terminated</c> is set.</summary>
    public bool HasLastTerminated { get; init; }
    public string? LastTerminatedContainerId { get; init; }
}

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

/// <summary>The Node object's identity fields (<c>status.nodeInfo</c>).</summary>
public sealed record ClusterNode(string Name, string? MachineId, string? SystemUuid, string? BootId);
