using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>
/// The legacy links directory read once per command: names parsed from the right, first hops read,
/// grouped by the pod they name so each pod's inspection finds its links without rescanning.
/// </summary>
public sealed class LegacyLinkIndex
{
    /// <summary>The entries no pod has claimed yet, by the pod they name.</summary>
    readonly Dictionary<(string Ns, string Pod), List<LegacyEntry>> _byPod = new();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LegacyLinkIndex(NodeLayout layout, IPodLogsReporter reporter)
    {
        var dirPath = layout.ContainerLogsDirectory.Configured;
        var dir = layout.Root.ResolveDirectory(dirPath);
        if (!dir.IsResolved)
        {
            if (dir.Outcome is ResolveOutcome.NotFound or ResolveOutcome.NotADirectory) reporter.Verbose($"The legacy links directory {dirPath} does not exist under the root.");
            else reporter.Error(PodLogsFailure.DirectoryUnreadable(layout.Root, dirPath, dir.Errno));
            return;
        }
        var errno = layout.Root.ReadDirectory(dir, out var entries);
        if (errno != 0)
        {
            reporter.Error(PodLogsFailure.DirectoryUnreadable(layout.Root, dirPath, errno));
            return;
        }
        var read = new LegacyEntry[entries.Count];
        var containersDir = NodePath.Combine(layout.DockerDataRoot.Canonical, "containers");
        // A readlink each, relative to the directory (a short lookup): read on every core, then grouped by pod, each
        // group in name order (a pod has a few links: sorting the groups is cheaper than sorting the directory).
        errno = layout.Root.OpenDirectory(dir, out var dirFd);
        if (errno != 0)
        {
            reporter.Error(PodLogsFailure.DirectoryUnreadable(layout.Root, dirPath, errno));
            return;
        }
        try
        {
            Parallel.For(0, entries.Count, i => read[i] = Read(layout, dirPath, dirFd, containersDir, entries[i], listed: dir.NodePath == dirPath));
        }
        finally
        {
            Posix.Close(dirFd);
        }
        _byPod.EnsureCapacity(read.Length / 2);
        foreach (var entry in read)
        {
            if (entry.Namespace is { } ns && entry.PodName is { } pod)
            {
                if (!_byPod.TryGetValue((ns, pod), out var list)) _byPod[(ns, pod)] = list = [];
                list.Add(entry);
            }
            else Unattributed.Add(entry);
        }
        foreach (var list in _byPod.Values)
            if (list.Count > 1) list.Sort(ByName);
        Unattributed.Sort(ByName);
    }

    static readonly Comparison<LegacyEntry> ByName = (a, b) => string.CompareOrdinal(a.NodePath, b.NodePath);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static LegacyEntry Read(NodeLayout layout, string dirPath, int dirFd, string containersDir, DirectoryEntry e, bool listed)
    {
        var nodePath = NodePath.Combine(dirPath, e.Name);
        LegacyLinkName? parsed = null;
        if (KubeletPaths.TryParseLegacyLinkName(e.Name, out var p))
        {
            // The id as docker's listing spelled it, when it lists it: records keep ids, and a scan keeps thousands.
            var idStart = e.Name.Length - KubeletPaths.LogSuffix.Length - p.ContainerIdPart.Length;
            parsed = p.ContainerIdPart.Length > 0 && layout.Root.ListedSubdirectory(containersDir, e.Name, idStart, p.ContainerIdPart.Length) is { } listedId
                ? p with { ContainerIdPart = listedId }
                : p;
        }
        string? raw = null;
        PodLogTarget? target = null;
        if (e.TypeHint is FileKind.SymbolicLink or FileKind.None && Posix.ReadLinkAt(dirFd, e.Name, out var t) == 0)
        {
            raw = t;
            target = PodLogTarget.Parse(layout, NodePath.IsAbsolute(t) ? t : NodePath.Combine(dirPath, t));
            // One string for what the name and the target both say (the usual case).
            if (target is not null && parsed is { } named)
                target = target with
                {
                    Namespace = SameAs(target.Namespace, named.Namespace),
                    PodName = SameAs(target.PodName, named.PodName),
                    ContainerName = SameAs(target.ContainerName, named.ContainerName),
                };
        }
        return new LegacyEntry(nodePath, e.TypeHint, parsed, raw, target, listed);
    }

    static string SameAs(string value, string? other) => value == other ? other : value;

    /// <summary>Entries whose name and target name no pod: reported as Invalid when the whole node is inspected.</summary>
    public List<LegacyEntry> Unattributed { get; } = [];

    /// <summary>
    /// Claims the links of one pod: those whose target names this uid, and those whose target names no uid.
    /// Claimed entries leave the index: a command reports each link once (a pod given twice gets its links the
    /// first time), and a scan holds each only while its pod is inspected.
    /// </summary>
    public List<LegacyEntry> For(PodRef pod)
    {
        var claimed = new List<LegacyEntry>();
        if (pod.Namespace is null || pod.PodName is null || !_byPod.TryGetValue((pod.Namespace, pod.PodName), out var list)) return claimed;
        list.RemoveAll(e =>
        {
            if (e.PodUid is { } uid && uid != pod.PodUid) return false;
            claimed.Add(e);
            return true;
        });
        if (list.Count == 0) _byPod.Remove((pod.Namespace, pod.PodName));
        return claimed;
    }

    /// <summary>(ns, pod, uid) of links no inspected pod has claimed yet.</summary>
    public IEnumerable<(string Namespace, string PodName, string? PodUid)> UnclaimedPods() =>
        Attributed.Select(e => (e.Namespace!, e.PodName!, e.PodUid)).Distinct();

    /// <summary>Every entry not claimed yet, attributed to a pod or not (all of them, before any <see cref="For"/>), in name order.</summary>
    public IEnumerable<LegacyEntry> All => Attributed.Concat(Unattributed);

    IEnumerable<LegacyEntry> Attributed => _byPod.Values.SelectMany(l => l).OrderBy(e => e.NodePath, StringComparer.Ordinal);
}
