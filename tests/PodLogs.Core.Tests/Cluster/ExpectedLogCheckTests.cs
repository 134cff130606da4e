using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Runtime;
using static PodLogs.Core.Tests.Cluster.ClusterPods;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>Issue #4 Deliver 5: the logs kubectl logs and kubectl logs --previous read, by container id.</summary>
public sealed class ExpectedLogCheckTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static FakeContainer Web(int attempt, bool running = true) =>
        new("default", "web", FakeNode.Uid1, "app", attempt, FakeNode.Id("web-" + attempt)) { Running = running, StartedAt = $"2026-03-01T10:0{attempt}:00Z" };

    /// <summary>Inspects as Get-ContainerLogLink -Cluster does: every record through Observe, then Missing.</summary>
    (List<ContainerLogLink> Records, List<ContainerLogLink> Missing, CollectingReporter Reporter) Check(ClusterSnapshot cluster, bool withRuntime = true)
    {
        var reporter = new CollectingReporter();
        var layout = _node.Layout(reporter: reporter);
        var runtime = withRuntime ? new DockerFileSource().Read(layout, reporter, CancellationToken.None) : null;
        var check = new ExpectedLogCheck(layout, runtime, cluster, LogSelection.All, reporter);
        var records = new LinkInspector(layout, runtime, reporter).InspectNode(LogSelection.All).Select(check.Observe).ToList();
        return (records, check.Missing().ToList(), reporter);
    }

    [Fact]
    public void A_running_container_and_its_previous_instance_with_their_logs_expect_nothing_more()
    {
        var previous = _node.Healthy(Web(0, running: false));
        var current = _node.Healthy(Web(1));
        var (records, missing, _) = Check(Snapshot(Pod(current, Running(current, previous))));
        Assert.Empty(missing);
        Assert.All(records, r => Assert.Equal(LinkStatus.Healthy, r.Status));
        Assert.All(records, r => Assert.DoesNotContain("kubectl", r.Reason));
    }

    [Fact]
    public void Crash_looping_reads_the_same_dead_instance_for_both_commands_and_its_missing_link_says_both_fail()
    {
        var dead = _node.Docker(Web(3, running: false));
        _node.LegacyLink(dead);
        var (records, missing, _) = Check(Snapshot(Pod(dead, CrashLooping(dead))));
        var entry = Assert.Single(records, r => r.NodePath == dead.PodLogFile);
        Assert.Equal(LinkStatus.Missing, entry.Status);
        Assert.Contains("`kubectl logs` and `kubectl logs --previous` will fail", entry.Reason);
        Assert.Empty(missing);
    }

    [Fact]
    public void A_previous_container_the_runtime_lost_makes_kubectl_logs_previous_fail_even_though_the_restart_count_jumped()
    {
        // Runtime state loss: kubelet restarted counting from the log directory (calcRestartCountByLogDir),
        // and lastState names a container docker no longer has. N-1 arithmetic would name 4.log.
        var current = _node.Healthy(Web(5));
        var lost = Web(4, running: false);
        var (_, missing, _) = Check(Snapshot(Pod(current, Running(current, lost))));
        var record = Assert.Single(missing);
        Assert.Equal(LinkStatus.Missing, record.Status);
        Assert.Equal(lost.Id, record.ContainerId);
        Assert.Null(record.RestartCount);
        Assert.Equal(current.ContainerDirectory, record.NodePath);
        Assert.Contains("runtime has no container", record.Reason);
        Assert.Contains("`kubectl logs --previous`", record.Reason);
        Assert.Equal(ExpectedLogCheck.SourceName, record.Source);
    }

    [Fact]
    public void RestartPolicy_Never_expects_the_terminated_log_and_no_previous_one()
    {
        var done = _node.Healthy(Web(0, running: false));
        var (_, missing, _) = Check(Snapshot(Pod(done, Completed(done)) with { RestartPolicy = "Never", Phase = "Succeeded" }));
        Assert.Empty(missing);

        File.Delete(_node.Local(done.PodLogFile));
        Directory.Delete(_node.Local(done.StateDirectory), recursive: true);
        (_, missing, _) = Check(Snapshot(Pod(done, Completed(done))));
        var record = Assert.Single(missing);
        Assert.Equal(done.PodLogFile, record.NodePath);
        Assert.Equal(0, record.RestartCount);
        Assert.Contains("`kubectl logs` for default/web container app will fail", record.Reason);
    }

    [Fact]
    public void Without_runtime_state_the_current_log_is_found_by_the_restart_count_and_the_previous_by_the_links_target_id()
    {
        var previous = _node.Healthy(Web(0, running: false));
        var current = _node.Healthy(Web(2));
        var (_, missing, reporter) = Check(Snapshot(Pod(current, Running(current, previous))), withRuntime: false);
        Assert.Empty(missing);
        Assert.DoesNotContain(reporter.VerboseMessages, m => m.StartsWith("Cannot tell"));

        File.Delete(_node.Local(current.PodLogFile));
        (_, missing, _) = Check(Snapshot(Pod(current, Running(current, previous))), withRuntime: false);
        Assert.Equal(current.PodLogFile, Assert.Single(missing).NodePath);
    }

    [Fact]
    public void Without_runtime_state_an_unknown_previous_instance_is_not_judged()
    {
        var current = _node.Healthy(Web(2));
        var (_, missing, reporter) = Check(Snapshot(Pod(current, Running(current, Web(1, running: false)))), withRuntime: false);
        Assert.Empty(missing);
        Assert.Contains(reporter.VerboseMessages, m => m.Contains("Cannot tell which file `kubectl logs --previous`"));
    }

    [Fact]
    public void A_pod_whose_directory_was_never_made_misses_its_log()
    {
        var current = Web(0);
        var (_, missing, _) = Check(Snapshot(Pod(current)), withRuntime: false);
        var record = Assert.Single(missing);
        Assert.Equal(current.PodLogFile, record.NodePath);
        Assert.False(record.Exists);
        Assert.Equal(ContainerState.Running, record.State);
    }

    [Fact]
    public void A_container_waiting_with_no_lastState_expects_no_log()
    {
        var pulling = Web(0);
        var status = new ClusterContainerStatus { Name = "app", RestartCount = 0, State = ClusterContainerState.Waiting, WaitingReason = "ImagePullBackOff" };
        var (_, missing, _) = Check(Snapshot(Pod(pulling, status)));
        Assert.Empty(missing);
    }

    [Fact]
    public void A_static_pod_is_matched_by_its_mirror_pods_config_hash_not_its_API_uid()
    {
        var etcd = _node.Healthy(new FakeContainer("kube-system", "etcd-node-1", FakeNode.StaticUid, "etcd", 0, FakeNode.Id("etcd")));
        var mirror = Pod(etcd) with { Uid = FakeNode.Uid2, MirrorHash = FakeNode.StaticUid };
        Assert.Empty(Check(Snapshot(mirror), withRuntime: false).Missing);
        // Without the annotation (and with no runtime to map the id) it would be looked for under the API uid, and missed.
        Assert.Single(Check(Snapshot(mirror with { MirrorHash = null }), withRuntime: false).Missing);
    }

    [Fact]
    public void Terminating_pods_and_unselected_containers_are_not_checked()
    {
        var current = Web(0);
        Assert.Empty(Check(Snapshot(Pod(current) with { DeletionTimestamp = DateTimeOffset.UtcNow })).Missing);
        var reporter = new CollectingReporter();
        var check = new ExpectedLogCheck(_node.Layout(), null, Snapshot(Pod(current)), LogSelection.All with { ContainerName = n => n == "other" }, reporter);
        Assert.Empty(check.Missing());
    }
}
