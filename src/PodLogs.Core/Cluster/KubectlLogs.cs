namespace PodLogs.Core.Cluster;

/// <summary>
/// Which container instance <c>kubectl logs</c> reads, by container id, as kubelet chooses it
/// (<c>pkg/kubelet/kubelet_pods.go</c> validateContainerLogStatus; docs/kubelet-facts.md §3).
/// </summary>
public static class KubectlLogs
{
    /// <summary>The id <c>kubectl logs</c> (or with <paramref name="previous"/>, <c>--previous</c>) reads, or null when kubelet refuses before reading any file.</summary>
    public static string? ContainerIdFor(ClusterContainerStatus status, bool previous)
    {
        if (previous) return status.HasLastTerminated ? NonEmpty(status.LastTerminatedContainerId) : null;
        return status.State switch
        {
            ClusterContainerState.Running => NonEmpty(status.ContainerId),
            // The next instance never started: kubelet falls back to lastState.terminated.
            ClusterContainerState.Terminated => NonEmpty(status.TerminatedContainerId)
                                                ?? (status.HasLastTerminated ? NonEmpty(status.LastTerminatedContainerId) : null),
            // Waiting (CrashLoopBackOff): the last terminated instance; with no lastState there is no log at all.
            _ => status.HasLastTerminated ? NonEmpty(status.LastTerminatedContainerId) : null,
        };
    }

    /// <summary>The command a user would run, for messages.</summary>
    public static string Command(bool previous) => previous ? "kubectl logs --previous" : "kubectl logs";

    static string? NonEmpty(string? id) => string.IsNullOrEmpty(id) ? null : id;
}
