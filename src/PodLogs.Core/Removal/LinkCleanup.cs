using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Removal;

/// <summary>
/// Which links and leftovers are dead, as kubelet's garbage collection judges them (issue #13 item 4; kubelet-facts.md
/// §11), from the inspector's records:
/// <list type="bullet">
/// <item>a dangling legacy link: when its pod's whole log directory is gone, on no one's word; else only on the runtime's
/// word that its container is not running (kubelet spares it then: N.log is briefly absent while it rotates) — and, erring
/// towards keeping where kubelet would not, not while the container still exists (a repair can make the link whole);</item>
/// <item>a pod directory's N.log link that no container of the runtime owns (docker rm), on the word of a runtime that
/// knows every container;</item>
/// <item>PodLogs' own temporary links (<c>.podlogs-*.lnk</c>) left by an interrupted write;</item>
/// <item>kubelet's rotation leftovers beside a live log (the planner checks a plain segment's <c>.gz</c> is whole).</item>
/// </list>
/// A regular log file (live or rotated) is never one of them, nor anything changed within the grace period.
/// </summary>
public sealed class LinkCleanup(NodeLayout layout, RuntimeSnapshot? runtime, RemovalGrace grace, IPodLogsReporter reporter)
{
    /// <summary>
    /// The entries to remove among <paramref name="records"/>. An entry <paramref name="named"/> says is the caller's own
    /// pick gets an error when it is kept; the others of a sweep are kept with a verbose note.
    /// </summary>
    public (List<RemovalRequest> Requests, List<PodLogsFailure> Refusals) Decide(IEnumerable<ContainerLogLink> records, Func<ContainerLogLink, bool> named)
    {
        var requests = new List<RemovalRequest>();
        var refusals = new List<PodLogsFailure>();
        foreach (var record in records)
        {
            var isNamed = named(record);
            var (request, refusal) = DecideLink(record, isNamed);
            if (request is not null) requests.Add(request);
            else if (refusal is not null && isNamed) refusals.Add(refusal);
            else if (refusal is not null) reporter.Verbose(refusal.Message);
            // An entry named by its path is the only thing judged of it; its leftovers go in a sweep of its pod or instance.
            if (record.Kind != LogEntryKind.PodLog || isNamed) continue;
            foreach (var leftover in record.LeftoverFiles)
            {
                var nodePath = NodePath.Combine(NodePath.Parent(record.NodePath), Path.GetFileName(leftover));
                if (Recent(nodePath) is { } recent) reporter.Verbose(recent.Message);
                else requests.Add(Request(record, nodePath, RemovalKind.LeftoverFile, nodePath.EndsWith(KubeletPaths.TmpSuffix, StringComparison.Ordinal)
                    ? "a compression kubelet did not finish (kubelet's cleanupUnusedLogs removes it)"
                    : "an uncompressed segment beside its whole .gz copy (kubelet's cleanupUnusedLogs removes it)"));
            }
        }
        return (requests, refusals);
    }

    (RemovalRequest?, PodLogsFailure?) DecideLink(ContainerLogLink r, bool isNamed)
    {
        if (r.LinkType != LinkType.SymbolicLink || r.Target is not { } target)
            return (null, isNamed ? InUse(r, r.LinkType == LinkType.None ? "there is nothing there" : "it is not a symbolic link (a regular log file is never removed on its own)") : null);
        string reason;
        if (Repair.LinkWriter.IsTemporaryLinkName(NodePath.FileName(r.NodePath)))
            reason = "a temporary link left by an interrupted PodLogs write";
        else if (r.Kind == LogEntryKind.Legacy && r.Status == LinkStatus.Dangling)
        {
            if (LegacyLinkReason(r, target) is var (why, refusal) && refusal is not null) return (null, refusal);
            reason = why!;
        }
        else if (r.Kind == LogEntryKind.PodLog && r.Status is LinkStatus.Dangling or LinkStatus.Orphaned)
        {
            if (runtime is not { KnowsEveryContainer: true })
                return (null, NoRuntimeWord(r, runtime is null ? "no runtime answered" : $"{runtime.SourceName} shows only running containers"));
            if (runtime.FindOwnerOfLogFile(r.NodePath) is { } owner)
                return (null, InUse(r, $"container {owner.ContainerName} ({Short(owner.Id)}, {owner.State}) still owns it: Repair-ContainerLogLink relinks it"));
            reason = $"no container of {runtime.SourceName} owns it (removed: docker rm?)";
        }
        else return (null, isNamed ? InUse(r, $"it is {r.Status}: {r.Reason}") : null);
        if (Recent(r.NodePath) is { } recent) return (null, recent);
        return (Request(r, r.NodePath, RemovalKind.Link, reason), null);
    }

    /// <summary>Why a dangling legacy link may go, or the refusal: its pod directory is gone, or its container is not running.</summary>
    (string?, PodLogsFailure?) LegacyLinkReason(ContainerLogLink r, string target)
    {
        var targetPath = NodePath.Clean(target.StartsWith('/') ? target : NodePath.Parent(r.NodePath) + "/" + target);
        if (PodLogTarget.Parse(layout, targetPath) is not null)
        {
            var podDirectory = NodePath.Parent(NodePath.Parent(targetPath));
            if (layout.Root.LStat(podDirectory, out _) is { Outcome: ResolveOutcome.NotFound })
                return ($"its pod's log directory {podDirectory} is gone", null);
        }
        if (runtime is null) return (null, NoRuntimeWord(r, "no runtime answered"));
        var id = r.ContainerId is { Length: > 0 } known ? known : null;
        var containers = (id is null
            ? runtime.Containers.Where(c => c.PodUid == r.PodUid && c.ContainerName == r.ContainerName)
            : runtime.FindByIdPrefix(id)).OrderByDescending(c => c.State == ContainerState.Running).ToList();
        if (containers.FirstOrDefault() is { State: ContainerState.Running } running)
            return (null, new(ErrorIds.Removal.ContainerRunning, FailureCategory.InvalidOperation,
                $"{r.NodePath} is kept: its container {running.ContainerName} ({Short(running.Id)}) is running, and kubelet spares such a link (its N.log is briefly absent while it rotates).", r.FullName));
        // Kubelet would remove it now; while the container and its log still exist, a repair can make it whole again.
        if (containers.FirstOrDefault() is { } exited && runtime.KnowsEveryContainer)
            return (null, InUse(r, $"its container {exited.ContainerName} ({Short(exited.Id)}, {exited.State}) still exists: Repair-ContainerLogLink restores its target, or remove the container first"));
        return ($"its target is gone and {runtime.SourceName} runs no container {(id is null ? r.ContainerName : Short(id))} of the pod", null);
    }

    PodLogsFailure? Recent(string nodePath) =>
        layout.Root.LStat(nodePath, out var status) is null ? grace.Refusal(layout.Root.ToLocal(nodePath), nodePath, status.LastWriteTime) : null;

    static RemovalRequest Request(ContainerLogLink r, string nodePath, RemovalKind kind, string reason) => new(nodePath, kind)
    {
        Namespace = r.Namespace,
        PodName = r.PodName,
        PodUid = r.PodUid,
        ContainerName = r.ContainerName,
        RestartCount = r.RestartCount,
        Reason = reason,
    };

    static PodLogsFailure InUse(ContainerLogLink r, string why) =>
        new(ErrorIds.Removal.EntryInUse, FailureCategory.InvalidOperation, $"{r.NodePath} is not dead and is kept: {why}.", r.FullName);

    static PodLogsFailure NoRuntimeWord(ContainerLogLink r, string why) =>
        new(ErrorIds.Removal.RuntimeWordRequired, FailureCategory.ResourceUnavailable,
            $"{r.NodePath} is kept: whether its container still exists or runs is the runtime's word, and {why} (see -Source).", r.FullName);

    static string Short(string id) => id[..Math.Min(12, id.Length)];
}
