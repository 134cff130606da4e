using PodLogs.Core.Paths;
using PodLogs.Core.Reading;

namespace PodLogs.Core.Tests;

/// <summary>What Get-ContainerLog reads, decided without PowerShell: instance choice, -Previous, the roots policy, the runtime's own log.</summary>
public sealed class LogReadPlannerTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static FakeContainer Web(int attempt, string startedAt = "2026-03-01T10:00:00Z", string container = "nginx") =>
        new("default", "web-0", FakeNode.Uid1, container, attempt, FakeNode.Id(container + attempt)) { StartedAt = startedAt, Running = false };

    static LogReadPlanner Planner(Inspected i, CollectingReporter reporter, bool previous = false, bool force = false, bool prefix = false, bool withRuntime = true) =>
        new(i.Layout, withRuntime ? i.Runtime : null, reporter) { Previous = previous, Force = force, Prefix = prefix };

    [Fact]
    public void A_container_reads_its_current_instance_the_highest_restart_count()
    {
        _node.Healthy(Web(0));
        var current = _node.Healthy(Web(1, "2026-03-01T11:00:00Z"));
        var inspected = _node.Inspect();
        var planner = Planner(inspected, new CollectingReporter());
        planner.AddContainers(inspected.Entries);

        var plan = planner.Plan();

        Assert.Empty(plan.Failures);
        var target = Assert.Single(plan.Targets);
        Assert.Equal(_node.Local(current.JsonLog), target.LiveFile);
        Assert.Equal((1, current.Id), (target.Origin.RestartCount, target.Origin.ContainerId));
        Assert.Equal(_node.Root, target.Origin.Root);
        Assert.Null(target.Origin.Prefix);
        Assert.NotNull(target.Door);
    }

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public void Previous_is_the_instance_the_runtime_started_before_the_current_one_else_the_next_lower_restart_count(bool withRuntime, int expected)
    {
        // Restart 1 started before restart 0 (a clock step, a restored node): the runtime's order wins over the counts.
        var instances = new[] { Web(0, "2026-03-01T11:00:00Z"), Web(1, "2026-03-01T10:00:00Z"), Web(2, "2026-03-01T12:00:00Z") };
        foreach (var c in instances) _node.Healthy(c);
        var inspected = _node.Inspect();
        var planner = Planner(inspected, new CollectingReporter(), previous: true, withRuntime: withRuntime);
        planner.AddContainers(inspected.Entries);

        var target = Assert.Single(planner.Plan().Targets);

        Assert.Equal(expected, target.Origin.RestartCount);
        Assert.Equal(_node.Local(instances[expected].JsonLog), target.LiveFile);
        var ordered = InstanceChoice.Ordered(inspected.Entries.Where(e => e.Kind == LogEntryKind.PodLog));
        Assert.Equal([0, 1, 2], ordered.Select(e => e.RestartCount!.Value));
        Assert.Equal(expected, InstanceChoice.PreviousOf(ordered, withRuntime ? inspected.Runtime : null)!.RestartCount);
    }

    [Fact]
    public void Previous_of_a_container_with_one_instance_is_a_failure_naming_the_current_one()
    {
        var c = _node.Healthy(Web(3));
        var inspected = _node.Inspect();
        var planner = Planner(inspected, new CollectingReporter(), previous: true);
        planner.AddContainers(inspected.Entries);

        var plan = planner.Plan();

        Assert.Empty(plan.Targets);
        var failure = Assert.Single(plan.Failures);
        Assert.Equal(("ContainerLogNotFound", FailureCategory.ObjectNotFound), (failure.ErrorId, failure.Category));
        Assert.Equal("Container 'nginx' of pod default/web-0 has no previous instance on the node (the current one is restart 3).", failure.Message);
        Assert.Equal(_node.Local(c.PodLogFile), failure.TargetPath);
    }

    [Fact]
    public void A_named_instance_with_Previous_reads_the_one_before_it_never_itself()
    {
        _node.Healthy(Web(0));
        _node.Healthy(Web(1, "2026-03-01T11:00:00Z"));
        _node.Healthy(Web(2, "2026-03-01T12:00:00Z"));
        var inspected = _node.Inspect();
        var podLogs = inspected.Entries.Where(e => e.Kind == LogEntryKind.PodLog).ToList();
        var planner = Planner(inspected, new CollectingReporter(), previous: true);

        Assert.Empty(planner.AddInstance(inspected.Entries, e => e.RestartCount == 1, "default", "web-0", () => "restart 1"));
        var failures = planner.AddInstance(inspected.Entries, e => e.RestartCount == 0, "default", "web-0", () => "restart 0");

        Assert.Equal("Container 'nginx' of pod default/web-0 has no instance on the node before the one the input names (restart 0).", Assert.Single(failures).Message);
        Assert.Equal(0, Assert.Single(planner.Plan().Targets).Origin.RestartCount);
        Assert.Equal([podLogs[0], podLogs[1], podLogs[2]], InstanceChoice.UpTo(inspected.Entries, podLogs[2]));
    }

    [Fact]
    public void A_record_whose_entry_is_gone_or_an_instance_the_pod_lacks_is_a_failure_and_nothing_is_read()
    {
        _node.Healthy(Web(0));
        var inspected = _node.Inspect();
        var planner = Planner(inspected, new CollectingReporter());
        var gone = new ContainerLogLink { FullName = _node.Local("/var/log/pods/x"), NodePath = "/var/log/pods/x" };

        var byEntry = Assert.Single(planner.AddEntry(inspected.Entries, gone));
        var byInstance = Assert.Single(planner.AddInstance(inspected.Entries, e => e.RestartCount == 9, "default", "web-0", () => "restart 9"));

        Assert.Equal("The entry '/var/log/pods/x' is no longer on the node (or does not match -ContainerName/-ContainerId).", byEntry.Message);
        Assert.Equal(gone.FullName, byEntry.TargetPath);
        Assert.Equal("Pod default/web-0 has no log of the instance the input names (restart 9) on the node (or it does not match -ContainerName/-ContainerId).", byInstance.Message);
        Assert.Null(byInstance.TargetPath);
        Assert.True(planner.IsEmpty);
        Assert.Empty(planner.Plan().Targets);
    }

    [Fact]
    public void A_chain_ending_outside_the_log_and_runtime_roots_is_refused_unless_forced()
    {
        var c = _node.Docker(Web(0));
        _node.WriteFile("/srv/secret.log", "{\"log\":\"x\\n\",\"stream\":\"stdout\",\"time\":\"2026-03-01T10:00:00Z\"}\n");
        _node.PodLogLink(c, "/srv/secret.log");
        var inspected = _node.Inspect();
        var entry = inspected.At(c.PodLogFile);

        var refusing = Planner(inspected, new CollectingReporter());
        refusing.AddContainers(inspected.Entries);
        var refused = refusing.Plan();
        var reporter = new CollectingReporter();
        var forcing = Planner(inspected, reporter, force: true);
        forcing.AddContainers(inspected.Entries);
        var forced = forcing.Plan();

        Assert.Empty(refused.Targets);
        var failure = Assert.Single(refused.Failures);
        Assert.Equal(("LogTargetOutsideRoots", FailureCategory.SecurityError), (failure.ErrorId, failure.Category));
        Assert.Equal($"'{c.PodLogFile}' resolves to /srv/secret.log, outside the node's log and runtime roots; it is not read. Pass -Force to read it anyway.", failure.Message);
        Assert.Equal(entry.FullName, failure.TargetPath);
        Assert.Empty(forced.Failures);
        Assert.Equal(_node.Local("/srv/secret.log"), Assert.Single(forced.Targets).LiveFile);
        Assert.Equal($"'{c.PodLogFile}' is {entry.Status}: {entry.Reason}. Reading what it points at, /srv/secret.log.", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void A_dangling_link_reads_the_log_the_runtime_names_for_its_container_with_a_warning()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/var/lib/docker/containers/gone/gone-json.log");
        var inspected = _node.Inspect();
        Assert.Equal(LinkStatus.Dangling, inspected.At(c.PodLogFile).Status);
        var reporter = new CollectingReporter();
        var planner = Planner(inspected, reporter);
        planner.AddContainers(inspected.Entries);

        var plan = planner.Plan();

        Assert.Empty(plan.Failures);
        Assert.Equal(_node.Local(c.JsonLog), Assert.Single(plan.Targets).LiveFile);
        Assert.Contains($"Reading the log {inspected.Runtime!.SourceName} names for container {c.Id[..12]} instead: {c.JsonLog}.", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void A_dangling_link_without_runtime_state_is_a_failure_naming_its_verdict()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/var/lib/docker/containers/gone/gone-json.log");
        var inspected = _node.Inspect();
        var planner = Planner(inspected, new CollectingReporter(), withRuntime: false);
        planner.AddContainers(inspected.Entries);

        var failure = Assert.Single(planner.Plan().Failures);

        Assert.Equal("ContainerLogNotFound", failure.ErrorId);
        Assert.StartsWith($"No log file at '{c.PodLogFile}' (Dangling: ", failure.Message);
    }

    [Fact]
    public void Each_live_file_is_read_once_and_several_containers_are_marked_with_pod_and_container()
    {
        _node.Healthy(Web(0));
        _node.Healthy(Web(0, container: "sidecar"));
        var inspected = _node.Inspect();
        var planner = Planner(inspected, new CollectingReporter());
        planner.AddContainers(inspected.Entries);
        planner.AddContainers(inspected.Entries);
        var one = Planner(inspected, new CollectingReporter());
        one.AddContainers(inspected.Entries.Where(e => e.ContainerName == "nginx"));
        var marked = Planner(inspected, new CollectingReporter(), prefix: true);
        marked.AddContainers(inspected.Entries.Where(e => e.ContainerName == "nginx"));

        Assert.Equal(["[web-0/nginx]", "[web-0/sidecar]"], planner.Plan().Targets.Select(t => t.Origin.Prefix).Order());
        Assert.Null(Assert.Single(one.Plan().Targets).Origin.Prefix);
        Assert.Equal("[web-0/nginx]", Assert.Single(marked.Plan().Targets).Origin.Prefix);
    }

    [Fact]
    public void A_piped_record_selects_the_entry_it_is_else_the_instance_it_names_else_its_pods_current_instances()
    {
        _node.Healthy(Web(0));
        _node.Healthy(Web(1, "2026-03-01T11:00:00Z"));
        var inspected = _node.Inspect();
        var first = inspected.Entries.Single(e => e.Kind == LogEntryKind.PodLog && e.RestartCount == 0);
        Func<string> unasked = () => throw new InvalidOperationException("only a failure describes the instance");
        int? Read(ContainerLogLink? record, Func<ContainerLogLink, bool>? isInstance)
        {
            var planner = Planner(inspected, new CollectingReporter());
            Assert.Empty(planner.AddInput(inspected.Entries, record, isInstance, "default", "web-0", unasked));
            return Assert.Single(planner.Plan().Targets).Origin.RestartCount;
        }

        Assert.Equal(1, Read(null, null));
        Assert.Equal(0, Read(null, e => e.RestartCount == 0));
        Assert.Equal(0, Read(first, e => e.RestartCount == 1));
    }
}
