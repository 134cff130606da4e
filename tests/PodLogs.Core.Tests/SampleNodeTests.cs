using System.Diagnostics;
using System.IO.Compression;
using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Samples;
using PodLogs.Core.Usage;
using S = PodLogs.Core.Samples.SampleNode;

namespace PodLogs.Core.Tests;

/// <summary>The embedded sample node (the origin article's example plus deliberate breakage), inspected and repaired.</summary>
public sealed class SampleNodeTests : IDisposable
{
    readonly FakeNode _node = new();

    public SampleNodeTests() => SampleNode.Create(_node.Root);

    public void Dispose() => _node.Dispose();

    static string PodLog(string ns, string pod, string uid, string container, int n) =>
        KubeletPaths.BuildContainerLogFile("/var/log/pods", ns, pod, uid, container, n);

    static string Legacy(string pod, string ns, string container, string id) =>
        KubeletPaths.LegacyLinkPath("/var/log/containers", pod, ns, container, id);

    static string Json(string id) => DockershimNames.JsonLogPath("/var/lib/docker", id);

    static readonly string Reloader1 = PodLog("default", S.ReloaderPod, S.ReloaderUid, "stakater-reloader", 1);
    static readonly string Reloader6 = PodLog("default", S.ReloaderPod, S.ReloaderUid, "stakater-reloader", 6);
    static readonly string Reloader7 = PodLog("default", S.ReloaderPod, S.ReloaderUid, "stakater-reloader", 7);
    static readonly string Istio3 = PodLog("istio-system", S.IstioPod, S.IstioUid, "istio-proxy", 3);
    static readonly string Istio4 = PodLog("istio-system", S.IstioPod, S.IstioUid, "istio-proxy", 4);
    static readonly string Coredns = PodLog("kube-system", S.CorednsPod, S.CorednsUid, "coredns", 0);
    static readonly string ApiServer = PodLog("kube-system", S.ApiServerPod, S.ApiServerUid, "kube-apiserver", 0);
    static readonly string LongPod = PodLog(S.LongPodNamespace, S.LongPod, S.LongPodUid, "exporter", 0);
    static readonly string Forger = PodLog("default", S.ForgerPod, S.ForgerUid, "forger", 0);
    static readonly string Grafana = PodLog(S.DiskNamespace, S.GrafanaPod, S.GrafanaUid, "grafana", 0);
    static readonly string Loki = PodLog(S.DiskNamespace, S.LokiPod, S.LokiUid, "loki", 0);
    static readonly string LokiRules = PodLog(S.DiskNamespace, S.LokiPod, S.LokiUid, "loki-sc-rules", 0);
    static readonly string Backup = PodLog(S.DiskNamespace, S.BackupPod, S.BackupUid, "backup", 0);

    static readonly Dictionary<string, LinkStatus> Expected = new()
    {
        [Reloader1] = LinkStatus.Healthy,
        [Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader1)] = LinkStatus.Healthy,
        [Reloader6] = LinkStatus.Missing,                                                            // kubelet restarted mid-start
        [Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader6)] = LinkStatus.Dangling,  // … so its legacy link dangles
        [Reloader7] = LinkStatus.Healthy,
        [Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader7)] = LinkStatus.Missing,
        [Istio3] = LinkStatus.Healthy,
        [Legacy(S.IstioPod, "istio-system", "istio-proxy", S.Istio3)] = LinkStatus.Healthy,
        [Istio4] = LinkStatus.Stale,                                                                 // still on restart 3's json log
        [Legacy(S.IstioPod, "istio-system", "istio-proxy", S.Istio4)] = LinkStatus.Stale,
        [Coredns] = LinkStatus.Healthy,
        [Legacy(S.CorednsPod, "kube-system", "coredns", S.CorednsId)] = LinkStatus.Healthy,
        [ApiServer] = LinkStatus.Healthy,
        [Legacy(S.ApiServerPod, "kube-system", "kube-apiserver", S.ApiServerId)] = LinkStatus.Healthy,
        [LongPod] = LinkStatus.Healthy,
        [Legacy(S.LongPod, S.LongPodNamespace, "exporter", S.LongPodId)] = LinkStatus.Healthy,
        [Forger] = LinkStatus.Missing,
        [Legacy(S.ForgerPod, "default", "forger", S.ForgerId)] = LinkStatus.Missing,
        [Grafana] = LinkStatus.Healthy,
        [Legacy(S.GrafanaPod, S.DiskNamespace, "grafana", S.GrafanaId)] = LinkStatus.Healthy,
        [Loki] = LinkStatus.Healthy,
        [Legacy(S.LokiPod, S.DiskNamespace, "loki", S.LokiId)] = LinkStatus.Healthy,
        [LokiRules] = LinkStatus.Healthy,
        [Legacy(S.LokiPod, S.DiskNamespace, "loki-sc-rules", S.LokiRulesId)] = LinkStatus.Healthy,
        [Backup] = LinkStatus.Healthy,                                                               // a dead pod's CRI file: no legacy link left
    };

    [Fact]
    public void The_sample_node_is_only_written_into_an_empty_directory()
    {
        var f = Assert.Throws<PodLogsException>(() => SampleNode.Create(_node.Root)).Failure;
        Assert.Equal("SampleRootNotEmpty", f.ErrorId);
        Assert.Equal(FailureCategory.ResourceExists, f.Category);
    }

    [Fact]
    public void Its_layout_is_kubeadms_default()
    {
        var layout = _node.Layout();
        Assert.Equal("/var/lib/kubelet/config.yaml", layout.KubeletConfigFile);
        Assert.Equal("/var/log/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/var/lib/docker", layout.DockerDataRoot.Configured);
    }

    [Fact]
    public void Every_record_names_the_sample_node_by_its_etc_hostname()
    {
        var i = _node.Inspect();
        Assert.All(i.Entries, e => Assert.Equal(S.NodeName, e.NodeName));
        var scanner = new Inspection.PodDirectoryScanner(_node.Layout(), new CollectingReporter());
        Assert.All(scanner.Enumerate(Inspection.LogSelection.All), pod => Assert.Equal(S.NodeName, scanner.Describe(pod).NodeName));
    }

    [Fact]
    public void Every_entry_gets_the_status_its_story_says()
    {
        var i = _node.Inspect();

        Assert.Empty(i.Reporter.Errors);
        Assert.Equal(Expected.Keys.Order(StringComparer.Ordinal), i.Entries.Select(e => e.NodePath).Order(StringComparer.Ordinal));
        foreach (var (path, status) in Expected)
            Assert.True(i.At(path).Status == status, $"{path}: expected {status}, got {i.At(path).Status} ({i.At(path).Reason})");
        // Nine Kubernetes containers in docker's state; the sandbox is not one of them.
        Assert.Equal(9, i.Runtime!.Containers.Count);
        Assert.DoesNotContain(i.Runtime.Containers, c => c.ContainerName == "POD" || c.ContainerName == "");
    }

    [Fact]
    public void The_articles_running_container_is_restart_7()
    {
        var e = _node.Inspect().At(Reloader7);
        Assert.Equal(S.Reloader7, e.ContainerId);
        Assert.Equal(ContainerState.Running, e.State);
        Assert.Equal(Json(S.Reloader7), e.Target);
    }

    [Fact]
    public void The_static_pod_and_the_cut_legacy_name_are_recognised()
    {
        var i = _node.Inspect();
        Assert.Equal(S.ApiServerUid, i.At(ApiServer).PodUid);
        Assert.True(KubernetesNames.IsStaticPodUid(i.At(ApiServer).PodUid));
        var cut = i.At(Legacy(S.LongPod, S.LongPodNamespace, "exporter", S.LongPodId));
        Assert.True(cut.IsTruncated);
        Assert.Equal(S.LongPodId, cut.ContainerId);
        Assert.Equal(2, i.At(Coredns).RotatedFiles.Count);
    }

    // ---- where the disk goes (issue #13): figures against the real du, never byte counts of one file system ----

    const long KubeletMaxSize = 8 * 1024;   // the sample kubelet's containerLogMaxSize: 8Ki

    List<PodLogUsage> Measure()
    {
        var i = _node.Inspect();
        return new UsageMeasurer(i.Layout, RotationPolicy.Load(i.Layout, i.Reporter), i.Runtime).Measure(i.Entries);
    }

    long Du(params string[] nodePaths) => PodLogs.Tests.Shared.RealDu.Total(nodePaths.Select(_node.Local));

    string[] FilesIn(string nodeDirectory) =>
        Directory.GetFiles(_node.Local(nodeDirectory)).Select(f => nodeDirectory + "/" + Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The real gzip's integrity check: the deflate stream ends and the CRC-32/size trailer matches.</summary>
    bool GzipIsComplete(string nodePath)
    {
        using var gzip = Process.Start(new ProcessStartInfo("gzip", ["-t", "--", _node.Local(nodePath)]) { RedirectStandardError = true })!;
        gzip.StandardError.ReadToEnd();
        gzip.WaitForExit();
        return gzip.ExitCode == 0;
    }

    byte[] Gunzip(string nodePath)
    {
        using var gz = new GZipStream(File.OpenRead(_node.Local(nodePath)), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gz.CopyTo(plain);
        return plain.ToArray();
    }

    [Fact]
    public void Every_rotation_state_is_on_the_sample_node_once_per_instance()
    {
        var usages = Measure();
        // Thirteen container instances: a legacy link is its instance's, also a CRI runtime's (no runtime names those).
        Assert.Equal(13, usages.Count);
        Assert.Equal(usages.Count, usages.Select(u => (u.PodUid, u.ContainerName, u.RestartCount)).Distinct().Count());
        Assert.Equal(Enum.GetValues<RotationState>().Order(), usages.Select(u => u.RotationState!.Value).Distinct().Order());
        Assert.Equal(
            [("grafana", RotationState.WithinLimit), ("loki", RotationState.OverLimit), ("loki-sc-rules", RotationState.TooManyFiles)],
            usages.Where(u => u.PodName is S.GrafanaPod or S.LokiPod).Select(u => (u.ContainerName!, u.RotationState!.Value)).Order());
        Assert.All(usages, u => Assert.Equal(u.ActiveBytes + u.RotatedBytes + u.CompressedBytes + u.LeftoverBytes, u.TotalBytes));
    }

    [Fact]
    public void Loki_is_past_kubelets_limit_with_a_compression_cut_short_beside_its_segment()
    {
        var dir = NodePath.Parent(Loki);
        var u = Measure().Single(x => x.ContainerName == "loki");
        Assert.Equal((RotationOwner.Kubelet, "/var/lib/kubelet/config.yaml", (long?)KubeletMaxSize, (int?)3), (u.RotatedBy, u.RotatedBySource, u.MaxBytes, u.MaxFiles));
        Assert.Equal(RotationState.OverLimit, u.RotationState);
        Assert.True(new FileInfo(_node.Local(Loki)).Length > KubeletMaxSize, "kubelet compares the file's size: it must be over too");
        Assert.Equal(Du(Loki), u.ActiveBytes);
        Assert.Equal(u.ActiveBytes - KubeletMaxSize, u.OverLimitBytes);
        Assert.Equal(Du(dir + "/0.log.20261202-061500"), u.RotatedBytes);
        Assert.Equal(Du(dir + "/0.log.20261201-061500.gz"), u.CompressedBytes);
        Assert.Equal(Du(dir + "/0.log.20261202-061500.tmp"), u.LeftoverBytes);
        Assert.True(u.CompressedBytes > 0 && u.LeftoverBytes > 0);
        Assert.Equal(4, u.FileCount);
        Assert.Equal(Du(FilesIn(dir)), u.TotalBytes);
        Assert.True(GzipIsComplete(dir + "/0.log.20261201-061500.gz"));
        Assert.False(GzipIsComplete(dir + "/0.log.20261202-061500.tmp"));   // kubelet was killed while writing it
        Assert.Equal([0x1f, 0x8b], File.ReadAllBytes(_node.Local(dir + "/0.log.20261202-061500.tmp"))[..2]);
    }

    [Fact]
    public void Loki_sidecar_keeps_more_segments_than_kubelet_allows_and_an_uncompressed_copy_beside_its_gz()
    {
        var dir = NodePath.Parent(LokiRules);
        var gz = new[] { dir + "/0.log.20261128-061500.gz", dir + "/0.log.20261129-061500.gz" };
        var u = Measure().Single(x => x.ContainerName == "loki-sc-rules");
        Assert.Equal(RotationState.TooManyFiles, u.RotationState);   // 0.log and three segments, kubelet keeps 3
        Assert.Null(u.OverLimitBytes);
        Assert.Equal(Du(dir + "/0.log.20261130-061500"), u.RotatedBytes);
        Assert.Equal(Du(gz), u.CompressedBytes);
        Assert.Equal(Du(dir + "/0.log.20261129-061500"), u.LeftoverBytes);
        Assert.True(u.LeftoverBytes > 0);
        Assert.Equal(5, u.FileCount);
        Assert.Equal(Du(FilesIn(dir)), u.TotalBytes);
        Assert.All(gz, g => Assert.True(GzipIsComplete(g), g));
        // The leftover is what its complete .gz holds.
        Assert.Equal(File.ReadAllBytes(_node.Local(dir + "/0.log.20261129-061500")), Gunzip(dir + "/0.log.20261129-061500.gz"));
        Assert.Equal(new[] { dir + "/0.log.20261129-061500" }, _node.Inspect().At(LokiRules).LeftoverFiles.Select(f => dir + "/" + Path.GetFileName(f)));
        // Each segment kubelet rotated had just passed containerLogMaxSize.
        Assert.True(new FileInfo(_node.Local(dir + "/0.log.20261130-061500")).Length > KubeletMaxSize);
    }

    [Fact]
    public void Grafanas_json_log_is_rotated_by_docker_within_its_log_config()
    {
        var json = DockershimNames.JsonLogPath("/var/lib/docker", S.GrafanaId);
        var u = Measure().Single(x => x.ContainerName == "grafana");
        Assert.Equal((RotationOwner.Docker, (long?)8 * 1024, (int?)3, RotationState.WithinLimit), (u.RotatedBy, u.MaxBytes, u.MaxFiles, u.RotationState));
        Assert.EndsWith($"/var/lib/docker/containers/{S.GrafanaId}/hostconfig.json", u.RotatedBySource);
        Assert.Equal(Du(json), u.ActiveBytes);
        Assert.Equal(Du(json + ".1", json + ".2"), u.RotatedBytes);
        Assert.Equal(3, u.FileCount);
        // docker rotates before a file passes max-size
        Assert.All(new[] { json, json + ".1", json + ".2" }, f => Assert.True(new FileInfo(_node.Local(f)).Length <= 8 * 1024, f));
    }

    [Fact]
    public void Rotated_files_were_last_written_when_they_were_rotated_and_the_sample_is_the_same_every_time()
    {
        var lokiDir = NodePath.Parent(Loki);
        Assert.Equal(new DateTime(2026, 12, 2, 6, 15, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(_node.Local(lokiDir + "/0.log.20261202-061500")));
        Assert.Equal(new DateTime(2026, 12, 3, 6, 15, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(_node.Local(lokiDir + "/0.log.20261202-061500.tmp")));

        using var other = new FakeNode();
        SampleNode.Create(other.Root);
        Assert.Equal(_node.Listing(), other.Listing());   // the same entries, link texts and file bytes (the .gz files too)
        // The times the sample sets (rotated segments, the dead pod) are the same too; the rest is written now.
        foreach (var line in _node.Listing().Where(l => l.Contains(".log.", StringComparison.Ordinal) || l.Contains(S.BackupUid, StringComparison.Ordinal)))
        {
            var nodePath = line.Split(' ')[1];
            var time = File.GetLastWriteTimeUtc(_node.Local(nodePath));
            Assert.True(time < new DateTime(2026, 12, 4, 0, 0, 0, DateTimeKind.Utc), $"{nodePath}: {time:o}");
            Assert.Equal(time, File.GetLastWriteTimeUtc(other.Local(nodePath)));
        }
    }

    [Fact]
    public void The_dead_backup_pods_directory_is_the_one_orphan_past_the_grace_period()
    {
        var layout = _node.Layout();
        var reporter = new CollectingReporter();
        var scanner = new PodDirectoryScanner(layout, reporter);
        // The API has every other pod of the sample node (the static pod by its config hash); the CronJob's pod is gone.
        var pods = scanner.Enumerate(LogSelection.All).Where(p => p.PodUid != S.BackupUid)
            .Select(p => new ClusterPod { Namespace = p.Namespace!, Name = p.PodName!, Uid = p.PodUid!, NodeName = S.NodeName, Phase = "Running" }).ToArray();
        Assert.Equal(8, pods.Length);
        var finder = new OrphanFinder(layout, Tests.Cluster.ClusterPods.Snapshot(DateTimeOffset.UtcNow, pods), TimeSpan.FromHours(1), reporter);

        var orphan = Assert.Single(finder.Directories(scanner, LogSelection.All, default));
        Assert.Equal(S.BackupUid, orphan.PodUid);
        Assert.Equal(S.BackupLastWrite, orphan.LastWriteTime);
        Assert.Equal(Du(Backup), orphan.TotalBytes);
        Assert.Empty(finder.LegacyLinks(LogSelection.All, default));
        Assert.Empty(reporter.Errors);
    }

    [Fact]
    public void Repair_fixes_what_it_safely_can_and_refuses_the_forged_label()
    {
        var r = _node.Repair();

        Assert.Equal(
            new[]
            {
                (RepairAction.Created, Reloader6, Json(S.Reloader6)),
                (RepairAction.Replaced, Istio4, Json(S.Istio4)),
                (RepairAction.Created, Legacy(S.ReloaderPod, "default", "stakater-reloader", S.Reloader7), Reloader7),
            }.Order(),
            r.Results.Select(x => (x.Action, x.NodePath, x.Target)).Order());
        Assert.Equal(new[] { "LabelPathMismatch", "LinkTargetMissing" }, r.RefusalIds.Order(StringComparer.Ordinal));
        Assert.False(_node.Exists(S.ForgedLabelPath));
        Assert.Empty(_node.FindNames(".podlogs-"));

        var after = _node.Inspect();
        foreach (var e in after.Entries)
            Assert.True(e.Status == (e.ContainerId == S.ForgerId ? LinkStatus.Missing : LinkStatus.Healthy), $"{e.NodePath}: {e.Status} ({e.Reason})");
        Assert.Equal(Expected.Count, after.Entries.Count);

        var again = _node.Repair();
        Assert.Empty(again.Plan.Steps);
        Assert.Empty(again.Results);
    }

    [Fact]
    public void Declining_every_step_changes_nothing()
    {
        var before = _node.Listing();
        var r = _node.Repair(force: true, shouldProcess: (_, _) => false);
        Assert.Equal(3, r.Asked.Count);
        Assert.Empty(r.Results);
        Assert.Equal(before, _node.Listing());
    }
}
