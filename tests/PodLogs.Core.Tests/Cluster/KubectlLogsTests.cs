using PodLogs.Core.Cluster;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>kubelet's validateContainerLogStatus: which container id kubectl logs reads.</summary>
public sealed class KubectlLogsTests
{
    const string Current = "aaaa";
    const string Last = "bbbb";

    static ClusterContainerStatus Status(ClusterContainerState state, string? terminatedId = null, bool lastTerminated = false, string? lastId = null) => new()
    {
        Name = "app",
        ContainerId = Current,
        State = state,
        TerminatedContainerId = terminatedId,
        HasLastTerminated = lastTerminated,
        LastTerminatedContainerId = lastId,
    };

    [Fact]
    public void Running_reads_the_current_container_and_previous_reads_lastState()
    {
        var s = Status(ClusterContainerState.Running, lastTerminated: true, lastId: Last);
        Assert.Equal(Current, KubectlLogs.ContainerIdFor(s, previous: false));
        Assert.Equal(Last, KubectlLogs.ContainerIdFor(s, previous: true));
    }

    [Fact]
    public void Without_lastState_there_is_no_previous_log()
    {
        Assert.Null(KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Running), previous: true));
        Assert.Null(KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Running, lastTerminated: true, lastId: ""), previous: true));
    }

    [Fact]
    public void Terminated_reads_its_own_id_or_falls_back_to_lastState_when_the_next_instance_never_started()
    {
        Assert.Equal(Current, KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Terminated, terminatedId: Current), false));
        Assert.Equal(Last, KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Terminated, terminatedId: "", lastTerminated: true, lastId: Last), false));
        Assert.Null(KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Terminated, terminatedId: ""), false));
    }

    [Fact]
    public void Waiting_reads_the_last_terminated_instance_and_with_no_lastState_nothing()
    {
        Assert.Equal(Last, KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Waiting, lastTerminated: true, lastId: Last), false));
        Assert.Null(KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Waiting), false));
        Assert.Null(KubectlLogs.ContainerIdFor(Status(ClusterContainerState.Waiting), true));
    }
}
