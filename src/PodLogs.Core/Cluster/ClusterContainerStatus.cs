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
