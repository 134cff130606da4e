using System.Text;

namespace PodLogs.Core.Metrics;

/// <summary>
/// The metric set of issue #14 item 1 (docs/fleet.md, "Metrics"), added up from the module's records: link entries by kind and
/// status, log bytes, files, limits and rotation states per container, deleted-but-open bytes by holder, orphans, and the run's
/// errors. Labels are the kubelet / kube-state-metrics set (namespace, pod, uid, container) and bounded enumerations; no node,
/// path or container id (the scrape adds the node; paths and ids are unbounded).
/// </summary>
public sealed class NodeMetrics
{
    const string Prefix = "podlogs_";
    readonly Dictionary<(string Kind, string Status), long> _links = [];
    readonly Dictionary<ContainerKey, ContainerFigures> _containers = [];
    readonly Dictionary<string, long> _deletedOpen = new(StringComparer.Ordinal);
    readonly HashSet<(string Process, ulong Device, ulong Inode)> _deletedFiles = [];
    readonly Dictionary<string, long> _errors = new(StringComparer.Ordinal);
    long _orphanDirectories, _orphanLinks, _orphanBytes;
    bool _linksMeasured, _orphansMeasured;

    readonly record struct ContainerKey(string Namespace, string Pod, string Uid, string Container);

    sealed class ContainerFigures
    {
        public long Active, Rotated, Compressed, Leftover, Files;
        public long? Limit;
        public readonly Dictionary<string, long> Rotation = new(StringComparer.Ordinal);
    }

    /// <summary>Adds a record of Get-ContainerLogLink, Measure-PodLog, Get-ContainerLogHandle or Get-PodLogDirectory -Orphaned, read by its property names; false when it is none of them.</summary>
    public bool Add(IRecordFields record)
    {
        if (record.Has("ActiveBytes") && record.Has("RotatedBytes"))
            return AddUsage(record.Text("By"), record.Text("Namespace"), record.Text("PodName"), record.Text("PodUid"), record.Text("ContainerName"),
                record.Number("ActiveBytes") ?? 0, record.Number("RotatedBytes") ?? 0, record.Number("CompressedBytes") ?? 0, record.Number("LeftoverBytes") ?? 0,
                record.Number("FileCount") ?? 0, record.Number("MaxBytes"), record.Text("RotationState"), record.Number("InstanceCount") ?? 1);
        if (record.Has("FileDescriptor") && record.Has("ProcessName"))
            return AddHandle(record.Text("ProcessName") ?? "", record.Text("Deleted"), record.Number("Bytes") ?? 0,
                (ulong)(record.Number("Device") ?? 0), (ulong)(record.Number("Inode") ?? 0));
        if (record.Has("Status") && record.Has("Kind") && record.Has("LinkType"))
            return AddLink(record.Text("Kind"), record.Text("Status"));
        if (record.Has("IsOrphaned") && record.Has("Layout"))
            return AddDirectory(record.Text("IsOrphaned"), record.Text("InCluster"), record.Number("TotalBytes") ?? 0);
        if (record.Has("Target") && record.Has("TargetBytes") && record.Has("Reason") && !record.Has("Status"))
            return AddOrphanedLink(record.Number("TotalBytes") ?? 0);
        return false;
    }

    public void Add(ContainerLogLink link) => AddLink(link.Kind.ToString(), link.Status.ToString());

    public bool Add(PodLogUsage usage) => AddUsage(usage.By.ToString(), usage.Namespace, usage.PodName, usage.PodUid, usage.ContainerName, usage.ActiveBytes,
        usage.RotatedBytes, usage.CompressedBytes, usage.LeftoverBytes, usage.FileCount, usage.MaxBytes, usage.RotationState?.ToString(), usage.InstanceCount);

    public void Add(LogHandle handle) => AddHandle(handle.ProcessName, handle.Deleted.ToString(), handle.Bytes, handle.Device, handle.Inode);

    public bool Add(PodLogDirectory directory) => AddDirectory(directory.IsOrphaned.ToString(), directory.InCluster?.ToString(), directory.TotalBytes);

    public void Add(OrphanedLegacyLink link) => AddOrphanedLink(link.TotalBytes);

    /// <summary>The run asked the API and found no orphans: the orphan figures are 0, not unknown.</summary>
    public void OrphansMeasured() => _orphansMeasured = true;

    /// <summary>An error the run wrote, counted by its ErrorId.</summary>
    public void AddError(string errorId) => _errors[errorId] = _errors.GetValueOrDefault(errorId) + 1;

    bool AddLink(string? kind, string? status)
    {
        if (!Enum.TryParse<LogEntryKind>(kind, true, out var k) || !Enum.TryParse<LinkStatus>(status, true, out var s)) return false;
        _linksMeasured = true;
        var key = (KindLabel(k), Snake(s.ToString()));
        _links[key] = _links.GetValueOrDefault(key) + 1;
        return true;
    }

    bool AddUsage(string? by, string? ns, string? pod, string? uid, string? container, long active, long rotated, long compressed, long leftover,
        long files, long? limit, string? rotationState, long instances)
    {
        // Only per-instance and per-container records carry the container's labels; pod, namespace and node totals would count twice.
        if (!Enum.TryParse<UsageGrouping>(by ?? nameof(UsageGrouping.Instance), true, out var grouping) || grouping is not (UsageGrouping.Instance or UsageGrouping.Container))
            return false;
        var key = new ContainerKey(ns ?? "", pod ?? "", uid ?? "", container ?? "");
        if (!_containers.TryGetValue(key, out var figures)) _containers[key] = figures = new ContainerFigures();
        figures.Active += active;
        figures.Rotated += rotated;
        figures.Compressed += compressed;
        figures.Leftover += leftover;
        figures.Files += files;
        if (limit is { } l) figures.Limit = Math.Max(figures.Limit ?? 0, l);
        if (Enum.TryParse<RotationState>(rotationState, true, out var state))
        {
            var label = Snake(state.ToString());
            // A -By Container record's state is its instances' worst; it stands for all of them.
            figures.Rotation[label] = figures.Rotation.GetValueOrDefault(label) + (grouping == UsageGrouping.Instance ? 1 : instances);
        }
        return true;
    }

    bool AddHandle(string process, string? deleted, long bytes, ulong device, ulong inode)
    {
        if (!bool.TryParse(deleted, out var isDeleted)) return false;
        // A process holding one deleted file on several descriptors pins its blocks once.
        if (isDeleted && _deletedFiles.Add((process, device, inode))) _deletedOpen[process] = _deletedOpen.GetValueOrDefault(process) + bytes;
        return true;
    }

    bool AddDirectory(string? isOrphaned, string? inCluster, long bytes)
    {
        // A directory record says whether it is an orphan only when the API was asked (-Orphaned, -Cluster).
        if (!bool.TryParse(isOrphaned, out var orphan) || !orphan && string.IsNullOrEmpty(inCluster)) return false;
        _orphansMeasured = true;
        if (orphan)
        {
            _orphanDirectories++;
            _orphanBytes += bytes;
        }
        return true;
    }

    bool AddOrphanedLink(long bytes)
    {
        _orphansMeasured = true;
        _orphanLinks++;
        _orphanBytes += bytes;
        return true;
    }

    /// <summary>The families, with the scan's own time and duration.</summary>
    public IReadOnlyList<MetricFamily> Build(DateTimeOffset scannedAt, TimeSpan duration)
    {
        var families = new List<MetricFamily>();
        if (_linksMeasured)
            // Every kind and status, 0 where none: an alert on a status compares a number instead of testing for absence.
            families.Add(Gauge("log_links", "Container log entries (pod log instances and legacy links) by kind and verdict.",
                from kind in Enum.GetValues<LogEntryKind>()
                from status in Enum.GetValues<LinkStatus>()
                let key = (KindLabel(kind), Snake(status.ToString()))
                select Sample(_links.GetValueOrDefault(key), ("kind", key.Item1), ("status", key.Item2))));
        families.Add(Gauge("container_log_bytes", "Bytes allocated to a container's logs (all its instances), by state: active, rotated, compressed, leftover.",
            from c in _containers
            from s in new[] { ("active", c.Value.Active), ("rotated", c.Value.Rotated), ("compressed", c.Value.Compressed), ("leftover", c.Value.Leftover) }
            select ContainerSample(c.Key, s.Item2, ("state", s.Item1))));
        families.Add(Gauge("container_log_files", "Log files of a container (all its instances), each file once.",
            _containers.Select(c => ContainerSample(c.Key, c.Value.Files))));
        families.Add(Gauge("container_log_limit_bytes", "The size at which the container's log is rotated, as its rotation owner sets it.",
            _containers.Where(c => c.Value.Limit is not null).Select(c => ContainerSample(c.Key, c.Value.Limit!.Value))));
        families.Add(Gauge("container_log_rotation", "Instances of a container in each rotation state (within_limit, over_limit, too_many_files, not_rotated, exited).",
            from c in _containers
            from r in c.Value.Rotation
            select ContainerSample(c.Key, r.Value, ("state", r.Key))));
        families.Add(Gauge("deleted_open_bytes", "Bytes of deleted container log files a process still holds open, by the holder's process name (comm).",
            _deletedOpen.Select(d => Sample(d.Value, ("process", d.Key)))));
        if (_orphansMeasured)
        {
            families.Add(Gauge("orphaned_pod_directories", "Pod log directories no pod on this node in the Kubernetes API owns.", [Sample(_orphanDirectories)]));
            families.Add(Gauge("orphaned_legacy_links", "Legacy links in /var/log/containers whose pod is gone from this node in the Kubernetes API.", [Sample(_orphanLinks)]));
            families.Add(Gauge("orphaned_bytes", "Bytes the orphaned pod directories and legacy links take (what removing them frees).", [Sample(_orphanBytes)]));
        }
        families.Add(Gauge("errors", "Errors the scan wrote, by ErrorId.", _errors.Select(e => Sample(e.Value, ("error_id", e.Key)))));
        families.Add(Gauge("last_scan_timestamp_seconds", "When the scan ended, in seconds since the Unix epoch.", [Sample(scannedAt.ToUnixTimeMilliseconds() / 1000d)]));
        families.Add(Gauge("scan_duration_seconds", "How long the scan took.", [Sample(Math.Round(duration.TotalSeconds, 3))]));
        return families;
    }

    static MetricFamily Gauge(string name, string help, IEnumerable<MetricSample> samples) => new(Prefix + name, help, "gauge", samples.ToList());

    static MetricSample Sample(double value, params (string Name, string Value)[] labels) =>
        new(labels.Select(l => KeyValuePair.Create(l.Name, l.Value)).ToList(), value);

    static MetricSample ContainerSample(ContainerKey key, double value, params (string Name, string Value)[] more) =>
        Sample(value, [("namespace", key.Namespace), ("pod", key.Pod), ("uid", key.Uid), ("container", key.Container), .. more]);

    static string KindLabel(LogEntryKind kind) => kind == LogEntryKind.PodLog ? "pod" : "legacy";

    /// <summary>An enum name as a label value: WithinLimit → within_limit.</summary>
    static string Snake(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
