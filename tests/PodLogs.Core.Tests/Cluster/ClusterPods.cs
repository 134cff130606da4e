using PodLogs.Core.Cluster;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>Pods as the API reports them, built the way the tests need them (data, not a mock of anything).</summary>
public static class ClusterPods
{
    public static ClusterPod Pod(FakeContainer c, params ClusterContainerStatus[] containers) => new()
    {
        Namespace = c.Namespace,
        Name = c.Pod,
        Uid = c.Uid,
        NodeName = "node-1",
        Phase = "Running",
        Containers = containers.Length == 0 ? [Running(c)] : containers,
    };

    public static ClusterContainerStatus Running(FakeContainer c, FakeContainer? previous = null) => new()
    {
        Name = c.Container,
        ContainerId = c.Id,
        RestartCount = c.Attempt,
        State = ClusterContainerState.Running,
        HasLastTerminated = previous is not null,
        LastTerminatedContainerId = previous?.Id,
    };

    /// <summary>CrashLoopBackOff: waiting, status.containerID and lastState.terminated both the dead instance.</summary>
    public static ClusterContainerStatus CrashLooping(FakeContainer dead) => new()
    {
        Name = dead.Container,
        ContainerId = dead.Id,
        RestartCount = dead.Attempt,
        State = ClusterContainerState.Waiting,
        WaitingReason = "CrashLoopBackOff",
        HasLastTerminated = true,
        LastTerminatedContainerId = dead.Id,
    };

    /// <summary>restartPolicy Never: terminated, never restarted, no lastState.</summary>
    public static ClusterContainerStatus Completed(FakeContainer c) => new()
    {
        Name = c.Container,
        ContainerId = c.Id,
        RestartCount = c.Attempt,
        State = ClusterContainerState.Terminated,
        TerminatedContainerId = c.Id,
    };

    public static ClusterSnapshot Snapshot(DateTimeOffset listedAt, params ClusterPod[] pods) =>
        new(new ClusterNode("node-1", null, null, null), pods, listedAt, "the test API");

    public static ClusterSnapshot Snapshot(params ClusterPod[] pods) => Snapshot(DateTimeOffset.UtcNow, pods);
}
