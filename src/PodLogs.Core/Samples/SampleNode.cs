using System.Text;
using System.Text.Json;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Samples;

/// <summary>
/// The embedded sample node: the origin article's real example (docs/kubelet-facts.md §9) on a docker node, a
/// containerd-style pod, a static pod, and deliberate breakage — written as real files and real links
/// under a directory that stands for the node's '/'. Used by Demo, by the tests, and by anyone who
/// wants to try the module without a cluster.
/// </summary>
public static class SampleNode
{
    public const string ReloaderUid = "2681cb7f-daa4-4620-bb60-1d449709181c";
    public const string ReloaderPod = "stakater-reloader-598f958967-ddkl7";
    public const string Reloader1 = "cc75d79b3aef49f739b03f5fa7379f75c69944cbeb0a4555d3833a26ebfe06b4";
    public const string Reloader6 = "e9bc97e0cdd1e4258f17bb18db976ac371860103b861529cb690005ada97d153";
    public const string Reloader7 = "c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332";
    public const string IstioPod = "istio-ingressgateway-c694cfd-cgk2n";
    public const string IstioUid = "c6ea97b6-d858-4c4c-8d83-17477599aebf";
    public const string Istio4 = "cff000d9fc5edad5a8b042b8879fedd1d7de978b928c522a53c11b3217c220df";
    public const string Istio3 = "4b1e0f3c2d5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    public const string CorednsPod = "coredns-5d78c9869d-x7k2p";
    public const string CorednsUid = "8f14e45f-ceea-467f-a0e6-cb4b4b31c0b5";
    public const string CorednsId = "a3f9c1e2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";
    public const string ApiServerPod = "kube-apiserver-node-1";
    public const string ApiServerUid = "3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09";
    public const string ApiServerId = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f";
    public const string LongPodNamespace = "monitoring";
    public const string LongPod = "prometheus-kube-prometheus-stack-prometheus-node-exporter-for-the-eu-west-1-production-fleet-with-a-very-long-generated-name-that-kubelet-must-cut-when-it-builds-the-legacy-link-abc12";
    public const string LongPodUid = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
    public const string LongPodId = "9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9";
    public const string ForgerPod = "log-forger-6d4b8c7f9-qrx5z";
    public const string ForgerUid = "f0e1d2c3-b4a5-4968-8776-655443322110";
    public const string ForgerId = "d00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeed";
    public const string ForgedLabelPath = "/etc/cron.d/podlogs-forged";
    public const string DiskNamespace = "observability";
    public const string LokiPod = "loki-0";
    public const string LokiUid = "5b6c7d8e-9fa0-4b1c-8d2e-3f405162a7b8";
    public const string LokiId = "7e1d2c3b4a5968778695a4b3c2d1e0f17e1d2c3b4a5968778695a4b3c2d1e0f1";
    public const string LokiRulesId = "b2c3d4e5f60718293a4b5c6d7e8f9a0bb2c3d4e5f60718293a4b5c6d7e8f9a0b";
    public const string GrafanaPod = "grafana-7d9c8b6f5-tq4mz";
    public const string GrafanaUid = "e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f60718";
    public const string GrafanaId = "6a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978879";
    public const string BackupPod = "tsdb-backup-29412360-k8d2f";
    public const string BackupUid = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
    /// <summary>When the dead backup pod's files were last written: long before any grace period.</summary>
    public static readonly DateTimeOffset BackupLastWrite = new(2026, 11, 20, 3, 1, 0, TimeSpan.Zero);
    public const string NodeName = "node-1";
    const string ReloaderSandbox = "1f2e3d4c5b6a79880f1e2d3c4b5a69781f2e3d4c5b6a79880f1e2d3c4b5a6978";

    const string PodLogs = "/var/log/pods";
    const string Legacy = "/var/log/containers";
    const string DockerRoot = "/var/lib/docker";

    /// <summary>Writes the sample node under <paramref name="root"/> (created if needed; must be empty or absent).</summary>
    public static void Create(string root)
    {
        Directory.CreateDirectory(root);
        if (Directory.EnumerateFileSystemEntries(root).Any())
            throw new PodLogsException(ErrorIds.Samples.SampleRootNotEmpty, FailureCategory.ResourceExists, $"'{root}' is not empty; the sample node is written only into an empty directory.", root);
        var n = new Writer(root);

        n.File("/var/lib/kubelet/config.yaml", """
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            # kubeadm's file: no podLogsDir, so kubelet uses /var/log/pods
            cgroupDriver: systemd
            # small limits, so the sample's logs reach them at a few KB (defaults: 10Mi, 5)
            containerLogMaxSize: 8Ki
            containerLogMaxFiles: 3
            authentication:
              anonymous:
                enabled: false
            """);
        // The node's name, as kubelet finds it with no client certificate and no --hostname-override (docker's
        // containers below record the same Hostname).
        n.File("/etc/hostname", NodeName + "\n");
        n.File("/etc/docker/daemon.json", """{ "log-driver": "json-file", "log-opts": { "max-size": "100m" } }""");

        // default/stakater-reloader: the article's pod, restarts 1, 6 and 7 (7 running).
        var r1 = n.DockerContainer("default", ReloaderPod, ReloaderUid, "stakater-reloader", 1, Reloader1, "2026-07-31T18:24:03Z", running: false);
        var r6 = n.DockerContainer("default", ReloaderPod, ReloaderUid, "stakater-reloader", 6, Reloader6, "2026-10-23T21:56:41Z", running: false);
        var r7 = n.DockerContainer("default", ReloaderPod, ReloaderUid, "stakater-reloader", 7, Reloader7, "2026-11-06T16:08:12Z", running: true);
        n.DockerSandbox("default", ReloaderPod, ReloaderUid, ReloaderSandbox);
        n.PodLogLink(r1);
        n.LegacyLink(r1);
        // Breakage: 6.log is missing (kubelet restarted mid-start), so its legacy link dangles.
        n.LegacyLink(r6);
        // Breakage: 7.log is there but its legacy link is missing: Fluent Bit ships nothing.
        n.PodLogLink(r7);

        // istio-system/istio-ingressgateway: the article's container cff000d9 at restart 4.
        var i3 = n.DockerContainer("istio-system", IstioPod, IstioUid, "istio-proxy", 3, Istio3, "2026-11-20T08:00:00Z", running: false);
        var i4 = n.DockerContainer("istio-system", IstioPod, IstioUid, "istio-proxy", 4, Istio4, "2026-11-21T09:30:00Z", running: true);
        n.PodLogLink(i3);
        n.LegacyLink(i3);
        // Breakage: 4.log is stale, still linked to restart 3's json log.
        n.Link(KubeletPaths.BuildContainerLogFile(PodLogs, "istio-system", IstioPod, IstioUid, "istio-proxy", 4), DockershimNames.JsonLogPath(DockerRoot, Istio3));
        n.LegacyLink(i4);

        // kube-system/coredns: a containerd-style pod (regular CRI files) with rotated siblings.
        var corednsDir = KubeletPaths.BuildPodLogsDirectory(PodLogs, "kube-system", CorednsPod, CorednsUid) + "/coredns";
        n.Segment(corednsDir + "/0.log.20261126-091500.gz", CriLines("2026-11-26T09:00:00.000000001Z", 3, "[INFO] plugin/reload: Running configuration SHA512"), compress: true);
        n.Segment(corednsDir + "/0.log.20261126-101500", CriLines("2026-11-26T10:00:00.5Z", 3, "[INFO] 10.244.0.1:53 - A IN kubernetes.default.svc"));
        n.File(corednsDir + "/0.log", CriLines("2026-11-26T11:00:00.123456789+00:00", 5, "[INFO] 10.244.0.7:41234 - AAAA IN api.example.com"));
        n.Link(KubeletPaths.LegacyLinkPath(Legacy, CorednsPod, "kube-system", "coredns", CorednsId), corednsDir + "/0.log");

        // kube-system/kube-apiserver-node-1: a static pod (uid = kubelet's 32-hex manifest hash).
        var api = n.DockerContainer("kube-system", ApiServerPod, ApiServerUid, "kube-apiserver", 0, ApiServerId, "2026-11-01T00:00:05Z", running: true);
        n.PodLogLink(api);
        n.LegacyLink(api);

        // monitoring/<very long name>: healthy, but the legacy link name is cut short and loses part of the id.
        var longPod = n.DockerContainer(LongPodNamespace, LongPod, LongPodUid, "exporter", 0, LongPodId, "2026-11-25T12:00:00Z", running: true);
        n.PodLogLink(longPod);
        n.LegacyLink(longPod);

        // Breakage: a container whose logpath label points outside the log root (a forged or hostile label).
        n.DockerContainer("default", ForgerPod, ForgerUid, "forger", 0, ForgerId, "2026-11-26T07:00:00Z", running: true, logPathLabel: ForgedLabelPath);
        n.Directory(KubeletPaths.BuildPodLogsDirectory(PodLogs, "default", ForgerPod, ForgerUid) + "/forger");
        n.File("/etc/cron.d/.keep", "");

        Disk(n);
        n.ApplyTimes();
    }

    /// <summary>
    /// Where the disk goes (issue #13): logs that kubelet and docker rotated, compressed, left behind or let grow past
    /// their limits (kubelet-facts.md §5, §11), and a dead pod's directory, in their own namespace. The limits are small (kubelet's config above,
    /// grafana's LogConfig), so the files are too.
    /// </summary>
    static void Disk(Writer n)
    {
        const string ns = DiskNamespace;
        var lokiPod = KubeletPaths.BuildPodLogsDirectory(PodLogs, ns, LokiPod, LokiUid);

        // observability/loki-0 loki: kubelet rotated 0.log when it passed containerLogMaxSize and gzipped all but the newest
        // segment; at the next rotation it was killed while gzipping that one (the .tmp, cut short: no gzip trailer), and
        // has not rotated this log since (k8s #134324), so 0.log is past the limit (OverLimit).
        static string Loki(int i) => $"level=info caller=table_manager.go:271 msg=\"uploading table\" table=index_{20420 + i % 3}";
        var loki = lokiPod + "/loki";
        n.Segment(loki + "/0.log.20261201-061500.gz", DayBefore("20261201-061500", SegmentLines, Loki), compress: true);
        var newest = DayBefore("20261202-061500", SegmentLines, Loki);
        n.Segment(loki + "/0.log.20261202-061500", newest);
        n.PartialGzip(loki + "/0.log.20261202-061500.tmp", newest, Rotation("20261203-061500"));
        n.File(loki + "/0.log", CriLog(Rotation("20261202-061500").AddMinutes(5), Step(SegmentLines), SegmentLines * 3 / 2, Loki));
        n.Link(KubeletPaths.LegacyLinkPath(Legacy, LokiPod, ns, "loki", LokiId), loki + "/0.log");

        // observability/loki-0 loki-sc-rules: rotated while containerLogMaxFiles was 5; it is 3 now, and kubelet deletes the
        // excess only when it next rotates this log, quiet since (TooManyFiles: 0.log and three segments). Someone ran
        // `gunzip -k` on a segment to read it: kubelet deletes that plain copy beside its .gz as a leftover, as it does the
        // one a kubelet killed between compressing and deleting leaves.
        static string Rules(int i) => $"{{\"level\": \"INFO\", \"msg\": \"Working on ADDED configmap {ns}/loki-rules-{i % 7}\"}}";
        var rules = lokiPod + "/loki-sc-rules";
        n.Segment(rules + "/0.log.20261128-061500.gz", DayBefore("20261128-061500", SegmentLines, Rules), compress: true);
        var unzipped = DayBefore("20261129-061500", SegmentLines, Rules);
        n.Segment(rules + "/0.log.20261129-061500.gz", unzipped, compress: true);
        n.Segment(rules + "/0.log.20261129-061500", unzipped);
        n.Segment(rules + "/0.log.20261130-061500", DayBefore("20261130-061500", SegmentLines, Rules));
        n.File(rules + "/0.log", CriLog(Rotation("20261130-061500").AddMinutes(5), TimeSpan.FromHours(8), 10, Rules));
        n.Link(KubeletPaths.LegacyLinkPath(Legacy, LokiPod, ns, "loki-sc-rules", LokiRulesId), rules + "/0.log");

        // observability/grafana: docker rotates its json log itself (hostconfig.json's LogConfig: 8k, 3 files; .1 the newest).
        var started = new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
        var json = DockershimNames.JsonLogPath(DockerRoot, GrafanaId);
        var grafanaLines = DockerLog(started, TimeSpan.FromMinutes(5), 110, i => $"logger=cleanup level=info msg=\"Completed cleanup jobs\" duration={i % 40 + 3}ms\n");
        var grafana = n.DockerContainer(ns, GrafanaPod, GrafanaUid, "grafana", 0, GrafanaId, "2026-11-29T09:00:00Z", running: true,
            logConfig: """{"max-file":"3","max-size":"8k"}""", jsonLog: string.Concat(grafanaLines[96..]));
        n.Segment(json + ".2", string.Concat(grafanaLines[..48]), time: started.AddMinutes(5 * 48));
        n.Segment(json + ".1", string.Concat(grafanaLines[48..96]), time: started.AddMinutes(5 * 96));
        n.PodLogLink(grafana);
        n.LegacyLink(grafana);

        // observability/tsdb-backup: a CronJob's pod deleted while kubelet was down; its directory stays (k8s #125079), no
        // pod owns it, and nothing has written to it for weeks: what Measure-PodLog -Orphaned and a cleanup find.
        var backupDir = KubeletPaths.BuildPodLogsDirectory(PodLogs, ns, BackupPod, BackupUid);
        n.File(backupDir + "/backup/0.log", CriLog(BackupLastWrite.AddMinutes(-1), TimeSpan.FromSeconds(6), 10,
            i => i < 9 ? $"uploaded block 01JD{i:D2}X7K2P to s3://tsdb-backups/node-1/" : "backup complete: 9 blocks"));
        n.Stamp(backupDir + "/backup/0.log", BackupLastWrite);
        n.Stamp(backupDir + "/backup", BackupLastWrite);
        n.Stamp(backupDir, BackupLastWrite);
    }

    /// <summary>Lines of about 110 bytes in a segment kubelet rotated: just past the sample's containerLogMaxSize, 8Ki.</summary>
    const int SegmentLines = 78;

    static TimeSpan Step(int linesPerDay) => (TimeSpan.FromDays(1) - TimeSpan.FromMinutes(10)) / linesPerDay;

    /// <summary>A segment's lines, spread over the day before kubelet rotated it (the time in its name).</summary>
    static string DayBefore(string rotation, int count, Func<int, string> message) =>
        CriLog(Rotation(rotation).AddDays(-1).AddMinutes(5), Step(count), count, message);

    /// <summary>Kubelet's rotated-file suffix (Go layout <c>20060102-150405</c>, the node's local time: UTC here) as a time.</summary>
    static DateTimeOffset Rotation(string suffix) =>
        DateTimeOffset.ParseExact(suffix, "yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    /// <summary>CRI lines (RFC 3339 nano, stream, F tag), one per <paramref name="step"/> from <paramref name="first"/>.</summary>
    static string CriLog(DateTimeOffset first, TimeSpan step, int count, Func<int, string> message) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{first.Add(step * i).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'} {(i % 5 == 4 ? "stderr" : "stdout")} F {message(i)}\n"));

    /// <summary>docker json-file lines, one per <paramref name="step"/> from <paramref name="first"/>.</summary>
    static string[] DockerLog(DateTimeOffset first, TimeSpan step, int count, Func<int, string> log) =>
        Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new { log = log(i), stream = "stdout", time = first.Add(step * i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'") }) + "\n").ToArray();

    static string CriLines(string firstTimestamp, int count, string message)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++) sb.Append(firstTimestamp).Append(i % 2 == 0 ? " stdout F " : " stderr F ").Append(message).Append(' ').Append(i).Append('\n');
        return sb.ToString();
    }

    sealed record Container(string Namespace, string Pod, string Uid, string Name, int RestartCount, string Id);

    sealed class Writer(string root)
    {
        string Local(string nodePath) => Path.Join(root, nodePath);

        public void Directory(string nodePath) => System.IO.Directory.CreateDirectory(Local(nodePath));

        public void File(string nodePath, string content)
        {
            Directory(NodePath.Parent(nodePath));
            System.IO.File.WriteAllText(Local(nodePath), content);
        }

        static byte[] GzipBytes(string content)
        {
            using var buffer = new MemoryStream();
            using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest))
                gz.Write(Encoding.UTF8.GetBytes(content));
            return buffer.ToArray();
        }

        void Bytes(string nodePath, byte[] content)
        {
            Directory(NodePath.Parent(nodePath));
            System.IO.File.WriteAllBytes(Local(nodePath), content);
        }

        /// <summary>
        /// A rotated segment of <paramref name="content"/>, plain or a complete gzip file, last written when it was rotated
        /// (<paramref name="time"/>, else the time kubelet put in its name).
        /// </summary>
        public void Segment(string nodePath, string content, bool compress = false, DateTimeOffset? time = null)
        {
            Bytes(nodePath, compress ? GzipBytes(content) : Encoding.UTF8.GetBytes(content));
            Stamp(nodePath, time ?? Rotation(RotationSuffix(nodePath)));
        }

        static string RotationSuffix(string nodePath)
        {
            var name = NodePath.FileName(nodePath);
            var suffix = name[(name.IndexOf(".log.", StringComparison.Ordinal) + 5)..];
            return suffix.EndsWith(".gz", StringComparison.Ordinal) ? suffix[..^3] : suffix;
        }

        /// <summary>The first half of a gzip stream: a compression that was cut short (no end, no CRC-32/size trailer).</summary>
        public void PartialGzip(string nodePath, string content, DateTimeOffset time)
        {
            var gz = GzipBytes(content);
            Bytes(nodePath, gz[..(gz.Length / 2)]);
            Stamp(nodePath, time);
        }

        readonly List<(string NodePath, DateTimeOffset Time)> _times = [];

        /// <summary>Sets the last write time once everything is written (a directory's changes with each entry made in it).</summary>
        public void Stamp(string nodePath, DateTimeOffset time) => _times.Add((nodePath, time));

        public void ApplyTimes()
        {
            foreach (var (nodePath, time) in _times)
            {
                if (System.IO.Directory.Exists(Local(nodePath))) System.IO.Directory.SetLastWriteTimeUtc(Local(nodePath), time.UtcDateTime);
                else System.IO.File.SetLastWriteTimeUtc(Local(nodePath), time.UtcDateTime);
            }
        }

        public void Link(string nodePath, string target)
        {
            Directory(NodePath.Parent(nodePath));
            System.IO.File.CreateSymbolicLink(Local(nodePath), target);
        }

        public void PodLogLink(Container c) =>
            Link(KubeletPaths.BuildContainerLogFile(PodLogs, c.Namespace, c.Pod, c.Uid, c.Name, c.RestartCount), DockershimNames.JsonLogPath(DockerRoot, c.Id));

        public void LegacyLink(Container c) =>
            Link(KubeletPaths.LegacyLinkPath(Legacy, c.Pod, c.Namespace, c.Name, c.Id), KubeletPaths.BuildContainerLogFile(PodLogs, c.Namespace, c.Pod, c.Uid, c.Name, c.RestartCount));

        public Container DockerContainer(string ns, string pod, string uid, string name, int attempt, string id, string startedAt, bool running, string? logPathLabel = null,
            string logConfig = "{}", string? jsonLog = null)
        {
            var dir = $"{DockerRoot}/containers/{id}";
            var json = DockershimNames.JsonLogPath(DockerRoot, id);
            var labels = new Dictionary<string, string>
            {
                [DockershimNames.ContainerTypeLabel] = "container",
                [DockershimNames.PodNameLabel] = pod,
                [DockershimNames.PodNamespaceLabel] = ns,
                [DockershimNames.PodUidLabel] = uid,
                [DockershimNames.ContainerNameLabel] = name,
                [DockershimNames.LogPathLabel] = logPathLabel ?? KubeletPaths.BuildContainerLogFile(PodLogs, ns, pod, uid, name, attempt),
                [DockershimNames.RestartCountLabel] = attempt.ToString(),
                [DockershimNames.SandboxIdLabel] = ReloaderSandbox,
            };
            WriteState(dir, id, $"/k8s_{name}_{pod}_{ns}_{uid}_{attempt}", labels, startedAt, running, json, logConfig);
            var started = DateTimeOffset.Parse(startedAt);
            var lines = new StringBuilder();
            for (var i = 0; i < 3; i++)
                lines.Append(JsonSerializer.Serialize(new { log = $"{name} restart {attempt}: line {i}\n", stream = i == 2 ? "stderr" : "stdout", time = started.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'") })).Append('\n');
            File(json, jsonLog ?? lines.ToString());
            return new Container(ns, pod, uid, name, attempt, id);
        }

        public void DockerSandbox(string ns, string pod, string uid, string id)
        {
            var labels = new Dictionary<string, string>
            {
                [DockershimNames.ContainerTypeLabel] = "podsandbox",
                [DockershimNames.PodNameLabel] = pod,
                [DockershimNames.PodNamespaceLabel] = ns,
                [DockershimNames.PodUidLabel] = uid,
            };
            WriteState($"{DockerRoot}/containers/{id}", id, $"/k8s_POD_{pod}_{ns}_{uid}_0", labels, "2026-07-31T18:24:00Z", true, DockershimNames.JsonLogPath(DockerRoot, id));
        }

        void WriteState(string dir, string id, string name, Dictionary<string, string> labels, string startedAt, bool running, string logPath, string logConfig = "{}")
        {
            var config = new
            {
                ID = id,
                Name = name,
                Created = startedAt,
                State = new { Running = running, Paused = false, Restarting = false, Pid = running ? 4242 : 0, ExitCode = running ? 0 : 2, StartedAt = startedAt, FinishedAt = running ? "0001-01-01T00:00:00Z" : startedAt },
                Config = new { Hostname = "node-1", Image = "local/busybox:latest", Labels = labels },
                LogPath = logPath,
                Driver = "overlay2",
            };
            File(dir + "/config.v2.json", JsonSerializer.Serialize(config));
            File(dir + "/hostconfig.json", $$"""{"LogConfig":{"Type":"json-file","Config":{{logConfig}}},"NetworkMode":"none"}""");
        }
    }
}
