using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Walks kubelet's log chain and gives each entry a <see cref="LinkStatus"/> and a reason a person can act on: pods
/// on worker threads, records handed out in order. The walk gathers each entry's facts (<see cref="EntryFacts"/>);
/// <see cref="VerdictRules"/> decides. Runtime state, when present, says what should exist and who owns it; without
/// it the verdicts come from the files alone.
/// </summary>
public sealed class LinkInspector
{
    readonly NodeLayout _layout;
    readonly RuntimeSnapshot? _runtime;
    readonly IPodLogsReporter _reporter;
    readonly EntryFactsCollector _facts;
    LegacyLinkIndex? _legacy;
    LegacyClaimants? _claimants;

    public LinkInspector(NodeLayout layout, RuntimeSnapshot? runtime, IPodLogsReporter reporter)
    {
        _layout = layout;
        _runtime = runtime;
        _reporter = reporter;
        _facts = new EntryFactsCollector(layout, runtime);
    }

    public NodeLayout Layout => _layout;
    public RuntimeSnapshot? Runtime => _runtime;
    LegacyLinkIndex Legacy => _legacy ??= new LegacyLinkIndex(_layout, _reporter);
    /// <summary>Made before the pods are inspected on other threads (<see cref="InspectNode"/>), or on first use.</summary>
    LegacyClaimants? Claimants => _runtime is null ? null : _claimants ??= new LegacyClaimants(_runtime);
    NodeRoot Root => _layout.Root;

    /// <summary>Every selected entry on the node: pods on disk, then pods only the runtime or a legacy link still names.</summary>
    /// <param name="progress">Called with (pods done, pods on disk) as the pod directories are inspected.</param>
    public IEnumerable<ContainerLogLink> InspectNode(LogSelection selection, CancellationToken cancellationToken = default, Action<int, int>? progress = null)
    {
        var scanner = new PodDirectoryScanner(_layout, _reporter);
        var pods = scanner.Enumerate(selection).ToList();
        var seen = new HashSet<(string?, string?, string?)>(pods.Count);
        // The pods on disk are inspected ahead on other cores and handed out in order. What they share is made
        // first: the legacy links each pod claims (in pod order, as a sequential scan claims them) and the indexes.
        var onDisk = pods.Select(WithRuntimeIdentity).ToList();
        var claimed = onDisk.Select(Legacy.For).ToList<List<LegacyEntry>?>();
        _ = Claimants;
        using (var inspected = new OrderedPrefetch<PodOutput>(pods.Count, i => InspectPod(onDisk[i], selection, Release(claimed, i)), cancellationToken))
        {
            for (var i = 0; i < pods.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var pod = pods[i];
                progress?.Invoke(i, pods.Count);
                seen.Add((pod.Namespace, pod.PodName, pod.PodUid));
                foreach (var r in inspected.Take(i).Replay(_reporter)) yield return r;
            }
        }
        progress?.Invoke(pods.Count, pods.Count);
        if (_runtime is not null)
            foreach (var (ns, name, uid) in _runtime.Pods)
                if (selection.MatchesPod(ns, name, uid) && seen.Add((ns, name, uid)))
                    foreach (var r in InspectPod(scanner.Compute(ns, name, uid), selection)) yield return r;
        foreach (var (ns, name, uid) in Legacy.UnclaimedPods().ToList())
        {
            if (!selection.MatchesPod(ns, name, uid)) continue;
            var pod = uid is null
                ? new PodRef(ns, name, null, PodLogLayout.Current, NodePath.Combine(_layout.PodLogsDirectory.Configured, $"{ns}_{name}_"), false)
                : scanner.Compute(ns, name, uid);
            foreach (var r in InspectPod(pod, selection)) yield return r;
        }
        if (selection.IsUnfiltered)
            foreach (var e in Legacy.Unattributed)
                if (InspectLegacy(e, null, _reporter) is { } r) yield return r;
    }

    /// <summary>One pod's entries: its directory's instances, what the runtime expects but is absent, its legacy links.</summary>
    public IEnumerable<ContainerLogLink> InspectPod(PodRef pod, LogSelection selection)
    {
        pod = WithRuntimeIdentity(pod);
        foreach (var r in InspectPod(pod, selection, Legacy.For(pod)).Replay(_reporter)) yield return r;
    }

    /// <summary>Item <paramref name="i"/>, no longer held by the list (what a scan keeps live, every collection copies).</summary>
    static T Release<T>(List<T?> items, int i) where T : class
    {
        var item = items[i]!;
        items[i] = null;
        return item;
    }

    /// <summary>
    /// One pod's entries and what inspecting them reported, given the legacy links it claims. Reads only what is
    /// shared read-only (or the node root), so it may run on any thread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    PodOutput InspectPod(PodRef pod, LogSelection selection, List<LegacyEntry> legacy)
    {
        using var files = Root.BeginEntryScope();
        var expected = ExpectedInstances(pod, selection);
        // Which entries exist matters only when the runtime expects some.
        var output = new PodOutput(selection, trackPresent: expected.Count > 0);
        if (pod.Exists) InspectPodDirectory(pod, selection, output);

        foreach (var c in expected)
        {
            var file = _runtime!.LogFileOf(c);
            if (!output.Present!.Contains(file) && _runtime.FindOwnerOfLogFile(file) == c)
                output.Add(Decided(PodLogRecord(pod, c.ContainerName, c.RestartCount, file, c), _facts.PodLog(pod, c.ContainerName, file, $"{c.RestartCount}.log", c, FileKind.None))!);
        }

        var legacyNames = expected.Count == 0 ? null : new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in legacy)
        {
            legacyNames?.Add(e.Name);
            if (InspectLegacy(e, pod, output) is { } r && selection.MatchesContainer(r.ContainerName) && selection.MatchesContainerId(r.ContainerId, r.IsTruncated)) output.Add(r);
        }
        foreach (var c in expected)
        {
            var name = Claimants!.NameOf(c);
            // Only the newest claimant adds the name: an older instance sharing a cut name must not hide it.
            if (Claimants.NewestOf(name) == c && legacyNames!.Add(name)) output.Add(MissingLegacy(c, name));
        }
        return output;
    }

    /// <summary>A pod directory of an older layout (a bare uid) named by the runtime's namespace and pod name, when it knows the uid.</summary>
    PodRef WithRuntimeIdentity(PodRef pod) =>
        pod.Namespace is null && pod.PodUid is not null && _runtime?.PodOfUid(pod.PodUid) is { } known
            ? pod with { Namespace = known.Namespace, PodName = known.PodName }
            : pod;

    /// <summary>The runtime's instances of this pod that should have an N.log and a legacy link.</summary>
    List<RuntimeContainer> ExpectedInstances(PodRef pod, LogSelection selection)
    {
        var expected = new List<RuntimeContainer>();
        if (_runtime is null || !_runtime.KnowsEveryContainer || pod.Namespace is null || pod.PodName is null || pod.PodUid is null) return expected;
        foreach (var c in _runtime.InstancesOfPod(pod.Namespace, pod.PodName, pod.PodUid))
            if (_runtime.LogLayout.ExpectsLog(c) && selection.MatchesContainer(c.ContainerName) && selection.MatchesContainerId(c.Id)) expected.Add(c);
        return expected;
    }

    /// <summary>A pod directory's entries, through <see cref="PodOutput.AddEntry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void InspectPodDirectory(PodRef pod, LogSelection selection, PodOutput output)
    {
        var errno = Root.ReadDirectory(pod.NodePath, out var entries, out var listedAt);
        if (errno != 0)
        {
            ReportUnreadable(output, pod.NodePath, errno);
            return;
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        if (pod.Layout == PodLogLayout.UidFlat)
        {
            foreach (var group in UidFlatFiles.Group(entries))
                if (selection.MatchesContainer(group.Container)
                    && InspectInstance(pod, group.Container, group.RestartCount, pod.NodePath, listedAt, group.Live, null, group.Rotated, group.LiveName, output) is { } r)
                    output.AddEntry(r);
            return;
        }
        foreach (var entry in entries)
        {
            var nodePath = NodePath.Combine(pod.NodePath, entry.Name);
            if (pod.Layout == PodLogLayout.Current) Root.Seed(nodePath, entry.TypeHint);
            var kind = entry.TypeHint == FileKind.None ? LStatKind(nodePath) : entry.TypeHint;
            if (kind != FileKind.Directory || !KubernetesNames.IsDns1123Label(entry.Name))
            {
                if (selection.ContainerName is null) output.AddEntry(NotKubelets(pod, null, nodePath, kind, ForeignEntry.NotContainerDirectory, NodePath.Combine(listedAt, entry.Name)));
                continue;
            }
            if (selection.MatchesContainer(entry.Name)) InspectContainerDirectory(pod, entry.Name, nodePath, output);
        }
    }

    // Only a link under the exact temporary name is ours (issue #11): a regular file under such a name is someone's file.
    bool IsOwnTemporary(DirectoryEntry f, string path) =>
        Repair.LinkWriter.IsTemporaryLinkName(f.Name) && (f.TypeHint == FileKind.None ? LStatKind(path) : f.TypeHint) == FileKind.SymbolicLink;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void InspectContainerDirectory(PodRef pod, string container, string dirNodePath, PodOutput output)
    {
        var errno = Root.ReadDirectory(dirNodePath, out var files, out var listedAt);
        if (errno != 0)
        {
            ReportUnreadable(output, dirNodePath, errno);
            return;
        }
        // Usually one or two instances, each a live N.log and maybe rotated siblings: a list sorted by N at the end.
        var instances = new List<(int N, DirectoryEntry? Live, string? LivePath, List<string>? Rotated)>(files.Count);
        foreach (var f in files)
        {
            var path = NodePath.Combine(dirNodePath, f.Name);
            Root.Seed(path, f.TypeHint);
            if (!KubeletPaths.TryParseContainerLogFileName(f.Name, out var parsed))
            {
                output.AddEntry(NotKubelets(pod, container, path, f.TypeHint == FileKind.None ? LStatKind(path) : f.TypeHint,
                    IsOwnTemporary(f, path) ? ForeignEntry.InterruptedRepairLink : ForeignEntry.NotLogFileName, NodePath.Combine(listedAt, f.Name)));
                continue;
            }
            var i = 0;
            while (i < instances.Count && instances[i].N != parsed.RestartCount) i++;
            if (i == instances.Count) instances.Add((parsed.RestartCount, null, null, null));
            var g = instances[i];
            if (parsed.IsLive) (g.Live, g.LivePath) = (f, path);
            else (g.Rotated ??= []).Add(f.Name);
            instances[i] = g;
        }
        // Insertion sort: one or two instances, and no sort helper compiled for this tuple type.
        for (var i = 1; i < instances.Count; i++)
            for (var j = i; j > 0 && instances[j - 1].N > instances[j].N; j--)
                (instances[j - 1], instances[j]) = (instances[j], instances[j - 1]);
        foreach (var (n, live, livePath, rotated) in instances)
            if (InspectInstance(pod, container, n, dirNodePath, listedAt, live, livePath, rotated, $"{n}.log", output) is { } r)
                output.AddEntry(r);
    }

    /// <summary>One container instance: the live N.log (link, regular file or nothing) with its rotated siblings.</summary>
    /// <param name="listedAt">Where the directory was listed (<see cref="NodeRoot.ReadDirectory(string, out List{DirectoryEntry}, out string)"/>).</param>
    /// <param name="livePath">The live entry's node path when already built.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ContainerLogLink? InspectInstance(PodRef pod, string container, int restartCount, string dirNodePath, string listedAt, DirectoryEntry? live, string? livePath,
        List<string>? rotated, string liveName, IPodLogsReporter reporter)
    {
        var nodePath = livePath is not null && live?.Name == liveName ? livePath : NodePath.Combine(dirNodePath, liveName);
        var owner = pod.Layout == PodLogLayout.Current ? _runtime?.FindOwnerOfLogFile(nodePath) : null;
        var record = PodLogRecord(pod, container, restartCount, nodePath, owner);
        DiskUsage? usage = null;
        if (rotated is { Count: > 0 }) (record.Rotated, record.Leftover, usage) = RotatedFiles(listedAt, rotated);
        CountBytes(ref record, ref usage, entry: null, end: null);
        if (live is null) return Decided(record, _facts.PodLog(pod, container, nodePath, liveName, owner, FileKind.None));

        if (Root.LStat(nodePath, out var lstat, out var located) is { } stopped) return Unreadable(reporter, record, stopped);
        (record.Exists, record.Located) = (true, located);
        var facts = _facts.PodLog(pod, container, nodePath, liveName, owner, lstat.Kind);
        switch (lstat.Kind)
        {
            case FileKind.RegularFile:
                record.LinkType = LinkType.File;
                record.Resolved = nodePath;
                CountBytes(ref record, ref usage, lstat, end: null);
                return Decided(record, facts);
            case FileKind.SymbolicLink:
                record.LinkType = LinkType.SymbolicLink;
                var res = Root.Resolve(nodePath);
                record.SetChain(res, located);
                facts = _facts.WithChain(facts, res, record.Target, owner);
                record.TargetId = facts.JsonLogId;
                CountBytes(ref record, ref usage, entry: null, res);
                return Decided(record, facts) ?? Unreadable(reporter, record, res);
            default:
                record.LinkType = lstat.Kind == FileKind.Directory ? LinkType.Directory : LinkType.Other;
                return Decided(record, facts);
        }
    }

    EntryRecordBuilder PodLogRecord(PodRef pod, string container, int restartCount, string nodePath, RuntimeContainer? owner) =>
        new(Root, _runtime?.SourceName, pod, container, restartCount, nodePath, LogEntryKind.PodLog) { Owner = owner, LinkType = LinkType.None };

    static ContainerLogLink? Decided(EntryRecordBuilder record, in EntryFacts facts) => VerdictRules.Decide(facts) is { } v ? record.Build(v) : null;

    /// <summary>
    /// The inspector's byte counting, in one place: the entry's own blocks when it is a regular file and its rotated
    /// siblings' (measured where they were listed, <see cref="RotatedFiles"/>), each file once (<see cref="DiskUsage"/>:
    /// a rotated file hard-linked to N.log counts once), and the blocks of the log file a sound chain ends at (inside
    /// the log roots). The tally is made only for an instance that has files of its own to count.
    /// </summary>
    void CountBytes(ref EntryRecordBuilder record, ref DiskUsage? usage, FileStatus? entry, Resolution? end)
    {
        if (entry is { Kind: FileKind.RegularFile } file) (usage ??= new DiskUsage(Root)).Add(file);
        if (usage is not null) record.Bytes = usage.Bytes;
        if (end is { IsResolved: true, Status.Kind: FileKind.RegularFile } chain && _layout.IsInsideRoots(chain.NodePath))
            (record.TargetBytes, record.EndStatus) = (chain.Status.AllocatedBytes, chain.Status);
        else if (entry is { Kind: FileKind.RegularFile } own) record.EndStatus = own;
    }

    /// <summary>
    /// Rotated siblings' local paths, oldest first, kubelet's leftovers among them apart, and the disk both take: where
    /// the directory was listed (a link among its parents, a symlinked /var/log/pods say, followed under the root, not
    /// from the host's '/').
    /// </summary>
    (IReadOnlyList<string> Local, IReadOnlyList<string> Leftover, DiskUsage Usage) RotatedFiles(string listedAt, List<string> rotated)
    {
        rotated.Sort(string.CompareOrdinal);
        var (inUse, leftover) = KubeletPaths.SplitRotatedSiblings(rotated);
        var usage = new DiskUsage(Root);
        return (Listed(listedAt, inUse, usage), leftover.Count == 0 ? [] : Listed(listedAt, leftover, usage), usage);
    }

    List<string> Listed(string listedAt, IReadOnlyList<string> names, DiskUsage usage)
    {
        var local = new List<string>(names.Count);
        foreach (var name in names)
        {
            usage.AddListed(listedAt, name);
            local.Add(Root.LocalPathListed(listedAt, name));
        }
        return local;
    }

    /// <summary>A legacy link: its name's identity, its chain, and who owns it.</summary>
    /// <param name="pod">The pod that claimed the link: its strings stand in for equal ones parsed from the link (records outlive the index).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ContainerLogLink? InspectLegacy(LegacyEntry e, PodRef? pod, IPodLogsReporter reporter)
    {
        e.SeedInto(Root);
        var parsed = e.Parsed;
        var target = e.Target;
        var nameId = parsed is { IsCut: false } p ? p.ContainerIdPart : null;
        // what a cut name kept of the id (getContainerIDFromLegacyLogSymlink reads back >= 6 characters)
        var namePrefix = parsed is { IsCut: true, ContainerIdPart.Length: > 0 } cut ? cut.ContainerIdPart : null;
        var owner = FindLegacyOwner(e, nameId);
        var record = new EntryRecordBuilder(Root, _runtime?.SourceName, null, owner?.ContainerName ?? (parsed is { IsCut: false } ? parsed.Value.ContainerName : target?.ContainerName),
            owner?.RestartCount ?? target?.RestartCount, e.NodePath, LogEntryKind.Legacy)
        {
            Namespace = owner?.Namespace ?? SameAs(e.Namespace, pod?.Namespace),
            PodName = owner?.PodName ?? SameAs(e.PodName, pod?.PodName),
            PodUid = owner?.PodUid ?? SameAs(e.PodUid ?? target?.PodUid, pod?.PodUid),
            Owner = owner,
            NameId = nameId,
            NamePrefix = namePrefix,
            IsTruncated = parsed is { IsCut: true },
        };
        if (Root.LStat(e.NodePath, out var lstat, out var located) is { } stopped) return stopped.Outcome == ResolveOutcome.NotFound ? null : Unreadable(reporter, record, stopped);
        (record.Exists, record.Located) = (true, located);
        record.LinkType = lstat.Kind switch { FileKind.SymbolicLink => LinkType.SymbolicLink, FileKind.RegularFile => LinkType.File, FileKind.Directory => LinkType.Directory, _ => LinkType.Other };
        DiskUsage? usage = null;
        CountBytes(ref record, ref usage, lstat, end: null);
        var facts = _facts.Of(LogEntryKind.Legacy, e.NodePath, owner) with
        {
            EntryType = lstat.Kind,
            LegacyName = parsed,
            PointsAt = target,
            NameId = nameId,
            NamePrefix = namePrefix,
        };
        // A link whose name and target say nothing of kubelet's is judged without following it.
        if (lstat.Kind != FileKind.SymbolicLink || (parsed is null && target is null)) return Decided(record, facts);

        var res = Root.Resolve(e.NodePath);
        record.SetChain(res, located);
        var expected = owner is null ? null : _runtime!.LogFileOf(owner);
        facts = _facts.WithChain(facts, res, record.Target, owner) with
        {
            // The name from the path in place: LegacyEntry.Name is made when asked.
            NameNotUtf8 = NameBytes.HasEscapedBytes(e.NodePath.AsSpan(e.NodePath.LastIndexOf('/') + 1)),
            NameEndsInLog = KubeletPaths.IsLegacyLinkFileName(e.Name),
            FirstHop = e.RawTarget is null ? null : NodePath.Clean(NodePath.IsAbsolute(e.RawTarget) ? e.RawTarget : NodePath.Combine(_layout.ContainerLogsDirectory.Configured, e.RawTarget)),
            OwnerLogFile = expected,
        };
        record.TargetId = facts.JsonLogId;
        CountBytes(ref record, ref usage, entry: null, res);
        return Decided(record, facts) ?? Unreadable(reporter, record, res);
    }

    static string? SameAs(string? value, string? known) => value == known ? known : value;

    RuntimeContainer? FindLegacyOwner(LegacyEntry e, string? nameId)
    {
        if (_runtime is null) return null;
        if (nameId is not null) return _runtime.FindById(nameId);
        // A cut name: any instance kubelet would give this exact name; when the whole id was lost that is every instance, and the newest wins.
        return Claimants!.NewestOf(e.Name);
    }

    ContainerLogLink MissingLegacy(RuntimeContainer c, string name)
    {
        var nodePath = NodePath.Combine(_layout.ContainerLogsDirectory.Configured, name);
        var record = new EntryRecordBuilder(Root, _runtime?.SourceName, null, c.ContainerName, c.RestartCount, nodePath, LogEntryKind.Legacy)
        {
            Namespace = c.Namespace, PodName = c.PodName, PodUid = c.PodUid, Owner = c, LinkType = LinkType.None,
            IsTruncated = KubeletPaths.IsLegacyLinkNameCut(c.PodName, c.Namespace, c.ContainerName, c.Id),
        };
        var target = _runtime!.LogFileOf(c);
        return Decided(record, _facts.Of(LogEntryKind.Legacy, nodePath, c) with { OwnerLogFile = target, OwnerLogFileExists = Root.Resolve(target).IsResolved })!;
    }

    /// <param name="located">Where the entry is, its directory's parents resolved.</param>
    ContainerLogLink NotKubelets(PodRef pod, string? container, string nodePath, FileKind kind, ForeignEntry why, string located)
    {
        var record = new EntryRecordBuilder(Root, _runtime?.SourceName, pod, container, null, nodePath, LogEntryKind.PodLog)
        {
            Exists = true,
            Located = located,
            LinkType = kind switch { FileKind.SymbolicLink => LinkType.SymbolicLink, FileKind.RegularFile => LinkType.File, FileKind.Directory => LinkType.Directory, _ => LinkType.Other },
        };
        if (kind == FileKind.SymbolicLink && Root.LStat(nodePath, out _, out var hop) is null) record.SetChain(Root.Resolve(nodePath), hop);
        return Decided(record, new EntryFacts { Kind = LogEntryKind.PodLog, NodePath = nodePath, Foreign = why, EntryType = kind })!;
    }

    ContainerLogLink? Unreadable(IPodLogsReporter reporter, EntryRecordBuilder record, Resolution res)
    {
        if (res.Outcome == ResolveOutcome.NotFound) return null; // vanished mid-scan
        reporter.Error(new PodLogsFailure(ErrorIds.Selection.LogEntryUnreadable, res.Outcome == ResolveOutcome.AccessDenied ? FailureCategory.PermissionDenied : FailureCategory.ReadError,
            $"Cannot inspect {record.NodePath}: {Posix.Describe(res.Errno)} at {res.NodePath}.", Root.ToLocal(record.NodePath)));
        return null;
    }

    void ReportUnreadable(IPodLogsReporter reporter, string nodePath, int errno) => reporter.Error(PodLogsFailure.DirectoryUnreadable(Root, nodePath, errno));

    FileKind LStatKind(string nodePath) => Root.LStat(nodePath, out var s) is null ? s.Kind : FileKind.None;
}
