using PodLogs.Core;
using PodLogs.Core.Runtime;
using static PodLogs.Runtime.Tests.ModuleUnderTest;

namespace PodLogs.Runtime.Tests;

/// <summary>One real dockerd for the docker scenarios, on a node tree mounted at the real node paths.</summary>
public sealed class DockerNodeFixture : DockerNode
{
    int _pods;

    /// <summary>A fresh pod identity per test, so tests on the shared daemon do not see each other's breakage.</summary>
    public (string Ns, string Pod, string Uid) NewPod(string prefix)
    {
        var n = Interlocked.Increment(ref _pods);
        return ("team-" + n, $"{prefix}-{n}-7d9f8c6b5-x2k4q", Guid.NewGuid().ToString());
    }
}

[CollectionDefinition("runtimes", DisableParallelization = true)]
public sealed class RuntimeCollection : ICollectionFixture<DockerNodeFixture>;

/// <summary>
/// Break a dockershim node the way users do and check that inspection finds each case and repair
/// restores exactly kubelet's layout: the same link names and byte-for-byte the same targets.
/// </summary>
[Collection("runtimes")]
public sealed class DockerScenarioTests(DockerNodeFixture f)
{
    (List<ContainerLogLink> Links, CollectingReporter Reporter) InspectPod(string ns, string pod, RuntimeSourceKind kind = RuntimeSourceKind.Docker, string root = "/")
    {
        // Endpoints are node paths: under another root the daemon's socket has another node path.
        var options = root == "/" ? ViaDocker(f.Docker, kind) : ViaDocker(f.Docker, kind) with { DockerEndpoint = "unix:///" + Path.GetRelativePath(root, f.Docker.Socket) };
        var (links, reporter, _) = Inspect(options, root, Pod(ns, pod));
        return (links, reporter);
    }

    [Fact]
    public void A_dockershim_pod_is_healthy_with_state_and_restart_counts_from_the_live_daemon()
    {
        var (ns, pod, uid) = f.NewPod("web");
        var app = f.Dockershim.Start(ns, pod, uid, "app", 0);
        var sidecar = f.Dockershim.Start(ns, pod, uid, "sidecar", 3);
        var (links, reporter) = InspectPod(ns, pod);
        Assert.Empty(reporter.Errors);
        Assert.Equal(4, links.Count);
        Assert.All(links, l => Assert.Equal(LinkStatus.Healthy, l.Status));
        Assert.All(links, l => Assert.Equal(ContainerState.Running, l.State));
        Assert.All(links, l => Assert.Equal("Docker", l.Source));
        var appLog = Assert.Single(links, l => l.Kind == LogEntryKind.PodLog && l.ContainerName == "app");
        Assert.Equal(app.Id, appLog.ContainerId);
        Assert.Equal(0, appLog.RestartCount);
        Assert.Equal($"/var/lib/docker/containers/{app.Id}/{app.Id}-json.log", appLog.ResolvedTarget);
        Assert.Equal(3, Assert.Single(links, l => l.Kind == LogEntryKind.Legacy && l.ContainerId == sidecar.Id).RestartCount);
    }

    [Fact]
    public void Deleted_links_are_Missing_and_repair_restores_the_same_names_and_targets()
    {
        var (ns, pod, uid) = f.NewPod("deleted");
        var c = f.Dockershim.Start(ns, pod, uid, "app", 2);
        var logTarget = ReadLink(c.LogFile);
        var legacyTarget = ReadLink(c.LegacyLink);
        File.Delete(c.LogFile);
        File.Delete(c.LegacyLink);

        var (links, _) = InspectPod(ns, pod);
        Assert.Equal(LinkStatus.Missing, Assert.Single(links, l => l.NodePath == c.LogFile).Status);
        Assert.Equal(LinkStatus.Missing, Assert.Single(links, l => l.NodePath == c.LegacyLink).Status);

        var (results, reporter) = Repair(ViaDocker(f.Docker), selection: Pod(ns, pod));
        Assert.Empty(reporter.Errors);
        Assert.Equal([c.LogFile, c.LegacyLink], results.Select(r => r.NodePath));
        Assert.All(results, r => Assert.Equal(RepairAction.Created, r.Action));
        Assert.Equal(logTarget, ReadLink(c.LogFile));
        Assert.Equal(legacyTarget, ReadLink(c.LegacyLink));
        Assert.All(InspectPod(ns, pod).Links, l => Assert.Equal(LinkStatus.Healthy, l.Status));
        Assert.Empty(Repair(ViaDocker(f.Docker), selection: Pod(ns, pod)).Results);
    }

    [Fact]
    public void Docker_rm_leaves_Dangling_links_that_repair_refuses_as_ContainerLogGone()
    {
        var (ns, pod, uid) = f.NewPod("removed");
        var keep = f.Dockershim.Start(ns, pod, uid, "keep", 0);
        var gone = f.Dockershim.Start(ns, pod, uid, "gone", 0);
        f.Dockershim.Remove(gone);

        var (links, _) = InspectPod(ns, pod);
        Assert.Equal(LinkStatus.Dangling, Assert.Single(links, l => l.NodePath == gone.LogFile).Status);
        Assert.Equal(LinkStatus.Dangling, Assert.Single(links, l => l.NodePath == gone.LegacyLink).Status);
        Assert.All(links.Where(l => l.ContainerId == keep.Id), l => Assert.Equal(LinkStatus.Healthy, l.Status));

        var (results, reporter) = Repair(ViaDocker(f.Docker), selection: Pod(ns, pod));
        Assert.Empty(results);
        Assert.Equal(2, reporter.Errors.Count(e => e.ErrorId == "ContainerLogGone"));
        Assert.Equal($"/var/lib/docker/containers/{gone.Id}/{gone.Id}-json.log", ReadLink(gone.LogFile));
    }

    [Fact]
    public void After_a_restart_the_old_instance_stays_Healthy_while_docker_keeps_it_and_the_new_one_is_linked()
    {
        var (ns, pod, uid) = f.NewPod("restarted");
        var first = f.Dockershim.Start(ns, pod, uid, "app", 0, command: "echo crash; exit 1");
        var second = f.Dockershim.Restart(first);
        File.Delete(second.LegacyLink);

        var (links, _) = InspectPod(ns, pod);
        var old = Assert.Single(links, l => l.NodePath == first.LegacyLink);
        Assert.Equal(LinkStatus.Healthy, old.Status);
        Assert.Equal(ContainerState.Exited, old.State);
        var missing = Assert.Single(links, l => l.NodePath == second.LegacyLink);
        Assert.Equal(LinkStatus.Missing, missing.Status);
        Assert.Equal(1, missing.RestartCount);

        var (results, _) = Repair(ViaDocker(f.Docker), selection: Pod(ns, pod));
        var created = Assert.Single(results);
        Assert.Equal(second.LegacyLink, created.NodePath);
        Assert.Equal(second.LogFile, created.Target);
        Assert.Equal(second.LogFile, ReadLink(second.LegacyLink));
    }

    [Fact]
    public void A_wiped_legacy_directory_is_rebuilt_with_kubelets_names_and_targets()
    {
        var (ns, pod, uid) = f.NewPod("wiped");
        var a = f.Dockershim.Start(ns, pod, uid, "a", 0);
        var b = f.Dockershim.Start(ns, pod, uid, "b", 1);
        var before = Directory.GetFileSystemEntries("/var/log/containers").ToDictionary(p => p, ReadLink);
        Directory.Delete("/var/log/containers", recursive: true);

        var (links, _) = InspectPod(ns, pod);
        Assert.Equal(2, links.Count(l => l.Kind == LogEntryKind.Legacy && l.Status == LinkStatus.Missing));

        // The whole node: every pod's legacy links come back, not only this test's.
        var (results, reporter) = Repair(ViaDocker(f.Docker));
        Assert.DoesNotContain(reporter.Errors, e => e.ErrorId != "ContainerLogGone");
        var after = Directory.GetFileSystemEntries("/var/log/containers").ToDictionary(p => p, ReadLink);
        foreach (var (path, target) in before)
            if (File.Exists(target!)) Assert.Equal(target, after[path]);
        Assert.Equal(a.LogFile, after[a.LegacyLink]);
        Assert.Equal(b.LogFile, after[b.LegacyLink]);
        Assert.Contains(results, r => r.NodePath == a.LegacyLink);
    }

    [Fact]
    public void A_stale_NLog_link_is_replaced_atomically_with_the_owners_json_log()
    {
        var (ns, pod, uid) = f.NewPod("stale");
        var a = f.Dockershim.Start(ns, pod, uid, "a", 0);
        var b = f.Dockershim.Start(ns, pod, uid, "b", 0);
        var right = ReadLink(b.LogFile);
        File.Delete(b.LogFile);
        File.CreateSymbolicLink(b.LogFile, ReadLink(a.LogFile)!);

        var (links, _) = InspectPod(ns, pod);
        Assert.Equal(LinkStatus.Stale, Assert.Single(links, l => l.NodePath == b.LogFile).Status);
        Assert.Equal(LinkStatus.Stale, Assert.Single(links, l => l.NodePath == b.LegacyLink).Status);

        var (results, _) = Repair(ViaDocker(f.Docker), selection: Pod(ns, pod));
        var replaced = Assert.Single(results);
        Assert.Equal(RepairAction.Replaced, replaced.Action);
        Assert.Equal(right, ReadLink(b.LogFile));
        Assert.All(InspectPod(ns, pod).Links, l => Assert.Equal(LinkStatus.Healthy, l.Status));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(b.LogFile)!, ".podlogs-*"));
    }

    [Fact]
    public void The_docker_API_fast_path_and_inspecting_every_container_agree()
    {
        var (ns, pod, uid) = f.NewPod("agree");
        f.Dockershim.Start(ns, pod, uid, "app", 0);
        var stopped = f.Dockershim.Start(ns, pod, uid, "done", 1, command: "echo bye");
        f.Dockershim.Stop(stopped);
        var reporter = new CollectingReporter();
        var layout = PodLogs.Core.Node.NodeLayout.Load(new(), reporter);
        var fast = new PodLogs.Runtime.Docker.DockerApiSource(f.Docker.Endpoint, TimeSpan.FromSeconds(10)).Read(layout, reporter, default)!;
        var full = new PodLogs.Runtime.Docker.DockerApiSource(f.Docker.Endpoint, TimeSpan.FromSeconds(10)) { InspectEveryContainer = true }.Read(layout, reporter, default)!;
        Assert.Equal(
            full.Containers.OrderBy(c => c.Id).Select(c => (c.Id, c.Namespace, c.PodName, c.PodUid, c.ContainerName, c.RestartCount, c.State, c.LogPath, c.DockerJsonLogPath)),
            fast.Containers.OrderBy(c => c.Id).Select(c => (c.Id, c.Namespace, c.PodName, c.PodUid, c.ContainerName, c.RestartCount, c.State, c.LogPath, c.DockerJsonLogPath)));
    }

    [Fact]
    public void The_same_node_seen_under_a_root_gives_the_same_verdicts()
    {
        var (ns, pod, uid) = f.NewPod("rooted");
        var c = f.Dockershim.Start(ns, pod, uid, "app", 0);
        File.Delete(c.LegacyLink);
        var atRoot = InspectPod(ns, pod).Links.Select(l => (l.NodePath, l.Status, l.Target)).ToList();
        var underRoot = InspectPod(ns, pod, root: f.Node.Root).Links.Select(l => (l.NodePath, l.Status, l.Target)).ToList();
        Assert.Equal(atRoot, underRoot);
        Assert.Contains(underRoot, l => l.Status == LinkStatus.Missing);
    }

    [Fact]
    public void Auto_uses_the_live_docker_daemon_and_DockerFiles_agrees_with_it()
    {
        var (ns, pod, uid) = f.NewPod("auto");
        var c = f.Dockershim.Start(ns, pod, uid, "app", 0);
        File.Delete(c.LogFile);
        var live = InspectPod(ns, pod, RuntimeSourceKind.Auto);
        Assert.All(live.Links, l => Assert.Equal("Docker", l.Source));
        var files = InspectPod(ns, pod, RuntimeSourceKind.DockerFiles);
        Assert.All(files.Links, l => Assert.Equal("DockerFiles", l.Source));
        Assert.Equal(live.Links.Select(l => (l.NodePath, l.Status)), files.Links.Select(l => (l.NodePath, l.Status)));
    }

    [Fact]
    public void A_CRI_probe_pointed_at_dockerds_own_containerd_does_not_count_as_the_runtime()
    {
        var (ns, pod, uid) = f.NewPod("moby");
        f.Dockershim.Start(ns, pod, uid, "app", 0);
        // dockerd runs a containerd of its own (namespace moby); it holds no Kubernetes containers.
        var mobySocket = Path.Join(f.Node.Scratch("docker"), "exec", "containerd", "containerd.sock");
        Assert.True(File.Exists(mobySocket), "dockerd's own containerd socket");
        var options = ViaDocker(f.Docker, RuntimeSourceKind.Auto) with { CriEndpoint = "unix://" + mobySocket };
        var (links, reporter, snapshot) = Inspect(options, "/", Pod(ns, pod));
        Assert.Equal("Docker", snapshot?.SourceName);
        Assert.All(links, l => Assert.Equal(LinkStatus.Healthy, l.Status));
        Assert.Empty(reporter.Warnings);

        var (_, criOnly, criSnapshot) = Inspect(options with { Kind = RuntimeSourceKind.Cri }, "/", Pod(ns, pod));
        Assert.Null(criSnapshot);
        Assert.NotEmpty(criOnly.VerboseMessages);
    }
}
