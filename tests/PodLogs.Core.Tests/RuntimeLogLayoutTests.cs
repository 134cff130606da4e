using PodLogs.Core.Inspection;
using PodLogs.Core.Repair;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

/// <summary>
/// <see cref="IRuntimeLogLayout"/>: what each runtime's N.log is, as the repair planner and the chain check ask it
/// (the verdicts it words are rows of <see cref="VerdictRulesTests"/>).
/// </summary>
public sealed class RuntimeLogLayoutTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static readonly FakeContainer Web = new("default", "web-0", FakeNode.Uid1, "nginx", 1, FakeNode.Id("layout-web"));

    static RuntimeContainer Container(string? driver, string? json, ContainerState state = ContainerState.Running) => new()
    {
        Id = Web.Id, Namespace = Web.Namespace, PodName = Web.Pod, PodUid = Web.Uid, ContainerName = Web.Container, RestartCount = Web.Attempt,
        State = state, LogPath = Web.PodLogFile, DockerJsonLogPath = json, LogDriver = driver, SourceName = "test",
    };

    [Fact]
    public void Docker_links_N_log_to_the_json_log_of_a_started_json_file_container()
    {
        var docker = IRuntimeLogLayout.For(RuntimeKind.Docker);
        Assert.IsType<DockerLogLayout>(docker);
        Assert.True(docker.LiveLogIsLink);
        Assert.Equal(Web.JsonLog, docker.OwnLogOf(_node.Layout(), Container("json-file", Web.JsonLog)));
        Assert.True(docker.ExpectsLog(Container("json-file", Web.JsonLog)));
        Assert.False(docker.ExpectsLog(Container("journald", Web.JsonLog)));   // no json log, no link (docs/kubelet-facts.md §10)
        Assert.False(docker.ExpectsLog(Container("json-file", null)));        // LogPath is empty until the first start
    }

    [Fact]
    public void A_CRI_runtime_writes_N_log_itself_once_the_container_started()
    {
        var cri = IRuntimeLogLayout.For(RuntimeKind.Cri);
        Assert.IsType<CriLogLayout>(cri);
        Assert.False(cri.LiveLogIsLink);
        Assert.Equal(Web.PodLogFile, cri.OwnLogOf(_node.Layout(), Container(null, null)));
        Assert.True(cri.ExpectsLog(Container(null, null, ContainerState.Exited)));
        Assert.False(cri.ExpectsLog(Container(null, null, ContainerState.Created)));
    }

    [Fact]
    public void The_planner_writes_no_N_log_a_CRI_runtime_writes_itself()
    {
        // A link at N.log of a running containerd container: Stale, and the repair refuses it rather than relinking.
        _node.WriteFile(Web.JsonLog, "{}\n");
        _node.PodLogLink(Web);
        var reporter = new CollectingReporter();
        var layout = _node.Layout(reporter: reporter);
        var runtime = new RuntimeSnapshot("Cri", RuntimeKind.Cri, [Container(null, null)], layout);
        var inspector = new LinkInspector(layout, runtime, reporter);
        var entries = inspector.InspectNode(LogSelection.All).ToList();
        var podLog = Assert.Single(entries, e => e.NodePath == Web.PodLogFile);
        Assert.Equal(LinkStatus.Orphaned, podLog.Status);   // a leftover link into docker's data root

        _node.Relink(Web.PodLogFile, "/var/log/pods/elsewhere.log");
        _node.WriteFile("/var/log/pods/elsewhere.log", "x\n");
        entries = new LinkInspector(layout, runtime, reporter).InspectNode(LogSelection.All).ToList();
        podLog = Assert.Single(entries, e => e.NodePath == Web.PodLogFile);
        Assert.Equal(LinkStatus.Stale, podLog.Status);

        var plan = new RepairPlanner(new LinkInspector(layout, runtime, reporter)).Plan([podLog], force: false, explicitSelection: true);
        Assert.Empty(plan.Steps);
        var refusal = Assert.Single(plan.Refusals);
        Assert.Equal("RuntimeOwnsLogFile", refusal.ErrorId);
        Assert.Equal(_node.Local(Web.PodLogFile), refusal.TargetPath);
    }
}
