using System.Text;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;
using PodLogs.Core.Repair;

namespace PodLogs.Core.Tests;

/// <summary>RepairPlanner + RepairExecutor on real links: what is written, what is refused, and that nothing else changes.</summary>
public sealed class RepairTests : IDisposable
{
    readonly FakeNode _node = new();

    public RepairTests()
    {
        // Kubelet creates both directories at start-up.
        _node.Mkdir(FakeNode.PodLogs);
        _node.Mkdir(FakeNode.Legacy);
    }

    public void Dispose()
    {
        try { Assert.Empty(_node.FindNames(LinkWriter.TempPrefix)); } // no .podlogs-* names left behind by any test
        finally { _node.Dispose(); }
    }

    static FakeContainer Web(int attempt = 0, string seed = "web") =>
        new("default", "web-0", FakeNode.Uid1, "nginx", attempt, FakeNode.Id(seed + attempt));

    static FakeContainer Api(int attempt = 0) =>
        new("prod", "api-7d9f8", FakeNode.Uid2, "server", attempt, FakeNode.Id("api" + attempt));

    // "<pod>_default_<container>-" is 251 bytes, so the cut loses the whole id, while the pod directory
    // name stays under 255 bytes (a longer pod name would get no logs at all).
    static readonly string LongPod = KubeletPathsTests.PodNameOfLength(200);
    const string LongContainer = "log-shipper-with-a-long-descriptive-name-x";

    static FakeContainer Long(int attempt, string started, bool running) =>
        new("default", LongPod, FakeNode.Uid2, LongContainer, attempt, FakeNode.Id("long" + attempt)) { StartedAt = started, Running = running };

    void AssertLinkText(string nodePath, string expected)
    {
        var bytes = _node.ReadLinkBytes(nodePath);
        Assert.NotNull(bytes);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), bytes);
        Assert.DoesNotContain(_node.Root, Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void Missing_links_are_created_with_the_node_absolute_targets_kubelet_and_dockershim_write()
    {
        var c = _node.Docker(Web(2));
        _node.Mkdir(c.PodDirectory); // the container directory is created as kubelet would
        var r = _node.Repair();

        Assert.Empty(r.Plan.Refusals);
        Assert.Empty(r.Reporter.Errors);
        Assert.Equal(2, r.Results.Count);
        var podLog = Assert.Single(r.Results, x => x.Kind == LogEntryKind.PodLog);
        Assert.Equal((RepairAction.Created, c.PodLogFile, c.JsonLog, c.Id, "DockerFiles"), (podLog.Action, podLog.NodePath, podLog.Target, podLog.ContainerId, podLog.Source));
        Assert.Equal(_node.Local(c.PodLogFile), podLog.FullName);
        Assert.Null(podLog.PreviousTarget);
        var legacy = Assert.Single(r.Results, x => x.Kind == LogEntryKind.Legacy);
        Assert.Equal((RepairAction.Created, c.LegacyLink, c.PodLogFile), (legacy.Action, legacy.NodePath, legacy.Target));

        AssertLinkText(c.PodLogFile, $"/var/lib/docker/containers/{c.Id}/{c.Id}-json.log");
        AssertLinkText(c.LegacyLink, $"/var/log/pods/default_web-0_{FakeNode.Uid1}/nginx/2.log");
        Assert.All(_node.Inspect().Entries, e => Assert.Equal(LinkStatus.Healthy, e.Status));
    }

    [Fact]
    public void A_stale_N_log_is_replaced()
    {
        var c = _node.Docker(Web(0));
        var other = _node.Healthy(Api(0));
        _node.PodLogLink(c, other.JsonLog);
        _node.LegacyLink(c);
        var r = _node.Repair();

        var step = Assert.Single(r.Results);
        Assert.Equal((RepairAction.Replaced, c.PodLogFile, c.JsonLog, other.JsonLog), (step.Action, step.NodePath, step.Target, step.PreviousTarget));
        AssertLinkText(c.PodLogFile, c.JsonLog);
        AssertLinkText(other.PodLogFile, other.JsonLog);
        Assert.All(_node.Inspect().Entries, e => Assert.Equal(LinkStatus.Healthy, e.Status));
        Assert.Contains(r.Asked, a => a.Target == _node.Local(c.PodLogFile) && a.Action.StartsWith("Replace link to " + other.JsonLog));
    }

    [Fact]
    public void A_dangling_N_log_of_a_known_container_is_relinked_to_its_json_log()
    {
        var c = _node.Docker(Web(1));
        _node.PodLogLink(c, "/var/lib/docker/containers/gone/gone-json.log");
        _node.LegacyLink(c);
        var r = _node.Repair();
        Assert.Equal(RepairAction.Replaced, Assert.Single(r.Results).Action);
        AssertLinkText(c.PodLogFile, c.JsonLog);
    }

    [Fact]
    public void An_Unsafe_N_log_of_a_known_container_is_relinked()
    {
        _node.WriteFile("/etc/shadow", "secret");
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/etc/shadow");
        _node.LegacyLink(c);
        var r = _node.Repair();
        Assert.Equal(RepairAction.Replaced, Assert.Single(r.Results).Action);
        AssertLinkText(c.PodLogFile, c.JsonLog);
        Assert.Equal("secret", File.ReadAllText(_node.Local("/etc/shadow")));
    }

    // Issue #11 item 5: the repair writes only chains its own inspection would call Healthy.
    [Theory]
    [InlineData("link-to-shadow", "LogTargetNotOwnLog")]
    [InlineData("link-to-other-container", "LogTargetNotOwnLog")]
    [InlineData("fifo", "LogTargetNotRegularFile")]
    public void A_json_log_that_is_not_the_containers_own_regular_file_gets_no_N_log_and_no_legacy_link(string kind, string errorId)
    {
        _node.WriteFile("/etc/shadow", "secret");
        var other = _node.Healthy(Api(0));
        var c = _node.Docker(Web(0) with { WriteJsonLog = false });
        _node.Mkdir(c.ContainerDirectory);
        switch (kind)
        {
            case "link-to-shadow": _node.Link(c.JsonLog, "/etc/shadow"); break;
            case "link-to-other-container": _node.Link(c.JsonLog, other.JsonLog); break;
            default: _node.Fifo(c.JsonLog); break;
        }
        var before = _node.Listing();

        var r = _node.Repair();

        Assert.Empty(r.Results);
        var refusal = r.Refusal(errorId);
        Assert.Equal(_node.Local(c.PodLogFile), refusal.TargetPath);
        Assert.Contains("nothing was written", refusal.Message);
        Assert.Contains("LinkTargetMissing", r.RefusalIds); // the legacy link waits for an N.log that was not made
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_legacy_link_is_not_written_into_an_N_log_that_leads_out_of_the_containers_log()
    {
        // N.log already links to a file outside the roots and its own replacement is declined: the legacy
        // link that would complete the chain to /etc/shadow is refused rather than created.
        _node.WriteFile("/etc/shadow", "secret");
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/etc/shadow");
        var before = _node.Listing();

        var r = _node.Repair(shouldProcess: (_, action) => !action.StartsWith("Replace", StringComparison.Ordinal));

        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
        // Planned as one step after the N.log replacement, the legacy link is checked again when it is written.
        Assert.Contains(r.Reporter.Errors, f => f.ErrorId is "LinkTargetMissing" or "LogTargetNotOwnLog");
    }

    [Fact]
    public void When_shouldProcess_says_no_nothing_changes()
    {
        var missing = _node.Docker(Web(0));
        _node.Mkdir(missing.ContainerDirectory);
        var stale = _node.Docker(Api(0));
        _node.PodLogLink(stale, missing.JsonLog);
        _node.LegacyLink(stale);
        var before = _node.Listing();

        var r = _node.Repair(force: true, shouldProcess: (_, _) => false);

        Assert.Empty(r.Results);
        Assert.Equal(3, r.Asked.Count); // N.log created, N.log replaced, legacy created
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_second_run_plans_nothing()
    {
        var c = _node.Docker(Web(0));
        _node.Mkdir(c.ContainerDirectory);
        var stale = _node.Docker(Api(0));
        _node.PodLogLink(stale, c.JsonLog);
        Assert.Equal(4, _node.Repair().Results.Count); // c's N.log and legacy link created, stale's N.log replaced, its legacy link created
        var after = _node.Listing();

        var second = _node.Repair();
        Assert.Empty(second.Plan.Steps);
        Assert.Empty(second.Plan.Refusals);
        Assert.Empty(second.Asked);
        Assert.Equal(after, _node.Listing());
    }

    [Theory]
    [InlineData("/etc/cron.d/podlogs-forged")]
    [InlineData("/var/log/pods/kube-system_victim_" + FakeNode.Uid2 + "/nginx/0.log")]
    public void A_label_path_that_is_not_kubelets_is_LabelPathMismatch_and_nothing_is_written_there(string labelPath)
    {
        _node.Mkdir("/etc/cron.d");
        _node.Mkdir(NodePath.Parent(labelPath));
        var c = _node.Docker(Web(0) with { LogPathLabel = labelPath });
        _node.Mkdir(c.ContainerDirectory);
        var before = _node.Listing();

        var r = _node.Repair();

        var refusal = r.Refusal("LabelPathMismatch");
        Assert.Equal(FailureCategory.SecurityError, refusal.Category);
        Assert.Equal(_node.Local(c.PodLogFile), refusal.TargetPath);
        Assert.Contains(labelPath, refusal.Message);
        Assert.Contains("LinkTargetMissing", r.RefusalIds); // the legacy link waits for N.log
        Assert.Contains(r.Reporter.Errors, e => e.ErrorId == "LabelPathMismatch");
        Assert.Empty(r.Results);
        Assert.False(_node.Exists(labelPath));
        Assert.Equal(before, _node.Listing());
    }

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("/var/lib/docker/containers/{id}/../../../../etc/shadow")]
    [InlineData("/var/lib/docker/containers/{id}/{id}-json.log.1")]
    public void A_json_log_path_that_is_not_dockers_own_is_LogPathMismatch(string logPath)
    {
        var id = FakeNode.Id("web0");
        _node.WriteFile("/etc/shadow", "secret");
        var c = _node.Docker(Web(0) with { DockerLogPath = logPath.Replace("{id}", id), WriteJsonLog = false });
        Assert.Equal(id, c.Id);
        _node.WriteFile(c.JsonLog, "real json log\n");
        _node.Mkdir(c.ContainerDirectory);
        var before = _node.Listing();

        var r = _node.Repair();

        Assert.Equal(FailureCategory.SecurityError, r.Refusal("LogPathMismatch").Category);
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_removed_pod_directory_is_PodDirectoryRemoved_and_Force_recreates_it()
    {
        var c = _node.Docker(Web(0));
        var before = _node.Listing();

        var r = _node.Repair();
        Assert.Equal(FailureCategory.ObjectNotFound, r.Refusal("PodDirectoryRemoved").Category);
        Assert.Equal(_node.Local(c.LegacyLink), r.Refusal("LinkTargetMissing").TargetPath);
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());

        var forced = _node.Repair(force: true);
        Assert.Empty(forced.Plan.Refusals);
        Assert.Equal(2, forced.Results.Count);
        Assert.Contains(forced.Asked, a => a.Action.Contains("recreating the pod directory"));
        Assert.Equal(FileKind.Directory, _node.KindOf(c.PodDirectory));
        AssertLinkText(c.PodLogFile, c.JsonLog);
        AssertLinkText(c.LegacyLink, c.PodLogFile);
        Assert.All(_node.Inspect().Entries, e => Assert.Equal(LinkStatus.Healthy, e.Status));
    }

    [Fact]
    public void A_pod_directory_name_over_255_bytes_is_refused_even_with_Force()
    {
        var c = _node.Docker(new FakeContainer("default", KubeletPathsTests.PodNameOfLength(230), FakeNode.Uid1, "app", 0, FakeNode.Id("toolong")));
        var before = _node.Listing();
        var r = _node.Repair(force: true);
        Assert.Equal(FailureCategory.LimitsExceeded, r.Refusal("PodDirectoryNameTooLong").Category);
        Assert.Empty(r.Results);
        Assert.False(_node.Exists(c.LegacyLink));
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_regular_file_is_never_overwritten()
    {
        var c = _node.Docker(Web(0));
        _node.WriteFile(c.PodLogFile, "written by someone else\n");
        _node.LegacyLink(c);
        var before = _node.Listing();

        var r = _node.Repair();

        var refusal = r.Refusal("RegularFileInTheWay");
        Assert.Equal(_node.Local(c.PodLogFile), refusal.TargetPath);
        Assert.Empty(r.Results);
        Assert.Equal(FileKind.RegularFile, _node.KindOf(c.PodLogFile));
        Assert.Equal("written by someone else\n", File.ReadAllText(_node.Local(c.PodLogFile)));
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_dangling_link_whose_container_is_gone_is_ContainerLogGone()
    {
        _node.Healthy(Api(0));
        var gone = Web(0, "gone");
        _node.PodLogLink(gone);
        _node.LegacyLink(gone);
        var before = _node.Listing();

        var r = _node.Repair();

        Assert.Equal(new[] { _node.Local(gone.LegacyLink), _node.Local(gone.PodLogFile) },
            r.Plan.Refusals.Where(f => f.ErrorId == "ContainerLogGone").Select(f => f.TargetPath).Order(StringComparer.Ordinal));
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_container_whose_json_log_was_deleted_is_ContainerLogGone()
    {
        var c = _node.Healthy(Web(0));
        File.Delete(_node.Local(c.JsonLog));
        var before = _node.Listing();

        var r = _node.Repair();

        Assert.Equal(_node.Local(c.PodLogFile), r.Refusal("ContainerLogGone").TargetPath);
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_legacy_link_whose_target_cannot_exist_is_LinkTargetMissing()
    {
        // Docker's LogPath is wrong, so N.log is refused; kubelet makes the legacy link only when N.log exists.
        var c = _node.Docker(Web(0) with { DockerLogPath = "/srv/elsewhere.log" });
        _node.Mkdir(c.ContainerDirectory);
        var r = _node.Repair();
        Assert.Contains("LogPathMismatch", r.RefusalIds);
        var refusal = r.Refusal("LinkTargetMissing");
        Assert.Equal(_node.Local(c.LegacyLink), refusal.TargetPath);
        Assert.False(_node.Exists(c.LegacyLink));
    }

    [Fact]
    public void A_container_directory_replaced_by_a_link_is_ParentIsLink_and_nothing_is_written_through_it()
    {
        var c = _node.Docker(Web(0));
        _node.Mkdir(c.PodDirectory);
        _node.Mkdir("/elsewhere");
        _node.Link(c.ContainerDirectory, "/elsewhere");
        var before = _node.Listing();

        var r = _node.Repair();

        var error = Assert.Single(r.Reporter.Errors, e => e.ErrorId == "ParentIsLink");
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Equal(_node.Local(c.PodLogFile), error.TargetPath);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_node.Local("/elsewhere")));
        Assert.DoesNotContain(r.Results, x => x.Kind == LogEntryKind.PodLog);
        // The legacy link would point at an N.log that was not created: kubelet would not make it either.
        Assert.False(_node.Exists(c.LegacyLink));
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void Declining_N_log_does_not_leave_a_dangling_legacy_link()
    {
        var c = _node.Docker(Web(0));
        _node.Mkdir(c.ContainerDirectory);
        var before = _node.Listing();

        // -Confirm answered No for N.log and Yes for the legacy link.
        var r = _node.Repair(shouldProcess: (target, _) => target != _node.Local(c.PodLogFile));

        Assert.False(_node.Exists(c.LegacyLink));
        Assert.Empty(r.Results);
        Assert.Contains(r.Reporter.Errors, e => e.ErrorId == "LinkTargetMissing" && e.TargetPath == _node.Local(c.LegacyLink));
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void Two_containers_claiming_one_path_the_one_started_last_wins()
    {
        var older = _node.Docker(Web(0, "older") with { StartedAt = "2026-01-01T00:00:00Z", Running = false });
        var newer = _node.Docker(Web(0, "newer") with { StartedAt = "2026-01-02T00:00:00Z", RandomSuffix = "0badf00d" });
        _node.PodLogLink(older);
        _node.LegacyLink(older);
        _node.LegacyLink(newer);
        Assert.Equal(LinkStatus.Stale, _node.Inspect().At(newer.PodLogFile).Status);

        var r = _node.Repair();

        var step = Assert.Single(r.Results);
        Assert.Equal((RepairAction.Replaced, newer.Id, older.JsonLog), (step.Action, step.ContainerId, step.PreviousTarget));
        AssertLinkText(newer.PodLogFile, newer.JsonLog);
    }

    [Fact]
    public void Two_containers_claiming_a_missing_path_the_one_started_last_gets_it()
    {
        // Listed in the opposite order from their start times, so order of discovery cannot decide.
        var newer = _node.Docker(Web(0, "aaa") with { StartedAt = "2026-01-02T00:00:00Z", RandomSuffix = "0badf00d" });
        var older = _node.Docker(Web(0, "zzz") with { StartedAt = "2026-01-01T00:00:00Z", Running = false });
        _node.Mkdir(older.ContainerDirectory);
        _node.LegacyLink(older);
        _node.LegacyLink(newer);

        var r = _node.Repair();

        var step = Assert.Single(r.Results);
        Assert.Equal((RepairAction.Created, newer.Id), (step.Action, step.ContainerId));
        AssertLinkText(newer.PodLogFile, newer.JsonLog);
    }

    [Fact]
    public void A_legacy_name_that_lost_the_whole_id_is_pointed_at_the_newest_instance()
    {
        var old = _node.Docker(Long(0, "2026-01-01T00:00:00Z", running: false));
        var current = _node.Docker(Long(1, "2026-01-02T00:00:00Z", running: true));
        _node.PodLogLink(old);
        _node.PodLogLink(current);
        _node.LegacyLink(old);

        var r = _node.Repair();

        var step = Assert.Single(r.Results);
        Assert.Equal((RepairAction.Replaced, LogEntryKind.Legacy, current.Id, old.PodLogFile), (step.Action, step.Kind, step.ContainerId, step.PreviousTarget));
        AssertLinkText(current.LegacyLink, current.PodLogFile);
        Assert.Empty(_node.Repair().Plan.Steps);
    }

    [Fact]
    public void A_missing_legacy_name_that_lost_the_whole_id_is_created_for_the_newest_instance()
    {
        var old = _node.Docker(Long(0, "2026-01-01T00:00:00Z", running: false));
        var current = _node.Docker(Long(1, "2026-01-02T00:00:00Z", running: true));
        _node.PodLogLink(old);
        _node.PodLogLink(current);

        var missing = _node.Inspect().At(current.LegacyLink);
        Assert.Equal(LinkStatus.Missing, missing.Status);
        Assert.Equal(current.Id, missing.ContainerId);

        var r = _node.Repair();

        var step = Assert.Single(r.Results);
        Assert.Equal((RepairAction.Created, LogEntryKind.Legacy, current.Id), (step.Action, step.Kind, step.ContainerId));
        AssertLinkText(current.LegacyLink, current.PodLogFile);
    }

    [Fact]
    public void An_entry_that_changes_between_plan_and_action_is_left_alone()
    {
        var created = _node.Docker(Web(0));
        _node.Mkdir(created.ContainerDirectory);
        var replaced = _node.Docker(Api(0));
        _node.PodLogLink(replaced, created.JsonLog);
        var inspected = _node.Inspect();
        var plan = new RepairPlanner(inspected.Inspector).Plan(inspected.Entries, force: false, explicitSelection: false);
        Assert.Equal(2, plan.Steps.Count(s => s.Kind == LogEntryKind.PodLog));

        // Meanwhile a runtime writes a regular file, and someone relinks the stale link.
        _node.WriteFile(created.PodLogFile, "the runtime's own file\n");
        File.Delete(_node.Local(replaced.PodLogFile));
        _node.PodLogLink(replaced, "/var/lib/docker/containers/x/x-json.log");
        var results = new RepairExecutor(inspected.Layout, inspected.Reporter).Execute(plan, (_, _) => true).ToList();

        Assert.DoesNotContain(results, x => x.Kind == LogEntryKind.PodLog);
        Assert.Equal(2, inspected.Reporter.Errors.Count(e => e.ErrorId == "EntryChanged"));
        Assert.Equal("the runtime's own file\n", File.ReadAllText(_node.Local(created.PodLogFile)));
        AssertLinkText(replaced.PodLogFile, "/var/lib/docker/containers/x/x-json.log");
    }

    [Fact]
    public void Without_runtime_state_nothing_is_repaired()
    {
        var c = Web(0);
        _node.PodLogLink(c, "/var/lib/docker/containers/x/x-json.log");
        var before = _node.Listing();
        var r = _node.Repair();
        Assert.Empty(r.Results);
        Assert.Equal("NoRuntimeState", Assert.Single(r.Plan.Refusals).ErrorId);
        Assert.Equal(before, _node.Listing());
    }

    [Fact]
    public void A_symlinked_data_root_is_linked_under_the_spelling_dockerd_uses()
    {
        _node.Mkdir("/var/lib");
        _node.Link("/var/lib/docker", "/data/docker");
        var c = _node.Docker(Web(0) with { DockerRoot = "/data/docker" });
        _node.Mkdir(c.ContainerDirectory);
        var r = _node.Repair();
        Assert.Equal(2, r.Results.Count);
        AssertLinkText(c.PodLogFile, $"/data/docker/containers/{c.Id}/{c.Id}-json.log");
    }
}
