using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Usage;

/// <summary>
/// Disk used by container logs, from the inspector's records (no second walk): per container instance, its active
/// file (N.log's chain end; the legacy link's, the same file once), kubelet's rotated segments and leftovers beside
/// N.log, and docker's <c>-json.log.N</c> rotations beside the json log; its rotation owner and limits from
/// <see cref="RotationPolicy"/> (kubelet-facts.md §11).
/// </summary>
public sealed class UsageMeasurer(NodeLayout layout, RotationPolicy policy, RuntimeSnapshot? runtime)
{
    sealed class Instance(ContainerLogLink first, UsageTally tally)
    {
        public ContainerLogLink First = first;
        public ContainerLogLink? PodLog;
        /// <summary>The instance's N.log records (usually one), measured together on one thread: the tally is not thread-safe.</summary>
        public readonly List<ContainerLogLink> PodLogs = [];
        public readonly UsageTally Tally = tally;
    }

    /// <summary>
    /// One record per container instance, in the order the instances were first seen. With <paramref name="handles"/>
    /// (a <see cref="LogHandleScanner"/> scan), each instance's DeletedOpenBytes: its deleted logs some process still holds.
    /// </summary>
    public List<PodLogUsage> Measure(IEnumerable<ContainerLogLink> records, IReadOnlyList<LogHandle>? handles = null)
    {
        var count = records.TryGetNonEnumeratedCount(out var n) ? n : 0;
        var instances = new List<Instance>(count);
        var byKey = new Dictionary<(string?, string?, string?, string?, int?), Instance>(count);
        var byId = new Dictionary<string, Instance>(count, StringComparer.Ordinal);
        var legacy = new List<ContainerLogLink>();
        foreach (var record in records)
        {
            if (record.Kind == LogEntryKind.Legacy) { legacy.Add(record); continue; }
            var key = (record.Namespace, record.PodName, record.PodUid, record.ContainerName, record.RestartCount);
            if (!byKey.TryGetValue(key, out var instance))
                instances.Add(byKey[key] = instance = new Instance(record, new UsageTally(layout.Root)));
            instance.PodLog = record;
            instance.PodLogs.Add(record);
            if (record.ContainerId is { } id) byId.TryAdd(id, instance);
        }
        // Mostly system calls per instance (its log stat'd, docker's container directory listed, each rotation stat'd): on
        // all cores, an instance per task. Each tally is its instance's own; NodeRoot is shared by the inspector's threads
        // already. On one thread this took as long as the inspection (benchmarks/README.md, MeasurePodLog).
        Parallel.For(0, instances.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            foreach (var record in instances[i].PodLogs) AddPodLog(record, instances[i].Tally);
        });
        foreach (var link in legacy)
        {
            // The legacy link names its container id; its chain passes through N.log (a link) or ends at it (a CRI
            // runtime's regular file, which no runtime may have named), so it is that instance's.
            var instance = link.ContainerId is { } id && byId.TryGetValue(id, out var known) ? known
                : instances.FirstOrDefault(i => i.PodLog is { } p && (link.ResolvedTarget == p.NodePath || link.Chain.Any(h => h.NodePath == p.NodePath)));
            if (instance is null)
            {
                if (link.ContainerName is null) continue;   // a file kubelet did not name: not a container's log
                instances.Add(instance = new Instance(link, new UsageTally(layout.Root)));
                if (link.ContainerId is { } lid) byId.TryAdd(lid, instance);
            }
            // Measured already from its own json log (the link's chain may end at another instance's): the link adds nothing.
            if (instance.PodLog is { } podLog && OwnJsonLog(podLog) is not null) continue;
            var own = OwnJsonLog(link);
            AddActive(own ?? link.NodePath, link, instance.Tally);
            AddDockerRotations(own ?? link.ResolvedTarget, instance.Tally);
        }
        if (handles is not null) AddDeletedOpen(instances, byId, handles);
        return instances.Select(ToRecord).ToList();
    }

    /// <summary>A deleted log belongs to the instance its path names: docker's json log by container id, N.log by pod uid, container and restart count.</summary>
    static void AddDeletedOpen(List<Instance> instances, Dictionary<string, Instance> byId, IReadOnlyList<LogHandle> handles)
    {
        foreach (var i in instances) i.Tally.DeletedOpen = [];
        foreach (var h in handles)
        {
            if (!h.Deleted) continue;
            var instance = h.ContainerId is { } id && byId.TryGetValue(id, out var known) ? known
                : instances.FirstOrDefault(i => i.PodLog is { } p && p.PodUid == h.PodUid && p.ContainerName == h.ContainerName && p.RestartCount == h.RestartCount);
            instance?.Tally.DeletedOpen!.TryAdd((h.Device, h.Inode), h.Bytes);
        }
    }

    /// <summary>
    /// The json log docker writes for the instance, when the runtime names it: a Stale N.log ends at another instance's
    /// log, which is that instance's disk, not this one's.
    /// </summary>
    static string? OwnJsonLog(ContainerLogLink record) => record.Owner is { ExpectsDockerLink: true } owner ? owner.DockerJsonLogPath : null;

    void AddPodLog(ContainerLogLink record, UsageTally tally)
    {
        var own = OwnJsonLog(record);
        AddActive(own ?? record.NodePath, record, tally);
        AddDockerRotations(own ?? record.ResolvedTarget, tally);
        if (record.RotatedFiles.Count == 0 && record.LeftoverFiles.Count == 0) return;
        var directory = NodePath.Parent(record.NodePath);
        foreach (var local in record.RotatedFiles)
        {
            var name = Path.GetFileName(local);
            (name.EndsWith(".gz", StringComparison.Ordinal) ? tally.Compressed : tally.Rotated).AddEntry(NodePath.Combine(directory, name));
        }
        foreach (var local in record.LeftoverFiles)
            tally.Leftover.AddEntry(NodePath.Combine(directory, Path.GetFileName(local)));
    }

    /// <summary>A chain that ends outside the log roots (Unsafe: a link planted at /etc/shadow) is no container's log and counts nothing.</summary>
    void AddActive(string start, ContainerLogLink record, UsageTally tally)
    {
        // The inspection stat'd the file the record is or leads to already.
        if (record.EndStatus is { } inspected && (start == record.NodePath || start == record.ResolvedTarget)) tally.Active.Add(inspected);
        else if (layout.Root.Resolve(start) is { IsResolved: true } end && layout.IsInsideRoots(end.NodePath)) tally.Active.Add(end.Status);
    }

    /// <summary>docker's json-file driver rotates <c>&lt;id&gt;-json.log</c> to <c>-json.log.1</c>, <c>.2</c>… (<c>.N.gz</c> with compress).</summary>
    void AddDockerRotations(string? target, UsageTally tally)
    {
        if (target is null || !target.EndsWith("-json.log", StringComparison.Ordinal) || !layout.DockerContainersDirectory.Contains(target)) return;
        // Every name in the directory is looked at, so a gap in the set (a .1 deleted) hides none of the others; only
        // the rotations are lstat'd, relative to the directory listed (one per file, as du).
        var fileName = target.AsSpan(target.LastIndexOf('/') + 1);
        Span<byte> prefix = stackalloc byte[NameBytes.GetMaxByteCount(fileName.Length) + 1];
        var length = NameBytes.GetBytes(fileName, prefix);
        prefix[length++] = (byte)'.';
        var found = t_found ??= [];
        found.Clear();
        if (layout.Root.StatMatching(NodePath.Parent(target), prefix[..length], RotationOf, found) != 0) return;
        foreach (var (compressed, status) in found) (compressed == 1 ? tally.Compressed : tally.Rotated).Add(status);
    }

    /// <summary>This thread's list for <see cref="AddDockerRotations"/> (instances are measured on several threads).</summary>
    [ThreadStatic] static List<(int Compressed, FileStatus Status)>? t_found;

    /// <summary>1 for <c>&lt;prefix&gt;N.gz</c>, 0 for <c>&lt;prefix&gt;N</c>, -1 for any other name.</summary>
    static int RotationOf(ReadOnlySpan<byte> name, ReadOnlySpan<byte> prefix)
    {
        if (!name.StartsWith(prefix)) return -1;
        var rest = name[prefix.Length..];
        var compressed = rest.EndsWith(".gz"u8);
        if (compressed) rest = rest[..^3];
        if (rest.Length == 0 || rest.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return -1;
        return compressed ? 1 : 0;
    }

    PodLogUsage ToRecord(Instance instance)
    {
        var r = instance.PodLog ?? instance.First;
        var t = instance.Tally;
        var total = t.Total();
        // The instance's own files say which runtime wrote it (docker's N.log is always a link into its data root, a CRI
        // runtime's a regular file); the runtime's kind only when the chain says neither.
        var kind = r.ResolvedTarget is { } end && layout.DockerContainersDirectory.Contains(end) ? RuntimeKind.Docker
            : r.Kind == LogEntryKind.PodLog && r.LinkType == LinkType.File ? RuntimeKind.Cri
            : runtime?.Kind ?? RuntimeKind.Cri;
        var answer = r.Owner is { } owner ? policy.For(kind, owner) : policy.For(kind);
        var segments = 1 + t.Rotated.FileCount + t.Compressed.FileCount;
        RotationState state;
        long? over = null;
        if (r.State == ContainerState.Exited) state = RotationState.Exited;
        else if (answer.RotatedBy == RotationOwner.Nobody) state = RotationState.NotRotated;
        else if (answer.MaxBytes is { } max && t.Active.Bytes > max) (state, over) = (RotationState.OverLimit, t.Active.Bytes - max);
        else if (answer.MaxFiles is { } files && segments > files) state = RotationState.TooManyFiles;
        else state = RotationState.WithinLimit;
        return new PodLogUsage
        {
            Namespace = r.Namespace, PodName = r.PodName, PodUid = r.PodUid, ContainerName = r.ContainerName,
            RestartCount = r.RestartCount, ContainerId = r.ContainerId ?? instance.First.ContainerId, State = r.State,
            ActiveBytes = t.Active.Bytes, RotatedBytes = t.Rotated.Bytes, CompressedBytes = t.Compressed.Bytes, LeftoverBytes = t.Leftover.Bytes,
            FileCount = total.FileCount, TotalBytes = total.Bytes,
            RotatedBy = answer.RotatedBy, RotatedBySource = answer.RotatedBySource, MaxBytes = answer.MaxBytes, MaxFiles = answer.MaxFiles,
            RotationState = state, OverLimitBytes = over, DeletedOpenBytes = t.DeletedOpenBytes,
            Root = r.Root, NodeNameLookup = r.NodeNameLookup, Tally = t,
        };
    }

    /// <summary>
    /// Instances added up by <paramref name="by"/>: the same byte fields, each file once (an instance's json log reached
    /// twice counts once), largest TotalBytes first.
    /// </summary>
    public List<PodLogUsage> Aggregate(IEnumerable<PodLogUsage> usages, UsageGrouping by)
    {
        var groups = new Dictionary<(string?, string?, string?, string?), (PodLogUsage First, UsageTally Tally, int Count)>();
        var order = new List<(string?, string?, string?, string?)>();
        foreach (var u in usages)
        {
            var key = by switch
            {
                UsageGrouping.Container => (u.Namespace, u.PodName, u.PodUid, u.ContainerName),
                UsageGrouping.Pod => (u.Namespace, u.PodName, u.PodUid, null),
                UsageGrouping.Namespace => (u.Namespace, null, null, null),
                _ => ((string?)null, (string?)null, (string?)null, (string?)null),
            };
            if (!groups.TryGetValue(key, out var g)) { g = (u, new UsageTally(layout.Root), 0); order.Add(key); }
            if (u.Tally is { } tally) g.Tally.Add(tally);
            groups[key] = (g.First, g.Tally, g.Count + 1);
        }
        return order.Select(key =>
        {
            var (first, t, count) = groups[key];
            var total = t.Total();
            return new PodLogUsage
            {
                By = by, Namespace = key.Item1, PodName = key.Item2, PodUid = key.Item3, ContainerName = key.Item4, InstanceCount = count,
                ActiveBytes = t.Active.Bytes, RotatedBytes = t.Rotated.Bytes, CompressedBytes = t.Compressed.Bytes, LeftoverBytes = t.Leftover.Bytes,
                FileCount = total.FileCount, TotalBytes = total.Bytes, DeletedOpenBytes = t.DeletedOpenBytes, Root = first.Root, NodeNameLookup = first.NodeNameLookup, Tally = t,
            };
        }).OrderByDescending(u => u.TotalBytes).ToList();
    }
}
