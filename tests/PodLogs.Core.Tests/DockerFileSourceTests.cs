using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

/// <summary>Docker's on-disk state read with no daemon: config.v2.json and hostconfig.json.</summary>
public sealed class DockerFileSourceTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static FakeContainer Web(int attempt = 0, string seed = "web") =>
        new("default", "web-0", FakeNode.Uid1, "nginx", attempt, FakeNode.Id(seed + attempt));

    (RuntimeSnapshot? Snapshot, CollectingReporter Reporter) Read(NodeLayoutOptions? options = null)
    {
        var reporter = new CollectingReporter();
        var layout = _node.Layout(options);
        return (new DockerFileSource().Read(layout, reporter, CancellationToken.None), reporter);
    }

    [Fact]
    public void Reads_identity_state_log_paths_and_driver()
    {
        var c = _node.Docker(Web(3) with { StartedAt = "2026-11-06T16:08:12.123456700Z", Running = true });
        var (snapshot, reporter) = Read();

        Assert.NotNull(snapshot);
        Assert.Empty(reporter.Errors);
        Assert.Equal("DockerFiles", snapshot.SourceName);
        Assert.Equal(RuntimeKind.Docker, snapshot.Kind);
        var r = Assert.Single(snapshot.Containers);
        Assert.Equal(c.Id, r.Id);
        Assert.Equal(("default", "web-0", FakeNode.Uid1, "nginx", 3), (r.Namespace, r.PodName, r.PodUid, r.ContainerName, r.RestartCount));
        Assert.Equal(ContainerState.Running, r.State);
        Assert.Equal(new DateTimeOffset(2026, 11, 6, 16, 8, 12, TimeSpan.Zero).AddTicks(1234567), r.StartedAt);
        Assert.Equal(c.PodLogFile, r.LogPath);
        Assert.Equal($"/var/lib/docker/containers/{c.Id}/{c.Id}-json.log", r.DockerJsonLogPath);
        Assert.Equal("json-file", r.LogDriver);
        Assert.True(r.ExpectsDockerLink);
        Assert.Equal("DockerFiles", r.SourceName);
        Assert.Equal(_node.Local(c.StateDirectory + "/config.v2.json"), r.StatePath);
        Assert.True(r.HasValidIdentity);
        Assert.Same(r, snapshot.FindById(c.Id));
        Assert.Same(r, snapshot.FindOwnerOfLogFile(c.PodLogFile));
    }

    [Fact]
    public void Exited_and_never_started_containers_are_told_apart()
    {
        var exited = _node.Docker(Web(1) with { Running = false, StartedAt = "2026-01-01T00:00:00Z" });
        var created = _node.Docker(Web(2) with { Running = false, StartedAt = "0001-01-01T00:00:00Z", DockerLogPath = "" });
        var (snapshot, _) = Read();
        Assert.Equal(ContainerState.Exited, snapshot!.FindById(exited.Id)!.State);
        var c = snapshot.FindById(created.Id)!;
        Assert.Equal(ContainerState.Created, c.State);
        Assert.Null(c.StartedAt);
        Assert.False(c.ExpectsDockerLink);
    }

    [Fact]
    public void The_log_driver_comes_from_hostconfig()
    {
        var journald = _node.Docker(Web(0, "journald") with { LogDriver = "journald" });
        var noHostConfig = _node.Docker(Web(1, "nohost") with { LogDriver = null });
        var (snapshot, _) = Read();
        var j = snapshot!.FindById(journald.Id)!;
        Assert.Equal("journald", j.LogDriver);
        Assert.False(j.ExpectsDockerLink);
        // Without hostconfig.json a set LogPath means docker's default driver, json-file.
        Assert.Equal("json-file", snapshot.FindById(noHostConfig.Id)!.LogDriver);
    }

    [Fact]
    public void Sandboxes_are_ignored()
    {
        _node.Docker(Web(0, "sandbox") with { Type = "podsandbox", DockerName = "/k8s_POD_web-0_default_" + FakeNode.Uid1 + "_0" });
        var c = _node.Docker(Web(0));
        var (snapshot, reporter) = Read();
        Assert.Equal(c.Id, Assert.Single(snapshot!.Containers).Id);
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void Containers_kubelet_did_not_make_are_ignored_and_no_containers_means_no_state()
    {
        _node.Docker(Web(0) with { Labels = new Dictionary<string, string?> { [DockershimNames.ContainerTypeLabel] = null }, DockerName = "/registry" });
        var (snapshot, reporter) = Read();
        Assert.Null(snapshot);
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void Without_a_containers_directory_there_is_no_docker_state()
    {
        var (snapshot, reporter) = Read();
        Assert.Null(snapshot);
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void A_config_over_1_MiB_is_refused_and_reading_goes_on()
    {
        var big = FakeNode.Id("big");
        _node.WriteFile($"/var/lib/docker/containers/{big}/config.v2.json", "{\"ID\":\"" + big + "\",\"Pad\":\"" + new string('x', 1024 * 1024) + "\"}");
        var ok = _node.Docker(Web(0));
        var (snapshot, reporter) = Read();

        var error = Assert.Single(reporter.Errors);
        Assert.Equal("DockerStateUnreadable", error.ErrorId);
        Assert.Equal(FailureCategory.LimitsExceeded, error.Category);
        Assert.Equal(_node.Local($"/var/lib/docker/containers/{big}/config.v2.json"), error.TargetPath);
        Assert.Equal(ok.Id, Assert.Single(snapshot!.Containers).Id);
    }

    [Fact]
    public void A_config_of_exactly_1_MiB_is_read()
    {
        var c = Web(0);
        _node.Docker(c);
        var path = _node.Local(c.StateDirectory + "/config.v2.json");
        var json = File.ReadAllText(path);
        json = json[..^1] + ",\"Pad\":\"" + new string('x', 1024 * 1024 - json.Length - 9) + "\"}";
        File.WriteAllText(path, json);
        Assert.Equal(1024 * 1024, new FileInfo(path).Length);
        var (snapshot, reporter) = Read();
        Assert.Empty(reporter.Errors);
        Assert.Single(snapshot!.Containers);
    }

    [Fact]
    public void Malformed_json_is_reported_and_reading_goes_on()
    {
        var bad = FakeNode.Id("bad");
        _node.WriteFile($"/var/lib/docker/containers/{bad}/config.v2.json", "{\"ID\": \"" + bad + "\", \"Config\": {");
        var array = FakeNode.Id("array");
        _node.WriteFile($"/var/lib/docker/containers/{array}/config.v2.json", "[1,2]");
        var ok = _node.Docker(Web(0));
        var (snapshot, reporter) = Read();

        Assert.Equal(2, reporter.Errors.Count);
        Assert.All(reporter.Errors, e =>
        {
            Assert.Equal("DockerStateUnreadable", e.ErrorId);
            Assert.Equal(FailureCategory.InvalidData, e.Category);
        });
        Assert.Contains(reporter.Errors, e => e.TargetPath == _node.Local($"/var/lib/docker/containers/{bad}/config.v2.json"));
        Assert.Equal(ok.Id, Assert.Single(snapshot!.Containers).Id);
    }

    [Fact]
    public async Task A_FIFO_in_place_of_config_v2_json_does_not_hang_and_is_reported()
    {
        var fifo = FakeNode.Id("fifo");
        _node.Fifo($"/var/lib/docker/containers/{fifo}/config.v2.json");
        var ok = _node.Docker(Web(0));
        // A blocking open() would never return: WaitAsync turns that into a TimeoutException.
        var (snapshot, reporter) = await Task.Run(() => Read()).WaitAsync(TimeSpan.FromSeconds(20));

        var error = Assert.Single(reporter.Errors);
        Assert.Equal("DockerStateUnreadable", error.ErrorId);
        Assert.Equal(FailureCategory.InvalidData, error.Category);
        Assert.Contains("Fifo", error.Message);
        Assert.Equal(ok.Id, Assert.Single(snapshot!.Containers).Id);
    }

    [Fact]
    public void A_symlink_in_place_of_config_v2_json_is_not_followed()
    {
        // A perfectly valid config elsewhere, linked in: reading through the link would trust it.
        var planted = Web(5, "planted");
        _node.Docker(planted);
        var linked = FakeNode.Id("linked");
        _node.Link($"/var/lib/docker/containers/{linked}/config.v2.json", planted.StateDirectory + "/config.v2.json");
        var (snapshot, reporter) = Read();

        Assert.DoesNotContain(snapshot!.Containers, c => c.Id == linked);
        Assert.Equal(planted.Id, Assert.Single(snapshot.Containers).Id);
        var error = Assert.Single(reporter.Errors);
        Assert.Equal("DockerStateUnreadable", error.ErrorId);
        Assert.Contains("symbolic link", error.Message);
        Assert.Equal(_node.Local($"/var/lib/docker/containers/{linked}/config.v2.json"), error.TargetPath);
    }

    [Theory]
    [InlineData(DockershimNames.PodNamespaceLabel, "kube-system")]
    [InlineData(DockershimNames.PodNameLabel, "web-1")]
    [InlineData(DockershimNames.PodUidLabel, FakeNode.Uid2)]
    [InlineData(DockershimNames.ContainerNameLabel, "sidecar")]
    public void A_name_that_disagrees_with_the_labels_is_ContainerIdentityConflict(string label, string value)
    {
        var c = _node.Docker(Web(0) with { Labels = new Dictionary<string, string?> { [label] = value } });
        var ok = _node.Docker(Web(1));
        var (snapshot, reporter) = Read();

        var error = Assert.Single(reporter.Errors);
        Assert.Equal("ContainerIdentityConflict", error.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, error.Category);
        Assert.Null(snapshot!.FindById(c.Id));
        Assert.NotNull(snapshot.FindById(ok.Id));
    }

    [Fact]
    public void Invalid_names_are_ContainerIdentityInvalid()
    {
        // Name and labels agree, but a namespace with capitals is not one kubelet could have built a path from.
        var upper = _node.Docker(new FakeContainer("Default", "web-0", FakeNode.Uid1, "nginx", 0, FakeNode.Id("upper")));
        var traversal = _node.Docker(Web(0, "traversal") with
        {
            DockerName = "/custom",
            Labels = new Dictionary<string, string?> { [DockershimNames.ContainerNameLabel] = "../../etc" },
        });
        // Any uid a static pod's manifest set is kubelet's (KubernetesNames.IsPodUidPart), but not one that is no name part.
        var badUid = _node.Docker(new FakeContainer("default", "web-0", "..", "nginx", 0, FakeNode.Id("baduid")));
        var wrongId = _node.Docker(Web(0, "wrongid") with { ConfigId = FakeNode.Id("someone else") });
        var ok = _node.Docker(Web(1));
        var (snapshot, reporter) = Read();

        Assert.Equal(4, reporter.Errors.Count);
        Assert.All(reporter.Errors, e => Assert.Equal("ContainerIdentityInvalid", e.ErrorId));
        foreach (var c in new[] { upper, traversal, badUid, wrongId })
            Assert.Contains(reporter.Errors, e => e.TargetPath == _node.Local(c.StateDirectory + "/config.v2.json"));
        Assert.Equal(ok.Id, Assert.Single(snapshot!.Containers).Id);
    }

    [Fact]
    public void The_attempt_comes_from_the_name_never_from_dockers_RestartCount()
    {
        var c = _node.Docker(Web(2) with { DockerRestartCount = 9 });
        var suffixed = _node.Docker(Web(4, "suffixed") with { RandomSuffix = "1a2b3c4d", DockerRestartCount = 7 });
        var (snapshot, _) = Read();
        Assert.Equal(2, snapshot!.FindById(c.Id)!.RestartCount);
        Assert.Equal(4, snapshot.FindById(suffixed.Id)!.RestartCount);
    }

    [Fact]
    public void Without_a_kubelet_name_the_attempt_comes_from_the_restartCount_annotation()
    {
        var c = _node.Docker(Web(5) with { DockerName = "/renamed-by-hand", DockerRestartCount = 9 });
        var (snapshot, reporter) = Read();
        Assert.Empty(reporter.Errors);
        Assert.Equal(5, snapshot!.FindById(c.Id)!.RestartCount);
    }

    [Fact]
    public void Without_name_or_annotation_the_attempt_is_unknown_and_the_container_skipped()
    {
        var c = _node.Docker(Web(5) with
        {
            DockerName = "/renamed-by-hand",
            DockerRestartCount = 9,
            Labels = new Dictionary<string, string?> { [DockershimNames.RestartCountLabel] = null },
        });
        var (snapshot, reporter) = Read();
        Assert.Null(snapshot);
        var error = Assert.Single(reporter.Errors);
        Assert.Equal("ContainerAttemptUnknown", error.ErrorId);
        Assert.Equal(_node.Local(c.StateDirectory + "/config.v2.json"), error.TargetPath);
    }

    [Fact]
    public void A_symlinked_data_root_is_read_under_its_canonical_spelling()
    {
        _node.Mkdir("/var/lib");
        _node.Link("/var/lib/docker", "/data/docker");
        var c = _node.Docker(Web(0) with { DockerRoot = "/data/docker" });
        var (snapshot, _) = Read();
        var r = Assert.Single(snapshot!.Containers);
        Assert.Equal(c.Id, r.Id);
        Assert.Equal($"/data/docker/containers/{c.Id}/{c.Id}-json.log", r.DockerJsonLogPath);
    }

    [Fact]
    public void An_explicit_DockerDataRoot_is_where_state_is_read()
    {
        var c = _node.Docker(Web(0) with { DockerRoot = "/srv/docker" });
        Assert.Null(Read().Snapshot);
        var (snapshot, _) = Read(new NodeLayoutOptions { DockerDataRoot = "/srv/docker" });
        Assert.Equal(c.Id, Assert.Single(snapshot!.Containers).Id);
    }

    [Fact]
    public void Two_containers_claiming_one_path_the_one_started_last_owns_it()
    {
        var older = _node.Docker(Web(0, "older") with { StartedAt = "2026-01-01T00:00:00Z", Running = false });
        var newer = _node.Docker(Web(0, "newer") with { StartedAt = "2026-01-02T00:00:00Z", RandomSuffix = "0badf00d" });
        var (snapshot, _) = Read();
        Assert.Equal(newer.Id, snapshot!.FindOwnerOfLogFile(older.PodLogFile)!.Id);
        Assert.Equal([older.Id, newer.Id], snapshot.InstancesOf("default", "web-0", FakeNode.Uid1, "nginx").Select(c => c.Id));
    }
}
