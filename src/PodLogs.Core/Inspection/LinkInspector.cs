using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Inspects every hop of kubelet's log chain and gives each entry a <see cref="LinkStatus"/> and a
/// reason a person can act on. Runtime state, when present, says what should exist and who owns it;
/// without it the verdicts come from the files alone.
/// </summary>
public sealed class LinkInspector
{
    readonly NodeLayout _layout;
    readonly RuntimeSnapshot? _runtime;
    readonly IPodLogsReporter _reporter;
    LegacyLinkIndex? _legacy;
    Dictionary<string, RuntimeContainer>? _claimants;
    Dictionary<RuntimeContainer, string>? _legacyNames;

    public LinkInspector(NodeLayout layout, RuntimeSnapshot? runtime, IPodLogsReporter reporter)
    {
        _layout = layout;
        _runtime = runtime;
        _reporter = reporter;
    }

    public NodeLayout Layout => _layout;
    public RuntimeSnapshot? Runtime => _runtime;
    LegacyLinkIndex Legacy => _legacy ??= new LegacyLinkIndex(_layout, _reporter);
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
        if (_runtime is not null) IndexClaimants(_runtime);
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
            if (!output.Present!.Contains(file) && _runtime.FindOwnerOfLogFile(file) == c) output.Add(MissingPodLog(pod, c, file));
        }

        var legacyNames = expected.Count == 0 ? null : new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in legacy)
        {
            legacyNames?.Add(e.Name);
            if (InspectLegacy(e, pod, output) is { } r && selection.MatchesContainer(r.ContainerName) && selection.MatchesContainerId(r.ContainerId, r.IsTruncated)) output.Add(r);
        }
        foreach (var c in expected)
        {
            var name = LegacyNameOf(c);
            // Only the newest claimant adds the name: an older instance sharing a cut name must not hide it.
            if (NewestClaimantOf(name) == c && legacyNames!.Add(name)) output.Add(MissingLegacy(c, name));
        }
        return output;
    }

    /// <summary>A pod directory of an older layout (a bare uid) named by the runtime's namespace and pod name, when it knows the uid.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    PodRef WithRuntimeIdentity(PodRef pod) =>
        pod.Namespace is null && pod.PodUid is not null && _runtime?.PodOfUid(pod.PodUid) is { } known
            ? pod with { Namespace = known.Namespace, PodName = known.PodName }
            : pod;

    /// <summary>The runtime's instances of this pod that should have an N.log and a legacy link.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    List<RuntimeContainer> ExpectedInstances(PodRef pod, LogSelection selection)
    {
        var expected = new List<RuntimeContainer>();
        if (_runtime is null || !_runtime.KnowsEveryContainer || pod.Namespace is null || pod.PodName is null || pod.PodUid is null) return expected;
        foreach (var c in _runtime.InstancesOfPod(pod.Namespace, pod.PodName, pod.PodUid))
            if (ExpectsLog(c) && selection.MatchesContainer(c.ContainerName) && selection.MatchesContainerId(c.Id)) expected.Add(c);
        return expected;
    }

    bool ExpectsLog(RuntimeContainer c) => _runtime!.Kind == RuntimeKind.Docker ? c.ExpectsDockerLink : c.State != ContainerState.Created;

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
            foreach (var group in GroupFlatFiles(entries))
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
                if (selection.ContainerName is null) output.AddEntry(NotKubelets(pod, null, nodePath, kind, "is not a container log directory kubelet would make", NodePath.Combine(listedAt, entry.Name)));
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
                    IsOwnTemporary(f, path) ? "is a temporary link left by an interrupted PodLogs repair" : "is not a name kubelet gives a container log ('<restartCount>.log')",
                    NodePath.Combine(listedAt, f.Name)));
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

    sealed record FlatGroup(string Container, int RestartCount, DirectoryEntry? Live, List<string> Rotated, string LiveName);

    static IEnumerable<FlatGroup> GroupFlatFiles(List<DirectoryEntry> entries)
    {
        var groups = new SortedDictionary<(string, int), FlatGroup>();
        foreach (var e in entries)
        {
            var logEnd = e.Name.IndexOf(".log", StringComparison.Ordinal);
            if (logEnd < 0 || !KubeletPaths.TryParseUidFlatFileName(e.Name[..(logEnd + 4)], out var container, out var n)) continue;
            var key = (container, n);
            if (!groups.TryGetValue(key, out var g)) groups[key] = g = new FlatGroup(container, n, null, [], e.Name[..(logEnd + 4)]);
            if (logEnd + 4 == e.Name.Length) groups[key] = g with { Live = e };
            else g.Rotated.Add(e.Name);
        }
        return groups.Values;
    }

    /// <summary>One container instance: the live N.log (link or regular file) with its rotated siblings.</summary>
    /// <param name="listedAt">Where the directory was listed (<see cref="NodeRoot.ReadDirectory(string, out List{DirectoryEntry}, out string)"/>).</param>
    /// <param name="livePath">The live entry's node path when already built.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ContainerLogLink? InspectInstance(PodRef pod, string container, int restartCount, string dirNodePath, string listedAt, DirectoryEntry? live, string? livePath,
        List<string>? rotated, string liveName, IPodLogsReporter reporter)
    {
        var nodePath = livePath is not null && live?.Name == liveName ? livePath : NodePath.Combine(dirNodePath, liveName);
        var (rotatedLocal, leftoverLocal, rotatedBytes) = rotated is { Count: > 0 } ? RotatedFiles(listedAt, rotated) : ([], [], 0);
        var owner = pod.Layout == PodLogLayout.Current ? _runtime?.FindOwnerOfLogFile(nodePath) : null;
        var record = new Builder(this, pod, container, restartCount, nodePath, LogEntryKind.PodLog) { Owner = owner, Rotated = rotatedLocal, Leftover = leftoverLocal, Bytes = rotatedBytes };

        if (live is null)
        {
            record.LinkType = LinkType.None;
            if (owner is not null && ExpectsLog(owner))
                return MissingPodLog(pod, owner, nodePath, record);
            return record.Build(LinkStatus.Orphaned, $"only rotated files remain, no live {liveName}: the container instance is gone; remove them when their logs are no longer needed");
        }

        if (Root.LStat(nodePath, out var lstat, out var located) is { } stopped) return Unreadable(reporter, record, stopped);
        (record.Exists, record.Located) = (true, located);
        switch (lstat.Kind)
        {
            case FileKind.RegularFile:
                record.LinkType = LinkType.File;
                record.Resolved = nodePath;
                record.Bytes += lstat.AllocatedBytes;
                if (owner is not null && _runtime!.Kind == RuntimeKind.Docker && owner.ExpectsDockerLink)
                    return record.Build(LinkStatus.Stale,
                        $"a regular file stands where a link to the json log belongs; move it away (PodLogs never replaces a regular file), then repair: {Describe(owner)}");
                if (owner is null && _runtime is { Kind: RuntimeKind.Cri, KnowsEveryContainer: true })
                    return record.Build(LinkStatus.Orphaned, $"no container writes this file any more ({_runtime.Source} does not know one: removed?); remove it when its log is no longer needed");
                return record.Build(LinkStatus.Healthy, owner is null ? "a regular log file written by the runtime" : $"the log file {Describe(owner)} writes");
            case FileKind.SymbolicLink:
                return InspectPodLogLink(record, nodePath, located, owner, reporter);
            case FileKind.Directory:
                record.LinkType = LinkType.Directory;
                return record.Build(LinkStatus.Invalid, $"a directory stands where {container}'s log file {liveName} belongs; not kubelet's, left alone");
            default:
                record.LinkType = LinkType.Other;
                return record.Build(LinkStatus.Invalid, $"a {Describe(lstat.Kind)} stands where {container}'s log file {liveName} belongs; not kubelet's, left alone");
        }
    }

    /// <summary>
    /// Rotated siblings' local paths, oldest first, kubelet's leftovers among them apart, and the bytes allocated to
    /// both: where the directory was listed (a link among its parents, a symlinked /var/log/pods say, followed under
    /// the root, not from the host's '/').
    /// </summary>
    (IReadOnlyList<string> Local, IReadOnlyList<string> Leftover, long Bytes) RotatedFiles(string listedAt, List<string> rotated)
    {
        rotated.Sort(CompareRotated);
        var (inUse, leftover) = KubeletPaths.SplitRotatedSiblings(rotated);
        var (local, bytes) = Root.MeasureListed(listedAt, inUse);
        if (leftover.Count == 0) return (local, [], bytes);
        var (left, leftBytes) = Root.MeasureListed(listedAt, leftover);
        return (local, left, bytes + leftBytes);
    }

    /// <param name="located">Where the link is, its parents resolved (see <see cref="NodeRoot.LStat(string, out FileStatus, out string)"/>).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ContainerLogLink? InspectPodLogLink(Builder record, string nodePath, string located, RuntimeContainer? owner, IPodLogsReporter reporter)
    {
        record.LinkType = LinkType.SymbolicLink;
        var res = Root.Resolve(nodePath);
        if (IsUnreadable(res)) return Unreadable(reporter, record, res);
        record.SetChain(res, located);
        var jsonId = res.IsResolved ? DockerJsonId(res.NodePath) : DockerJsonId(NodePath.Clean(ChainEnd(res)));
        record.TargetId = jsonId;
        if (Verdict(record, res) is { } failed)
        {
            if (failed.Status != LinkStatus.Dangling) return failed;
            var head = _runtime is { Kind: RuntimeKind.Cri } && IntoDockerRoot(record.Target)
                ? $"a leftover link into docker's data root from before this node's runtime became {_runtime.Source}; remove it"
                : owner is not null
                    ? !owner.ExpectsDockerLink ? $"the link leads nowhere, though {Describe(owner)} still exists"
                        : owner.DockerJsonLogPath is { } json && Root.Resolve(json).IsResolved
                            ? $"the link leads nowhere; Repair-ContainerLogLink relinks it to the json log of {Describe(owner)}"
                            : $"the json log is gone, so there is nothing to link to, though {Describe(owner)} still exists"
                    : _runtime is not null ? "the link leads nowhere and no container owns this path (docker rm?): the log is gone; remove the link" : "the link leads nowhere";
            return record.Build(LinkStatus.Dangling, $"{head} ({failed.Reason})");
        }
        record.TargetBytes = res.Status.AllocatedBytes;
        if (_runtime is { Kind: RuntimeKind.Cri } && IntoDockerRoot(record.Target))
            return record.Build(LinkStatus.Orphaned, $"a leftover link into docker's data root from before this node's runtime became {_runtime.Source}; nothing writes there any more: remove it when its log is no longer needed");
        if (owner is not null && _runtime!.Kind == RuntimeKind.Cri)
            return record.Build(LinkStatus.Stale, $"a link stands where {Describe(owner)} writes its log file itself");
        if (owner is not null)
        {
            if (_runtime!.Kind == RuntimeKind.Docker && jsonId != owner.Id)
                return record.Build(LinkStatus.Stale, $"links to the wrong log; Repair-ContainerLogLink relinks it to the log of {Describe(owner)} (it points to {(jsonId is null ? res.NodePath : "container " + Short(jsonId) + "'s log")})");
            return record.Build(LinkStatus.Healthy, "links to the json log of ", Describe(owner));
        }
        if (_runtime is not null && jsonId is not null)
        {
            if (_runtime.FindById(jsonId) is { } other)
                return record.Build(LinkStatus.Stale, $"links to another container's log: {Describe(other)}, whose own log is {_runtime.LogFileOf(other)}");
            return record.Build(LinkStatus.Orphaned, $"its container is gone (docker no longer knows container {Short(jsonId)}: removed?); remove the link when its log is no longer needed");
        }
        return jsonId is null
            ? record.Build(LinkStatus.Healthy, "resolves to ", res.NodePath)
            : record.Build(LinkStatus.Healthy, "links to the json log of container ", jsonId, ShortIdLength);
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
        var record = new Builder(this, null, owner?.ContainerName ?? (parsed is { IsCut: false } ? parsed.Value.ContainerName : target?.ContainerName),
            owner?.Attempt ?? target?.RestartCount, e.NodePath, LogEntryKind.Legacy)
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
        if (lstat.Kind == FileKind.RegularFile) record.Bytes = lstat.AllocatedBytes;
        if (lstat.Kind != FileKind.SymbolicLink)
        {
            record.LinkType = lstat.Kind switch { FileKind.RegularFile => LinkType.File, FileKind.Directory => LinkType.Directory, _ => LinkType.Other };
            return record.Build(LinkStatus.Invalid, $"a {Describe(lstat.Kind)} stands where kubelet puts a link; not kubelet's, left alone");
        }
        record.LinkType = LinkType.SymbolicLink;
        if (parsed is null && target is null)
            return record.Build(LinkStatus.Invalid, "the name is not '<pod>_<namespace>_<container>-<id>.log' and the target is no pod log: not kubelet's");

        var res = Root.Resolve(e.NodePath);
        if (IsUnreadable(res)) return Unreadable(reporter, record, res);
        record.SetChain(res, located);
        // The name from the path in place: LegacyEntry.Name is made when asked.
        if (NameBytes.HasEscapedBytes(e.NodePath.AsSpan(e.NodePath.LastIndexOf('/') + 1)))
            return record.Build(LinkStatus.Invalid, $"not kubelet's, left alone: {e.Name} is not valid UTF-8 (kubelet's names are DNS names)");
        if (!KubeletPaths.IsLegacyLinkFileName(e.Name))
            return record.Build(LinkStatus.Invalid, "the name does not end in '.log': not one of kubelet's legacy links (kubelet's GC looks only at *.log), left alone");
        var jsonId = res.IsResolved ? DockerJsonId(res.NodePath) : DockerJsonId(NodePath.Clean(ChainEnd(res)));
        record.TargetId = jsonId;
        var expected = owner is null ? null : _runtime!.LogFileOf(owner);
        var firstHop = e.RawTarget is null ? null : NodePath.Clean(NodePath.IsAbsolute(e.RawTarget) ? e.RawTarget : NodePath.Combine(_layout.ContainerLogsDirectory.Configured, e.RawTarget));

        if (Verdict(record, res) is { } failed)
        {
            if (failed.Status != LinkStatus.Dangling) return failed;
            var head = owner is not null
                ? firstHop == expected
                    ? $"its target {owner.Attempt}.log is broken; repairing that restores this link: {Describe(owner)}"
                    : $"the link leads nowhere; Repair-ContainerLogLink relinks it to {expected}: {Describe(owner)}"
                : _runtime is not null ? "its container is gone (docker rm?) and so is the log; kubelet's GC removes such links" : "the link leads nowhere";
            return record.Build(LinkStatus.Dangling, $"{head} ({failed.Reason})");
        }
        record.TargetBytes = res.Status.AllocatedBytes;
        if (owner is not null)
        {
            if (firstHop != expected)
                return record.Build(LinkStatus.Stale, $"points to the wrong log; Repair-ContainerLogLink relinks it to {expected}: {Describe(owner)} (it points to {firstHop})"
                    + (parsed is { IsCut: true } && nameId is null ? " (the name lost the whole id, so it must point at the newest instance)" : ""));
            if (_runtime!.Kind == RuntimeKind.Docker && jsonId != owner.Id)
                return record.Build(LinkStatus.Stale, $"its {owner.Attempt}.log link points to the wrong log; repairing that fixes this one: it points to {(jsonId is null ? res.NodePath : "container " + Short(jsonId) + "'s log")}, not to the log of {Describe(owner)}");
            return record.Build(LinkStatus.Healthy, "links to ", expected!);
        }
        if (target is not null && parsed is { IsCut: false } named
            && (named.Namespace != target.Namespace || named.PodName != target.PodName || named.ContainerName != target.ContainerName))
            return record.Build(LinkStatus.Stale, $"links to another container's log: its name is for {named.Namespace}/{named.PodName} container {named.ContainerName}, but it points to the log of {target.Namespace}/{target.PodName} container {target.ContainerName}");
        if (nameId is not null && jsonId is not null && nameId != jsonId)
            return record.Build(LinkStatus.Stale, $"links to another container's log: its name is for container {Short(nameId)}, but the chain ends at container {Short(jsonId)}'s log");
        if (namePrefix is not null && jsonId is not null && !jsonId.StartsWith(namePrefix, StringComparison.Ordinal))
            return record.Build(LinkStatus.Stale, $"links to another container's log: its cut name is for a container whose id begins {namePrefix}, but the chain ends at container {Short(jsonId)}'s log");
        if (_runtime is { Kind: RuntimeKind.Docker } && (jsonId is not null || _layout.DockerDataRoot.Contains(res.NodePath)))
            return record.Build(LinkStatus.Orphaned, $"its container is gone and nothing owns this log; remove the link when the log is no longer needed (docker no longer knows container {Short(nameId ?? jsonId ?? "?")})");
        if (_runtime is { Kind: RuntimeKind.Cri, KnowsEveryContainer: true } && nameId is not null)
            return record.Build(LinkStatus.Orphaned, $"its container is gone (kubelet keeps one dead instance; {_runtime.Source} no longer knows container {Short(nameId)}); remove the link when its log is no longer needed");
        return record.Build(LinkStatus.Healthy, "resolves to ", res.NodePath);
    }

    static string? SameAs(string? value, string? known) => value == known ? known : value;

    RuntimeContainer? FindLegacyOwner(LegacyEntry e, string? nameId)
    {
        if (_runtime is null) return null;
        if (nameId is not null) return _runtime.FindById(nameId);
        // A cut name: any instance kubelet would give this exact name; when the whole id was lost that is every instance, and the newest wins.
        return NewestClaimantOf(e.Name);
    }

    RuntimeContainer? NewestClaimantOf(string legacyName)
    {
        if (_runtime is null) return null;
        IndexClaimants(_runtime);
        return _claimants!.GetValueOrDefault(legacyName);
    }

    /// <summary>The legacy link name kubelet gives a container (from the index when it is there).</summary>
    string LegacyNameOf(RuntimeContainer c)
    {
        if (_runtime is not null) IndexClaimants(_runtime);
        return _legacyNames?.GetValueOrDefault(c) ?? KubeletPaths.LegacyLinkName(c.PodName, c.Namespace, c.ContainerName, c.Id);
    }

    /// <summary>
    /// Legacy link name → the newest instance kubelet would give it, and each instance's name (built once:
    /// a scan per name is quadratic).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void IndexClaimants(RuntimeSnapshot runtime)
    {
        if (_claimants is not null) return;
        var index = new Dictionary<string, RuntimeContainer>(runtime.Containers.Count, StringComparer.Ordinal);
        var names = new Dictionary<RuntimeContainer, string>(runtime.Containers.Count, ReferenceEqualityComparer.Instance);
        foreach (var c in runtime.ValidContainers)
        {
            if (!ExpectsLog(c)) continue;
            var name = names[c] = KubeletPaths.LegacyLinkName(c.PodName, c.Namespace, c.ContainerName, c.Id);
            if (!index.TryGetValue(name, out var newest) || RuntimeContainer.CompareByStart(newest, c) < 0) index[name] = c;
        }
        (_claimants, _legacyNames) = (index, names);
    }

    /// <summary>The shared part of a chain's verdict: loops, ends at nothing, directories, outside the roots. Null when the chain is sound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static ContainerLogLink? Verdict(Builder record, Resolution res)
    {
        var layout = record.Inspector._layout;
        switch (res.Outcome)
        {
            case ResolveOutcome.Loop:
                return record.Build(LinkStatus.Invalid, $"a link loop: more than {NodeRoot.MaxLinkHops} links followed from {record.NodePath}");
            case ResolveOutcome.NotFound:
                return record.Build(LinkStatus.Dangling, $"hop {res.Hops.Count}: {res.NodePath} does not exist");
            case ResolveOutcome.NotADirectory:
                return record.Build(LinkStatus.Dangling, $"hop {res.Hops.Count}: {NodePath.Parent(res.NodePath)} is not a directory");
            case ResolveOutcome.Resolved:
                break;
            default:
                return record.Build(LinkStatus.Invalid, $"the chain cannot be followed: {Posix.Describe(res.Errno)} at {res.NodePath}");
        }
        if (!layout.IsInsideRoots(res.NodePath))
            return record.Build(LinkStatus.Unsafe, $"resolves outside the node's log roots, to {res.NodePath} (roots: {layout.DescribeRoots()})");
        if (res.Status.Kind == FileKind.Directory)
            return record.Build(LinkStatus.Invalid, $"resolves to a directory, not to a log file: {res.NodePath}");
        if (res.Status.Kind != FileKind.RegularFile)
            return record.Build(LinkStatus.Invalid, $"resolves to a {Describe(res.Status.Kind)}, not to a log file: {res.NodePath}");
        return null;
    }

    /// <param name="found">The instance's record so far, when rotated siblings of the missing file were found.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ContainerLogLink MissingPodLog(PodRef pod, RuntimeContainer c, string file, Builder? found = null)
    {
        var record = found ?? new Builder(this, pod, c.ContainerName, c.Attempt, file, LogEntryKind.PodLog) { Owner = c, LinkType = LinkType.None };
        if (pod.NameTooLong)
            return record.Build(LinkStatus.Missing,
                $"the pod directory name is over {KubeletPaths.MaxFileNameBytes} bytes: kubelet cannot create it and this pod has no logs (kubernetes#80042)", nameTooLong: true);
        if (_runtime!.Kind == RuntimeKind.Cri)
        {
            // kubelet's log manager calls ReopenContainerLog when a running container's file is missing (processContainer).
            if (c.State == ContainerState.Running)
                return record.Build(LinkStatus.Missing, $"no {c.Attempt}.log yet; kubelet asks the runtime to reopen it within containerLogMonitorInterval (10s by default): {Describe(c)}" + PodDirectoryNote(pod), transient: true);
            return record.Build(LinkStatus.Missing, $"the log is gone; the runtime does not write it again for a container that is not running: {Describe(c)}" + PodDirectoryNote(pod));
        }
        var reason = c.LogPath is not null && NodePath.Clean(c.LogPath) != file
            ? $"no {c.Attempt}.log link to the json log, and the container's logpath label is not kubelet's path, so it is not trusted and not repaired: {Describe(c)}, label '{c.LogPath}', json log {c.DockerJsonLogPath}"
            : $"no {c.Attempt}.log link to the json log; Repair-ContainerLogLink{(pod.Exists ? "" : " -Force")} creates it: {Describe(c)}, json log {c.DockerJsonLogPath}";
        return record.Build(LinkStatus.Missing, reason + PodDirectoryNote(pod));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    ContainerLogLink MissingLegacy(RuntimeContainer c, string name)
    {
        var nodePath = NodePath.Combine(_layout.ContainerLogsDirectory.Configured, name);
        var record = new Builder(this, null, c.ContainerName, c.Attempt, nodePath, LogEntryKind.Legacy)
        {
            Namespace = c.Namespace, PodName = c.PodName, PodUid = c.PodUid, Owner = c, LinkType = LinkType.None,
            IsTruncated = KubeletPaths.IsLegacyLinkNameCut(c.PodName, c.Namespace, c.ContainerName, c.Id),
        };
        var target = _runtime!.LogFileOf(c);
        var targetExists = Root.Resolve(target).IsResolved;
        return record.Build(LinkStatus.Missing, targetExists
            ? $"no legacy link; Repair-ContainerLogLink creates it: {Describe(c)}"
            : $"no legacy link, and its target is missing too (repairing that comes first): {Describe(c)}, target {target}");
    }

    string PodDirectoryNote(PodRef pod) =>
        pod.Exists ? "" : $"; the pod directory {pod.NodePath} does not exist (kubelet removes it when the pod is deleted), so a repair needs -Force";

    /// <param name="located">Where the entry is, its directory's parents resolved.</param>
    ContainerLogLink NotKubelets(PodRef pod, string? container, string nodePath, FileKind kind, string why, string located)
    {
        var record = new Builder(this, pod, container, null, nodePath, LogEntryKind.PodLog)
        {
            Exists = true,
            Located = located,
            LinkType = kind switch { FileKind.SymbolicLink => LinkType.SymbolicLink, FileKind.RegularFile => LinkType.File, FileKind.Directory => LinkType.Directory, _ => LinkType.Other },
        };
        if (kind == FileKind.SymbolicLink && Root.LStat(nodePath, out _, out var hop) is null) record.SetChain(Root.Resolve(nodePath), hop);
        return record.Build(LinkStatus.Invalid, $"not kubelet's, left alone: {NodePath.FileName(nodePath)} {why}");
    }

    /// <summary>
    /// A chain stopped by the reader's own limits (permission, I/O), not by the node: no verdict can be made from it,
    /// and a non-root user must not be told a healthy link is broken.
    /// </summary>
    static bool IsUnreadable(Resolution res) => res.Outcome is ResolveOutcome.AccessDenied or ResolveOutcome.Error;

    ContainerLogLink? Unreadable(IPodLogsReporter reporter, Builder record, Resolution res)
    {
        if (res.Outcome == ResolveOutcome.NotFound) return null; // vanished mid-scan
        reporter.Error(new PodLogsFailure(ErrorIds.Selection.LogEntryUnreadable, res.Outcome == ResolveOutcome.AccessDenied ? FailureCategory.PermissionDenied : FailureCategory.ReadError,
            $"Cannot inspect {record.NodePath}: {Posix.Describe(res.Errno)} at {res.NodePath}.", Root.ToLocal(record.NodePath)));
        return null;
    }

    void ReportUnreadable(IPodLogsReporter reporter, string nodePath, int errno) => reporter.Error(PodLogsFailure.DirectoryUnreadable(Root, nodePath, errno));

    FileKind LStatKind(string nodePath) => Root.LStat(nodePath, out var s) is null ? s.Kind : FileKind.None;

    /// <summary>The container id a docker json log path names: the string docker's listing made for it when there is one (a scan keeps thousands).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    string? DockerJsonId(string nodePath)
    {
        var start = DockershimNames.ContainerIdOffsetInJsonLogPath(_layout.DockerDataRoot.Canonical, nodePath);
        if (start < 0) start = DockershimNames.ContainerIdOffsetInJsonLogPath(_layout.DockerDataRoot.Configured, nodePath);
        if (start < 0) return null;
        return Root.ListedSubdirectory(nodePath, start, DockershimNames.ContainerIdLength) ?? nodePath.Substring(start, DockershimNames.ContainerIdLength);
    }

    /// <summary>Whether a raw link text points into docker's data root (either spelling).</summary>
    bool IntoDockerRoot(string? target) =>
        target is not null && NodePath.IsAbsolute(target) && _layout.DockerDataRoot.Contains(NodePath.Clean(target));

    /// <summary>Where the last hop pointed (the path that was not found).</summary>
    static string ChainEnd(Resolution res)
    {
        if (res.Hops.Count == 0) return res.NodePath;
        var last = res.Hops[^1];
        return NodePath.IsAbsolute(last.Target) ? last.Target : NodePath.Combine(NodePath.Parent(last.NodePath), last.Target);
    }

    static int CompareRotated(string a, string b) => string.CompareOrdinal(a, b);

    internal static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "FIFO",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        FileKind.RegularFile => "regular file",
        FileKind.Directory => "directory",
        FileKind.SymbolicLink => "symbolic link",
        _ => "special file",
    };

    static string Describe(RuntimeContainer c) => $"container {Short(c.Id)} ({c.ContainerName}, restart {c.Attempt}, {StateWords[(int)c.State]})";

    static readonly string[] StateWords = Enum.GetNames<ContainerState>().Select(n => n.ToLowerInvariant()).ToArray();

    const int ShortIdLength = 12;

    internal static string Short(string id) => id.Length > ShortIdLength ? id[..ShortIdLength] : id;

    /// <summary>
    /// One pod's records and what inspecting it reported, in their order: made on any thread, replayed on the
    /// caller's (a cmdlet may write only from its pipeline thread).
    /// </summary>
    sealed class PodOutput(LogSelection selection, bool trackPresent) : IPodLogsReporter
    {
        readonly List<ContainerLogLink> _records = [];
        List<(int Before, Action<IPodLogsReporter> Report)>? _reports;

        /// <summary>The node paths of the pod directory's entries, selected or not (when the runtime expects instances).</summary>
        public HashSet<string>? Present { get; } = trackPresent ? new(StringComparer.Ordinal) : null;

        /// <summary>An entry of the pod directory: present, and output when its container id is selected.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void AddEntry(ContainerLogLink record)
        {
            Present?.Add(record.NodePath);
            if (selection.MatchesContainerId(record.ContainerId)) _records.Add(record);
        }

        public void Add(ContainerLogLink record) => _records.Add(record);
        public void Error(PodLogsFailure failure) => Buffer(r => r.Error(failure));
        public void Warning(string message) => Buffer(r => r.Warning(message));
        public void Verbose(string message) => Buffer(r => r.Verbose(message));
        void Buffer(Action<IPodLogsReporter> report) => (_reports ??= []).Add((_records.Count, report));

        public IEnumerable<ContainerLogLink> Replay(IPodLogsReporter reporter)
        {
            var next = 0;
            for (var i = 0; i <= _records.Count; i++)
            {
                for (; _reports is not null && next < _reports.Count && _reports[next].Before == i; next++) _reports[next].Report(reporter);
                if (i < _records.Count) yield return _records[i];
            }
        }
    }

    /// <summary>
    /// Collects one record's facts while it is inspected. A struct, passed by value: each method that is handed one
    /// finishes it (a scan makes thousands, and as objects they were a tenth of what it allocated).
    /// </summary>
    struct Builder(LinkInspector inspector, PodRef? pod, string? container, int? restartCount, string nodePath, LogEntryKind kind)
    {
        public LinkInspector Inspector { get; } = inspector;
        public string NodePath { get; } = nodePath;
        public string? Namespace { get; set; } = pod?.Namespace;
        public string? PodName { get; set; } = pod?.PodName;
        public string? PodUid { get; set; } = pod?.PodUid;
        public RuntimeContainer? Owner { get; set; }
        public string? NameId { get; set; }
        /// <summary>What a cut legacy name kept of the id.</summary>
        public string? NamePrefix { get; set; }
        public string? TargetId { get; set; }
        public bool Exists { get; set; }
        /// <summary>Where an existing entry is, its parents resolved: its local path is made from this, so no link among them is left for the host to follow.</summary>
        public string? Located { get; set; }
        public LinkType LinkType { get; set; }
        public string? Target { get; set; }
        public string? Resolved { get; set; }
        public IReadOnlyList<LinkHop> Chain { get; set; } = [];
        public bool IsTruncated { get; set; }
        public IReadOnlyList<string> Rotated { get; set; } = [];
        public IReadOnlyList<string> Leftover { get; set; } = [];
        public long Bytes { get; set; }
        public long? TargetBytes { get; set; }

        /// <param name="located">The entry's node path with its parents resolved: its own hop's path in the chain.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void SetChain(Resolution res, string located)
        {
            Chain = res.Hops;
            Target = null;
            for (var i = 0; i < res.Hops.Count; i++)
                if (res.Hops[i].NodePath == located)
                {
                    Target = res.Hops[i].Target;
                    break;
                }
            Resolved = res.IsResolved ? res.NodePath : null;
        }

        /// <summary>The record, with a reason put together only when it is read (see <see cref="ContainerLogLink.SetReason"/>).</summary>
        public ContainerLogLink Build(LinkStatus status, string reasonHead, string reasonTail, int tailLength = int.MaxValue)
        {
            var record = Build(status, reasonHead);
            record.SetReason(reasonHead, reasonTail, tailLength);
            return record;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public ContainerLogLink Build(LinkStatus status, string reason, bool nameTooLong = false, bool transient = false) => new()
        {
            Kind = kind,
            Namespace = Namespace,
            PodName = PodName,
            PodUid = PodUid,
            ContainerName = container,
            RestartCount = restartCount,
            ContainerId = Owner?.Id ?? NameId ?? (NamePrefix is { } prefix && TargetId?.StartsWith(prefix, StringComparison.Ordinal) != true ? prefix : TargetId),
            State = Owner?.State ?? ContainerState.Unknown,
            Root = Inspector.Root.LocalRoot,
            NodeNameSource = Inspector.Root.NodeName,
            FullName = Inspector.Root.ToLocal(Located ?? NodePath),
            NodePath = NodePath,
            Exists = Exists,
            LinkType = LinkType,
            Target = Target,
            ResolvedTarget = Resolved,
            Chain = Chain,
            Status = status,
            Reason = reason,
            IsTruncated = IsTruncated,
            IsTransient = transient,
            RestartCountInferred = Owner?.AttemptInferred ?? false,
            NameTooLong = nameTooLong || (pod?.NameTooLong ?? false),
            Layout = pod?.Layout ?? PodLogLayout.Current,
            RotatedFiles = Rotated,
            LeftoverFiles = Leftover,
            TotalBytes = Bytes,
            TargetBytes = TargetBytes,
            Source = Inspector._runtime?.Source,
            Owner = Owner,
        };
    }
}
