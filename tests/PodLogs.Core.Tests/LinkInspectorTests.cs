using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>Every <see cref="LinkStatus"/> that <see cref="LinkInspector.InspectNode"/> gives, on real files and links.</summary>
public sealed class LinkInspectorTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static FakeContainer Web(int attempt = 0, string seed = "web", string container = "nginx") =>
        new("default", "web-0", FakeNode.Uid1, container, attempt, FakeNode.Id(seed + container + attempt));

    static FakeContainer Api(int attempt = 0, string seed = "api") =>
        new("prod", "api-7d9f8", FakeNode.Uid2, "server", attempt, FakeNode.Id(seed + attempt));

    
    // "<pod>_default_<container>-" is 251 bytes, so the cut loses the whole id, while the pod directory
    // name stays under 255 bytes (a longer pod name would get no logs at all).
    static readonly string LongPod = KubeletPathsTests.PodNameOfLength(200);
    const string LongContainer = "log-shipper-with-a-long-descriptive-name-x";

    static FakeContainer Long(int attempt, string started, bool running) =>
        new("default", LongPod, FakeNode.Uid2, LongContainer, attempt, FakeNode.Id("long" + attempt)) { StartedAt = started, Running = running };

    [Fact]
    public void A_docker_chain_that_is_intact_is_Healthy()
    {
        var c = _node.Healthy(Web(0));
        var i = _node.Inspect();

        var podLog = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Healthy, podLog.Status);
        Assert.Equal(LogEntryKind.PodLog, podLog.Kind);
        Assert.Equal(LinkType.SymbolicLink, podLog.LinkType);
        Assert.Equal(c.JsonLog, podLog.Target);
        Assert.Equal(c.JsonLog, podLog.ResolvedTarget);
        Assert.Equal(c.Id, podLog.ContainerId);
        Assert.Equal(("default", "web-0", FakeNode.Uid1, "nginx", 0), (podLog.Namespace, podLog.PodName, podLog.PodUid, podLog.ContainerName, podLog.RestartCount));
        Assert.Equal(ContainerState.Running, podLog.State);
        Assert.Equal(_node.Local(c.PodLogFile), podLog.FullName);
        Assert.Equal("DockerFiles", podLog.Source);
        Assert.True(podLog.Exists);

        var legacy = i.At(c.LegacyLink);
        Assert.Equal(LinkStatus.Healthy, legacy.Status);
        Assert.Equal(LogEntryKind.Legacy, legacy.Kind);
        Assert.Equal(c.PodLogFile, legacy.Target);
        Assert.Equal(c.JsonLog, legacy.ResolvedTarget);
        Assert.Equal([c.LegacyLink, c.PodLogFile], legacy.Chain.Select(h => h.NodePath));
        Assert.False(legacy.IsTruncated);

        Assert.Equal(2, i.Entries.Count);
        Assert.Empty(i.Reporter.Errors);
    }

    [Fact]
    public void Legacy_links_in_a_directory_that_is_itself_an_absolute_link_are_read_under_the_root()
    {
        // /var/log/containers -> /data/containers: the link is followed under -Root, never on the host.
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c);
        _node.Link("/data/containers/" + NodePath.FileName(c.LegacyLink), c.PodLogFile);
        _node.Link("/var/log/containers", "/data/containers");
        var i = _node.Inspect();

        var legacy = i.At(c.LegacyLink);
        Assert.Equal(LinkStatus.Healthy, legacy.Status);
        Assert.Equal(c.PodLogFile, legacy.Target);
        Assert.Equal(c.JsonLog, legacy.ResolvedTarget);
        Assert.Equal(["/var/log/containers", "/data/containers/" + NodePath.FileName(c.LegacyLink), c.PodLogFile], legacy.Chain.Select(h => h.NodePath));
        Assert.Empty(i.Reporter.Errors);
    }

    [Fact]
    public void A_pod_directory_that_cannot_be_listed_is_a_DirectoryUnreadable_error_and_the_other_pods_go_on()
    {
        // Opened with O_NOFOLLOW|O_DIRECTORY, a pod directory replaced by a link is not listed through it.
        var c = _node.Healthy(Web(0));
        var other = _node.Healthy(Api(0));
        var podDir = NodePath.Parent(NodePath.Parent(c.PodLogFile));
        Directory.Move(_node.Local(podDir), _node.Local("/elsewhere"));
        _node.Link(podDir, "/elsewhere");
        var i = _node.Inspect();

        var error = Assert.Single(i.Reporter.Errors, e => e.ErrorId == "DirectoryUnreadable");
        Assert.Equal(FailureCategory.ReadError, error.Category);
        Assert.Equal(_node.Local(podDir), error.TargetPath);
        Assert.Contains(podDir, error.Message);
        Assert.Equal(LinkStatus.Healthy, i.At(other.PodLogFile).Status);
        Assert.True(Directory.Exists(_node.Local("/elsewhere")));
    }

    [Fact]
    public void A_pod_log_link_in_a_pod_logs_directory_that_is_itself_a_link_keeps_its_raw_target()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c);
        _node.LegacyLink(c);
        _node.Mkdir("/mnt/logs");
        Directory.Move(_node.Local("/var/log/pods"), _node.Local("/mnt/logs/pods"));
        _node.Link("/var/log/pods", "/mnt/logs/pods");
        var i = _node.Inspect();

        var podLog = Assert.Single(i.Entries, e => e.Kind == LogEntryKind.PodLog);
        Assert.Equal(LinkStatus.Healthy, podLog.Status);
        Assert.Equal(c.JsonLog, podLog.Target);
        Assert.Equal(c.JsonLog, podLog.ResolvedTarget);
        Assert.Equal(c.PodLogFile, i.At(c.LegacyLink).Target);

        // Get-PodLogDirectory lists and measures it there too.
        var scanner = new PodDirectoryScanner(i.Layout, i.Reporter);
        var pod = Assert.Single(scanner.Enumerate(LogSelection.All));
        Assert.Equal(["nginx"], scanner.Describe(pod).Containers);
        Assert.Empty(i.Reporter.Errors);
    }

    [Fact]
    public void A_containerd_regular_file_is_Healthy()
    {
        var file = KubeletPaths.BuildContainerLogFile(FakeNode.PodLogs, "kube-system", "coredns-5d78c9869d-x7k2p", FakeNode.Uid2, "coredns", 0);
        _node.WriteFile(file, "2026-11-26T11:00:00.1Z stdout F hello\n");
        var legacy = KubeletPaths.LegacyLinkPath(FakeNode.Legacy, "coredns-5d78c9869d-x7k2p", "kube-system", "coredns", FakeNode.Id("coredns"));
        _node.Link(legacy, file);
        var i = _node.Inspect();

        Assert.Null(i.Runtime);
        var e = i.At(file);
        Assert.Equal(LinkStatus.Healthy, e.Status);
        Assert.Equal(LinkType.File, e.LinkType);
        Assert.Equal(file, e.ResolvedTarget);
        Assert.Null(e.Target);
        Assert.True(e.TotalBytes > 0);
        Assert.Null(e.Source);
        var l = i.At(legacy);
        Assert.Equal(LinkStatus.Healthy, l.Status);
        Assert.Equal(FakeNode.Id("coredns"), l.ContainerId);
    }

    [Fact]
    public void Rotated_siblings_belong_to_their_live_file_and_are_not_restarts()
    {
        var dir = KubeletPaths.BuildPodLogsDirectory(FakeNode.PodLogs, "kube-system", "coredns-x", FakeNode.Uid2) + "/coredns";
        _node.WriteFile(dir + "/0.log", "live\n");
        _node.WriteFile(dir + "/0.log.20261126-101500", "newest rotated\n");
        _node.WriteFile(dir + "/0.log.20261126-091500.gz", "gz");
        _node.WriteFile(dir + "/0.log.20261126-081500.gz", "gz");
        _node.WriteFile(dir + "/0.log.20261126-111500.tmp", "tmp");
        var i = _node.Inspect();

        var e = Assert.Single(i.Entries);
        Assert.Equal(dir + "/0.log", e.NodePath);
        Assert.Equal(0, e.RestartCount);
        Assert.Equal(LinkStatus.Healthy, e.Status);
        Assert.Equal(
            new[] { "0.log.20261126-081500.gz", "0.log.20261126-091500.gz", "0.log.20261126-101500" }.Select(n => _node.Local(dir + "/" + n)),
            e.RotatedFiles);
        Assert.Equal([_node.Local(dir + "/0.log.20261126-111500.tmp")], e.LeftoverFiles);
    }

    // kubelet's cleanupUnusedLogs (pkg/kubelet/logs/container_log_manager.go, isInUse): "All temporary files are not
    // in use" and "Files has already been compressed are not in use"; kubelet removes both before its next rotation.
    [Fact]
    public void Leftovers_of_an_interrupted_rotation_are_reported_apart_from_the_rotated_files()
    {
        var dir = KubeletPaths.BuildPodLogsDirectory(FakeNode.PodLogs, "kube-system", "coredns-x", FakeNode.Uid2) + "/coredns";
        _node.WriteFile(dir + "/0.log", "live\n");
        _node.WriteFile(dir + "/0.log.20261126-091500", "died between compressing and deleting\n");
        _node.WriteFile(dir + "/0.log.20261126-091500.gz", "gz");
        _node.WriteFile(dir + "/0.log.20261126-101500", "newest rotated\n");
        _node.WriteFile(dir + "/0.log.20261126-101500.gz.tmp", "unfinished compression");
        var e = Assert.Single(_node.Inspect().Entries);
        Assert.Equal(new[] { "0.log.20261126-091500.gz", "0.log.20261126-101500" }.Select(n => _node.Local(dir + "/" + n)), e.RotatedFiles);
        Assert.Equal(new[] { "0.log.20261126-091500", "0.log.20261126-101500.gz.tmp" }.Select(n => _node.Local(dir + "/" + n)), e.LeftoverFiles);
        Assert.Equal(LinkStatus.Healthy, e.Status);
        // they take disk: counted with the instance
        var allocated = new[] { "0.log", "0.log.20261126-091500", "0.log.20261126-091500.gz", "0.log.20261126-101500", "0.log.20261126-101500.gz.tmp" }
            .Sum(n => Native.Posix.LStat(_node.Local(dir + "/" + n), out var st) == 0 ? st.AllocatedBytes : 0);
        Assert.Equal(allocated, e.TotalBytes);
    }

    // Issue #12 item 6: the inspector counts with DiskUsage, each inode once. A rotated file that is a hard link of the
    // live N.log (a logrotate "copy" gone wrong, or an operator's ln) takes its blocks once.
    [Fact]
    public void A_rotated_file_hard_linked_to_the_live_log_is_counted_once()
    {
        var dir = KubeletPaths.BuildPodLogsDirectory(FakeNode.PodLogs, "kube-system", "coredns-x", FakeNode.Uid2) + "/coredns";
        _node.WriteFile(dir + "/0.log", new string('x', 64 * 1024) + "\n");
        Assert.Equal(0, DiskUsageTests.Link(_node.Local(dir + "/0.log"), _node.Local(dir + "/0.log.20261126-101500")));
        var e = Assert.Single(_node.Inspect().Entries);
        Assert.Equal([_node.Local(dir + "/0.log.20261126-101500")], e.RotatedFiles);
        Native.Posix.LStat(_node.Local(dir + "/0.log"), out var live);
        Assert.Equal(live.AllocatedBytes, e.TotalBytes);
    }

    [Fact]
    public void The_older_layouts_are_recognised()
    {
        // 1.5–1.9: <uid>/<container>_<n>.log; 1.10–1.13: <uid>/<container>/<n>.log.
        _node.WriteFile($"/var/log/pods/{FakeNode.Uid1}/nginx_2.log", "flat\n");
        _node.WriteFile($"/var/log/pods/{FakeNode.Uid1}/nginx_2.log.20200101-000000", "flat rotated\n");
        _node.WriteFile($"/var/log/pods/{FakeNode.StaticUid}/etcd/1.log", "uid dir\n");
        var i = _node.Inspect();

        var flat = i.At($"/var/log/pods/{FakeNode.Uid1}/nginx_2.log");
        Assert.Equal(PodLogLayout.UidFlat, flat.Layout);
        Assert.Equal(("nginx", 2, FakeNode.Uid1), (flat.ContainerName, flat.RestartCount, flat.PodUid));
        Assert.Equal(LinkStatus.Healthy, flat.Status);
        Assert.Single(flat.RotatedFiles);

        var uidDir = i.At($"/var/log/pods/{FakeNode.StaticUid}/etcd/1.log");
        Assert.Equal(PodLogLayout.UidDirectory, uidDir.Layout);
        Assert.Equal(("etcd", 1, FakeNode.StaticUid), (uidDir.ContainerName, uidDir.RestartCount, uidDir.PodUid));
        Assert.Null(uidDir.Namespace);
        Assert.Equal(2, i.Entries.Count);
    }

    [Fact]
    public void A_link_whose_log_is_gone_is_Dangling()
    {
        var c = _node.Healthy(Web(0));
        File.Delete(_node.Local(c.JsonLog));
        var i = _node.Inspect();

        var podLog = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Dangling, podLog.Status);
        Assert.Equal(c.JsonLog, podLog.Target);
        Assert.Null(podLog.ResolvedTarget);
        Assert.Contains(c.JsonLog, podLog.Reason);
        var legacy = i.At(c.LegacyLink);
        Assert.Equal(LinkStatus.Dangling, legacy.Status);
    }

    [Fact]
    public void An_absent_N_log_that_docker_expects_is_Missing()
    {
        var c = _node.Docker(Web(3));
        _node.Mkdir(c.ContainerDirectory);
        _node.LegacyLink(c);
        var i = _node.Inspect();

        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Missing, e.Status);
        Assert.False(e.Exists);
        Assert.Equal(LinkType.None, e.LinkType);
        Assert.Equal(c.Id, e.ContainerId);
        Assert.Equal(3, e.RestartCount);
        Assert.Equal(LinkStatus.Dangling, i.At(c.LegacyLink).Status);
    }

    [Fact]
    public void An_absent_legacy_link_is_Missing()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c);
        var i = _node.Inspect();

        Assert.Equal(LinkStatus.Healthy, i.At(c.PodLogFile).Status);
        var e = i.At(c.LegacyLink);
        Assert.Equal(LinkStatus.Missing, e.Status);
        Assert.Equal(LogEntryKind.Legacy, e.Kind);
        Assert.False(e.Exists);
        Assert.Equal(c.Id, e.ContainerId);
        Assert.Equal(_node.Local(c.LegacyLink), e.FullName);
    }

    [Fact]
    public void N_log_linked_to_another_containers_log_is_Stale()
    {
        var c = _node.Docker(Web(0));
        var other = _node.Healthy(Api(0));
        _node.PodLogLink(c, other.JsonLog);
        _node.LegacyLink(c);
        var i = _node.Inspect();

        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Stale, e.Status);
        Assert.Equal(c.Id, e.ContainerId);
        Assert.Equal(other.JsonLog, e.ResolvedTarget);
        Assert.Contains(VerdictText.Short(other.Id), e.Reason);
        Assert.Equal(LinkStatus.Stale, i.At(c.LegacyLink).Status);
        Assert.Equal(LinkStatus.Healthy, i.At(other.PodLogFile).Status);
    }

    [Fact]
    public void N_log_no_container_claims_linked_to_a_known_containers_log_is_Stale()
    {
        var other = _node.Healthy(Api(0));
        var nobody = Web(9);
        _node.PodLogLink(nobody, other.JsonLog);
        var i = _node.Inspect();
        Assert.Equal(LinkStatus.Stale, i.At(nobody.PodLogFile).Status);
    }

    [Fact]
    public void A_legacy_name_that_lost_the_whole_id_pointing_at_an_older_instance_is_Stale()
    {
        var old = _node.Docker(Long(0, "2026-01-01T00:00:00Z", running: false));
        var current = _node.Docker(Long(1, "2026-01-02T00:00:00Z", running: true));
        _node.PodLogLink(old);
        _node.PodLogLink(current);
        Assert.Equal(old.LegacyLink, current.LegacyLink);
        _node.LegacyLink(old); // kubelet's second Symlink failed with EEXIST: the link stays on the old instance
        var i = _node.Inspect();

        var e = i.At(old.LegacyLink);
        Assert.Equal(LinkStatus.Stale, e.Status);
        Assert.True(e.IsTruncated);
        Assert.Equal(current.Id, e.ContainerId);
        Assert.Equal(old.PodLogFile, e.Target);
        Assert.Contains(current.PodLogFile, e.Reason);
        Assert.Equal(3, i.Entries.Count);
    }

    [Fact]
    public void A_legacy_name_that_lost_the_whole_id_pointing_at_the_newest_instance_is_Healthy()
    {
        var old = _node.Docker(Long(0, "2026-01-01T00:00:00Z", running: false));
        var current = _node.Docker(Long(1, "2026-01-02T00:00:00Z", running: true));
        _node.PodLogLink(old);
        _node.PodLogLink(current);
        _node.LegacyLink(current);
        var e = _node.Inspect().At(current.LegacyLink);
        Assert.Equal(LinkStatus.Healthy, e.Status);
        Assert.True(e.IsTruncated);
    }

    // A static pod's manifest may set metadata.uid; kubelet keeps it (pkg/kubelet/config/common.go applyDefaults only
    // hashes an empty uid) and names the directory with it (BuildPodLogsDirectory), so the name is kubelet's.
    [Fact]
    public void A_static_pod_directory_with_the_manifests_own_uid_is_a_pod_directory()
    {
        var c = _node.Healthy(new FakeContainer("kube-system", "static-web-node-1", "static-web-manifest-uid", "web", 0, FakeNode.Id("static-web")));
        var i = _node.Inspect();
        Assert.Empty(i.Reporter.Errors);
        var podLog = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Healthy, podLog.Status);
        Assert.Equal(("kube-system", "static-web-node-1", "static-web-manifest-uid", "web"), (podLog.Namespace, podLog.PodName, podLog.PodUid, podLog.ContainerName));
        Assert.Equal(c.Id, podLog.ContainerId);
        var legacy = i.At(c.LegacyLink);
        Assert.Equal(LinkStatus.Healthy, legacy.Status);
        Assert.Equal("static-web-manifest-uid", legacy.PodUid);

        var scanner = new PodDirectoryScanner(i.Layout, new CollectingReporter());
        var dir = Assert.Single(scanner.Enumerate(LogSelection.All));
        Assert.Equal(c.PodDirectory, dir.NodePath);
        Assert.False(scanner.Describe(dir).IsStaticPod); // only its mirror pod tells: the uid is not a config hash
    }

    [Fact]
    public void A_pod_directory_whose_uid_part_is_not_a_safe_name_part_is_not_recognised()
    {
        _node.WriteFile(FakeNode.PodLogs + "/default_web-0_../nginx/0.log", "x\n");
        var i = _node.Inspect();
        Assert.Contains(i.Reporter.Errors, e => e.ErrorId == "PodDirectoryNotRecognized");
        Assert.DoesNotContain(i.Entries, e => e.PodName == "web-0");
    }

    // kubelet's getContainerIDFromLegacyLogSymlink (pkg/kubelet/kuberuntime/legacy.go) reads a cut name's surviving
    // id prefix back (>= 6 characters) and kuberuntime_gc.go asks the runtime about it: the record keeps it too.
    [Fact]
    public void A_cut_legacy_name_keeps_the_id_prefix_that_survived_and_ContainerId_selects_by_it()
    {
        var pod = KubeletPathsTests.PodNameOfLength(200);
        var id = FakeNode.Id("exporter");
        var file = KubeletPaths.BuildContainerLogFile(FakeNode.PodLogs, "monitoring", pod, FakeNode.Uid2, "exporter", 0);
        _node.WriteFile(file, "2026-03-01T00:00:00Z stdout F x\n");  // containerd: a regular N.log, no docker state
        var link = KubeletPaths.LegacyLinkPath(FakeNode.Legacy, pod, "monitoring", "exporter", id);
        _node.Link(link, file);
        var kept = id[..30];
        Assert.EndsWith("-" + kept + ".log", link);

        var e = _node.Inspect().At(link);
        Assert.Equal(LinkStatus.Healthy, e.Status);
        Assert.True(e.IsTruncated);
        Assert.Equal(kept, e.ContainerId);

        foreach (var given in new[] { id, id[..12], kept })
            Assert.Contains(_node.Inspect(selection: new LogSelection { ContainerIdPrefix = given }).Entries, r => r.NodePath == link);
        Assert.DoesNotContain(_node.Inspect(selection: new LogSelection { ContainerIdPrefix = FakeNode.Id("other") }).Entries, r => r.NodePath == link);
    }

    [Fact]
    public void A_cut_legacy_name_whose_chain_ends_at_another_containers_log_is_Stale()
    {
        var other = _node.Healthy(Api(0));
        var pod = KubeletPathsTests.PodNameOfLength(200);
        var gone = FakeNode.Id("gone");
        var link = KubeletPaths.LegacyLinkPath(FakeNode.Legacy, pod, "monitoring", "exporter", gone);
        _node.Link(link, other.JsonLog);
        var e = _node.Inspect().At(link);
        Assert.Equal(LinkStatus.Stale, e.Status);
        Assert.Equal(gone[..30], e.ContainerId);
        Assert.Contains(gone[..30], e.Reason);
    }

    // kubelet's GC (evictPodLogsDirectories, pkg/kubelet/kuberuntime/kuberuntime_gc.go) globs
    // filepath.Join(legacyContainerLogsDir, "*.log"): anything else in /var/log/containers is not kubelet's.
    [Theory]
    [InlineData(".bak")]
    [InlineData(".1")]
    [InlineData("")]
    public void An_entry_in_the_legacy_directory_not_ending_in_dot_log_is_Invalid_never_Healthy(string suffix)
    {
        var c = _node.Healthy(Web(0));
        var copy = suffix == "" ? c.LegacyLink[..^".log".Length] : c.LegacyLink + suffix;
        _node.Link(copy, c.PodLogFile);
        var i = _node.Inspect();
        Assert.Equal(LinkStatus.Healthy, i.At(c.LegacyLink).Status);
        var e = i.At(copy);
        Assert.Equal(LinkStatus.Invalid, e.Status);
        Assert.Contains("does not end in '.log'", e.Reason);
        Assert.Equal(c.PodLogFile, e.Target);
        Assert.Equal(3, i.Entries.Count);

        // without runtime state too (a containerd node's regular N.log)
        File.Delete(_node.Local(c.PodLogFile));
        _node.WriteFile(c.PodLogFile, "2026-03-01T00:00:00Z stdout F x\n");
        Directory.Delete(_node.Local(c.StateDirectory), true);
        var bare = _node.Inspect();
        Assert.Equal(LinkStatus.Invalid, bare.At(copy).Status);
    }

    [Fact]
    public void Cut_names_are_marked_IsTruncated()
    {
        var pod = KubeletPathsTests.PodNameOfLength(200);
        var c = _node.Healthy(new FakeContainer("monitoring", pod, FakeNode.Uid2, "exporter", 0, FakeNode.Id("exporter")));
        Assert.True(KubeletPaths.IsLegacyLinkNameCut(pod, "monitoring", "exporter", c.Id));
        var i = _node.Inspect();
        var e = i.At(c.LegacyLink);
        Assert.Equal(LinkStatus.Healthy, e.Status);
        Assert.True(e.IsTruncated);
        Assert.Equal(c.Id, e.ContainerId);
        Assert.False(i.At(c.PodLogFile).IsTruncated);

        // Also when it is missing: the record says which name kubelet would give it.
        File.Delete(_node.Local(c.LegacyLink));
        var missing = _node.Inspect().At(c.LegacyLink);
        Assert.Equal(LinkStatus.Missing, missing.Status);
        Assert.True(missing.IsTruncated);
    }

    [Fact]
    public void A_link_resolving_outside_the_roots_is_Unsafe()
    {
        _node.WriteFile("/etc/shadow", "root:*:19000:0:99999:7:::\n");
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/etc/shadow");
        var planted = Web(4);
        _node.PodLogLink(planted, "../../../../../../../etc/shadow");
        _node.Link(FakeNode.Legacy + "/web-0_default_nginx-" + FakeNode.Id("evil") + ".log", "/etc/shadow");
        var i = _node.Inspect();

        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Unsafe, e.Status);
        Assert.Equal("/etc/shadow", e.ResolvedTarget);
        Assert.Equal(LinkStatus.Unsafe, i.At(planted.PodLogFile).Status);
        Assert.Equal(LinkStatus.Unsafe, i.At(FakeNode.Legacy + "/web-0_default_nginx-" + FakeNode.Id("evil") + ".log").Status);
    }

    [Fact]
    public void A_link_into_dockers_data_root_outside_its_containers_directory_is_Unsafe()
    {
        // Issue #11 item 4: docker's log root is <data root>/containers; overlay layers and volumes hold no
        // container log, and a link into them reads a container's files, not its log.
        _node.WriteFile("/var/lib/docker/overlay2/3f2a/diff/etc/shadow", "root:*:19000:0:99999:7:::\n");
        _node.WriteFile("/var/lib/docker/volumes/secret/_data/key", "k");
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/var/lib/docker/overlay2/3f2a/diff/etc/shadow");
        _node.Link(FakeNode.Legacy + "/web-0_default_nginx-" + FakeNode.Id("vol") + ".log", "/var/lib/docker/volumes/secret/_data/key");
        var i = _node.Inspect();

        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Unsafe, e.Status);
        Assert.Contains("outside the node's log roots", e.Reason);
        Assert.Contains("/var/lib/docker/containers", e.Reason);
        Assert.Equal(LinkStatus.Unsafe, i.At(FakeNode.Legacy + "/web-0_default_nginx-" + FakeNode.Id("vol") + ".log").Status);
    }

    [Fact]
    public void A_link_to_a_host_path_is_resolved_under_the_root_not_on_the_host()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "/etc/passwd"); // exists on the host, not under the root
        var e = _node.Inspect().At(c.PodLogFile);
        Assert.Equal(LinkStatus.Dangling, e.Status);
        Assert.Null(e.ResolvedTarget);
    }

    [Fact]
    public void A_link_to_the_log_of_a_container_docker_no_longer_knows_is_Orphaned()
    {
        _node.Healthy(Api(0));
        var gone = Web(0);
        _node.WriteFile(gone.JsonLog, "{\"log\":\"left behind\\n\"}\n"); // docker rm without -v, or state lost
        _node.PodLogLink(gone);
        _node.LegacyLink(gone);
        var i = _node.Inspect();

        var e = i.At(gone.PodLogFile);
        Assert.Equal(LinkStatus.Orphaned, e.Status);
        Assert.Equal(gone.Id, e.ContainerId);
        Assert.Equal(LinkStatus.Orphaned, i.At(gone.LegacyLink).Status);
    }

    [Fact]
    public void Only_rotated_files_left_is_Orphaned()
    {
        _node.Healthy(Api(0));
        var gone = Web(2);
        _node.WriteFile(gone.ContainerDirectory + "/2.log.20260101-000000", "rotated\n");
        _node.WriteFile(gone.ContainerDirectory + "/2.log.20251231-000000.gz", "gz");
        var e = _node.Inspect().At(gone.PodLogFile);
        Assert.Equal(LinkStatus.Orphaned, e.Status);
        Assert.False(e.Exists);
        Assert.Equal(2, e.RotatedFiles.Count);
    }

    [Fact]
    public void Only_rotated_files_left_while_docker_still_has_the_container_is_Missing()
    {
        var c = _node.Docker(Web(2));
        _node.WriteFile(c.ContainerDirectory + "/2.log.20260101-000000", "rotated\n");
        _node.LegacyLink(c);
        var e = _node.Inspect().At(c.PodLogFile);
        Assert.Equal(LinkStatus.Missing, e.Status);
        Assert.Single(e.RotatedFiles);
    }

    [Fact]
    public void A_directory_where_the_log_file_belongs_is_Invalid()
    {
        var c = _node.Docker(Web(0));
        _node.Mkdir(c.PodLogFile);
        _node.LegacyLink(c);
        var i = _node.Inspect();
        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Invalid, e.Status);
        Assert.Equal(LinkType.Directory, e.LinkType);
        // The legacy link resolves to the directory: not a log file either.
        Assert.Equal(LinkStatus.Invalid, i.At(c.LegacyLink).Status);
    }

    [Fact]
    public void A_link_loop_is_Invalid()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c, "1.log");
        _node.Link(c.ContainerDirectory + "/1.log", "0.log");
        var i = _node.Inspect();
        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Invalid, e.Status);
        Assert.Contains("loop", e.Reason);
        Assert.Equal(LinkStatus.Invalid, i.At(c.ContainerDirectory + "/1.log").Status);
    }

    [Fact]
    public void Names_kubelet_would_not_make_are_Invalid()
    {
        var c = _node.Healthy(Web(0));
        _node.WriteFile(c.ContainerDirectory + "/notes.txt", "mine\n");
        _node.WriteFile(c.PodDirectory + "/stray-file", "x");
        _node.Mkdir(c.PodDirectory + "/Not_A_Container");
        _node.Link(FakeNode.Legacy + "/whatever.log", "/var/log/syslog");
        var i = _node.Inspect();

        Assert.Equal(LinkStatus.Invalid, i.At(c.ContainerDirectory + "/notes.txt").Status);
        Assert.Equal(LinkStatus.Invalid, i.At(c.PodDirectory + "/stray-file").Status);
        Assert.Equal(LinkStatus.Invalid, i.At(c.PodDirectory + "/Not_A_Container").Status);
        var legacy = i.At(FakeNode.Legacy + "/whatever.log");
        Assert.Equal(LinkStatus.Invalid, legacy.Status);
        Assert.Equal(LinkStatus.Healthy, i.At(c.PodLogFile).Status);
    }

    [Fact]
    public void A_leftover_temporary_link_is_Invalid()
    {
        var c = _node.Healthy(Web(0));
        _node.Link(c.ContainerDirectory + "/.podlogs-0123456789abcdef.lnk", c.JsonLog);
        var e = _node.Inspect().At(c.ContainerDirectory + "/.podlogs-0123456789abcdef.lnk");
        Assert.Equal(LinkStatus.Invalid, e.Status);
        Assert.Contains("temporary", e.Reason);
        Assert.Equal(LinkType.SymbolicLink, e.LinkType);
    }

    [Fact]
    public void A_legacy_regular_file_is_Invalid()
    {
        var c = _node.Docker(Web(0));
        _node.PodLogLink(c);
        _node.WriteFile(c.LegacyLink, "a file, not a link");
        var e = _node.Inspect().At(c.LegacyLink);
        Assert.Equal(LinkStatus.Invalid, e.Status);
        Assert.Equal(LinkType.File, e.LinkType);
    }

    [Fact]
    public void Containers_without_a_json_log_are_not_Missing()
    {
        // journald driver: docker writes no json log; never started: LogPath is empty.
        var journald = _node.Docker(Web(0, container: "journald") with { LogDriver = "journald" });
        var created = _node.Docker(Web(0, container: "created") with { Running = false, StartedAt = "0001-01-01T00:00:00Z", DockerLogPath = "" });
        _node.Mkdir(journald.PodDirectory);
        var i = _node.Inspect();
        Assert.NotNull(i.Runtime);
        Assert.Equal(2, i.Runtime.Containers.Count);
        Assert.Empty(i.Entries);
    }

    [Fact]
    public void Without_docker_state_runtime_facts_give_no_Missing_Stale_or_Orphaned()
    {
        // The same files that, with docker's state, give Missing, Stale and Orphaned (tests above).
        var a = Web(0);
        var b = Api(0);
        var c = Web(1);
        _node.WriteFile(a.JsonLog, "a\n");
        _node.WriteFile(b.JsonLog, "b\n");
        _node.PodLogLink(a, b.JsonLog);     // another container's log
        _node.PodLogLink(b);                // a log docker does not know
        _node.Mkdir(c.ContainerDirectory);  // an instance with no N.log
        _node.WriteFile(c.JsonLog, "c\n");
        var i = _node.Inspect();

        Assert.Null(i.Runtime);
        Assert.Equal(2, i.Entries.Count);
        Assert.All(i.Entries, e =>
        {
            Assert.DoesNotContain(e.Status, new[] { LinkStatus.Missing, LinkStatus.Stale, LinkStatus.Orphaned });
            Assert.Null(e.Source);
        });
    }

    [Fact]
    public void A_pod_directory_name_over_255_bytes_is_reported_as_NameTooLong()
    {
        var pod = KubeletPathsTests.PodNameOfLength(230);
        var c = _node.Docker(new FakeContainer("default", pod, FakeNode.Uid1, "app", 0, FakeNode.Id("toolong")));
        Assert.True(KubeletPaths.IsPodDirectoryNameTooLong("default", pod, FakeNode.Uid1));
        var i = _node.Inspect();
        var e = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Missing, e.Status);
        Assert.True(e.NameTooLong);
        Assert.Contains("80042", e.Reason);
    }

    [Fact]
    public void The_scanner_describes_pod_directories_and_reports_names_kubelet_would_not_make()
    {
        var c = _node.Healthy(Web(0));
        _node.WriteFile(KubeletPaths.BuildContainerLogFile(FakeNode.PodLogs, "kube-system", "etcd-node-1", FakeNode.StaticUid, "etcd", 0), "0123456789");
        _node.Mkdir(FakeNode.PodLogs + "/not-a-pod-directory");
        var reporter = new CollectingReporter();
        var scanner = new PodDirectoryScanner(_node.Layout(), reporter);

        var pods = scanner.Enumerate(LogSelection.All).ToList();

        Assert.Equal(new[] { "default", "kube-system" }, pods.Select(p => p.Namespace));
        var error = Assert.Single(reporter.Errors);
        Assert.Equal("PodDirectoryNotRecognized", error.ErrorId);
        Assert.Equal(_node.Local(FakeNode.PodLogs + "/not-a-pod-directory"), error.TargetPath);
        var etcd = scanner.Describe(pods[1]);
        Assert.True(etcd.IsStaticPod);
        Assert.Equal(["etcd"], etcd.Containers);
        Assert.True(etcd.TotalBytes > 0);
        var web = scanner.Describe(pods[0]);
        Assert.False(web.IsStaticPod);
        Assert.Equal(0, web.TotalBytes); // N.log is a link: its bytes are docker's
        Assert.Equal(c.PodDirectory, web.NodePath);

        var tooLong = scanner.Compute("default", KubeletPathsTests.PodNameOfLength(230), FakeNode.Uid1);
        Assert.True(tooLong.NameTooLong);
        Assert.False(tooLong.Exists);
        Assert.True(scanner.Describe(tooLong).NameTooLong);
    }

    [Fact]
    public void A_symlinked_data_root_gives_Healthy_chains_in_either_spelling()
    {
        _node.Mkdir("/var/lib");
        _node.Link("/var/lib/docker", "/data/docker");
        var canonical = _node.Docker(Web(0) with { DockerRoot = "/data/docker" });
        _node.PodLogLink(canonical);
        _node.LegacyLink(canonical);
        var configured = _node.Docker(Api(0) with { DockerRoot = "/data/docker" });
        _node.PodLogLink(configured, DockershimNames.JsonLogPath("/var/lib/docker", configured.Id));
        _node.LegacyLink(configured);
        var i = _node.Inspect();

        Assert.Equal(4, i.Entries.Count);
        Assert.All(i.Entries, e => Assert.Equal(LinkStatus.Healthy, e.Status));
        Assert.Equal($"/data/docker/containers/{configured.Id}/{configured.Id}-json.log", i.At(configured.PodLogFile).ResolvedTarget);
    }

    [Fact]
    public void A_selection_narrows_what_is_inspected()
    {
        var web = _node.Healthy(Web(0));
        var api = _node.Healthy(Api(0));
        var i = _node.Inspect(selection: LogSelection.All with { Namespace = ns => ns == "prod" });
        Assert.Equal(2, i.Entries.Count);
        Assert.All(i.Entries, e => Assert.Equal("prod", e.Namespace));

        var byId = _node.Inspect(selection: LogSelection.All with { ContainerIdPrefix = LogSelection.NormalizeContainerId("docker://" + web.Id[..12].ToUpperInvariant()) });
        Assert.Equal(new[] { web.LegacyLink, web.PodLogFile }, byId.Entries.Select(e => e.NodePath).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(byId.Entries, e => e.ContainerId == api.Id);
    }

    long OwnBytes(string nodePath) => Posix.LStat(_node.Local(nodePath), out var st) == 0 ? st.AllocatedBytes : -1;

    [Fact]
    public void TotalBytes_is_the_entrys_regular_files_and_TargetBytes_what_its_link_points_at()
    {
        // Issue #10 item 10: TotalBytes means the entry plus its rotated files on every record, each file once;
        // summed over a node it counts docker's json log once (in TargetBytes), not once per link to it.
        var c = _node.Healthy(Web(0));
        _node.WriteFile(c.JsonLog, new string('y', 50000));
        var i = _node.Inspect();

        var podLog = i.At(c.PodLogFile);
        Assert.Equal(0, podLog.TotalBytes);
        Assert.Equal(OwnBytes(c.JsonLog), podLog.TargetBytes);
        Assert.True(podLog.TargetBytes >= 50000);
        var legacy = i.At(c.LegacyLink);
        Assert.Equal(0, legacy.TotalBytes);
        Assert.Equal(OwnBytes(c.JsonLog), legacy.TargetBytes);

        var scanner = new PodDirectoryScanner(_node.Layout(), new CollectingReporter());
        var directory = scanner.Describe(Assert.Single(scanner.Enumerate(LogSelection.All)));
        Assert.Equal(0, directory.TotalBytes);
    }

    [Fact]
    public void A_regular_N_log_counts_itself_and_its_rotated_files_and_has_no_TargetBytes()
    {
        var file = KubeletPaths.BuildContainerLogFile(FakeNode.PodLogs, "kube-system", "coredns-5d78c9869d-x7k2p", FakeNode.Uid2, "coredns", 0);
        _node.WriteFile(file, "2026-11-26T11:00:00.1Z stdout F hello\n");
        _node.WriteFile(file + ".20261126-100000.gz", new string('z', 9000));
        var i = _node.Inspect();

        var e = i.At(file);
        Assert.Equal(OwnBytes(file) + OwnBytes(file + ".20261126-100000.gz"), e.TotalBytes);
        Assert.Null(e.TargetBytes);
    }

    [Fact]
    public void Reasons_start_with_what_is_wrong_and_what_to_do()
    {
        // Issue #10 item 10: a table at 80 columns shows the start of Reason; ids and paths come after.
        var missing = _node.Docker(Web(1));
        var dangling = _node.Healthy(Api(0));
        File.Delete(_node.Local(dangling.JsonLog));
        var relinkable = _node.Healthy(Web(0, container: "sidecar"));
        _node.Relink(relinkable.PodLogFile, "/var/lib/docker/containers/gone/gone-json.log");
        var i = _node.Inspect();

        Assert.StartsWith("the link leads nowhere; Repair-ContainerLogLink relinks it to the json log of container", i.At(relinkable.PodLogFile).Reason);
        Assert.EndsWith("(hop 1: /var/lib/docker/containers/gone does not exist)", i.At(relinkable.PodLogFile).Reason);
        Assert.StartsWith("no 1.log link to the json log; Repair-ContainerLogLink", i.At(missing.PodLogFile).Reason);
        Assert.StartsWith("no legacy link", i.At(missing.LegacyLink).Reason);
        Assert.StartsWith("the json log is gone, so there is nothing to link to", i.At(dangling.PodLogFile).Reason);
        Assert.StartsWith("its target 0.log is broken; repairing that restores this link", i.At(dangling.LegacyLink).Reason);
        Assert.Contains(dangling.JsonLog, i.At(dangling.PodLogFile).Reason);
    }
}
