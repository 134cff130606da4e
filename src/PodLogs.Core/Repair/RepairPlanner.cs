using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Repair;

/// <summary>
/// Decides, from freshly inspected entries, which links to create or replace, the way dockershim /
/// cri-dockerd (<c>createContainerLogSymlink</c>: label path → LogPath) and kubelet (legacy link, only when
/// its target exists) make them. Paths are recomputed from identities, never taken from input, and the
/// runtime's claims are checked against what kubelet would have built.
/// </summary>
public sealed class RepairPlanner(LinkInspector inspector)
{
    static readonly LinkStatus[] Repairable = [LinkStatus.Missing, LinkStatus.Dangling, LinkStatus.Stale, LinkStatus.Unsafe];

    /// <param name="explicitSelection">The entries were named by the user: entries the repair does not handle are refused, not skipped.</param>
    public RepairPlan Plan(IEnumerable<ContainerLogLink> entries, bool force, bool explicitSelection) =>
        Plan(entries, force, _ => explicitSelection);

    /// <param name="isNamed">Whether the user named this entry (then what the repair does not handle is refused, not skipped).</param>
    public RepairPlan Plan(IEnumerable<ContainerLogLink> entries, bool force, Func<ContainerLogLink, bool> isNamed)
    {
        var layout = inspector.Layout;
        var steps = new List<RepairStep>();
        var refusals = new List<PodLogsFailure>();
        var list = entries.ToList();
        var plannedFiles = new HashSet<string>(StringComparer.Ordinal);

        foreach (var e in list.Where(e => e.Kind == LogEntryKind.PodLog))
            if (PlanPodLog(e, force, isNamed(e)) is { } outcome)
            {
                if (outcome.Step is { } s) { steps.Add(s); plannedFiles.Add(s.NodePath); }
                if (outcome.Refusal is { } r) refusals.Add(r);
            }
        foreach (var e in list.Where(e => e.Kind == LogEntryKind.Legacy))
            if (PlanLegacy(e, plannedFiles, isNamed(e)) is { } outcome)
            {
                if (outcome.Step is { } s) steps.Add(s);
                if (outcome.Refusal is { } r) refusals.Add(r);
            }
        return new RepairPlan(steps, refusals);

        (RepairStep? Step, PodLogsFailure? Refusal)? PlanPodLog(ContainerLogLink e, bool force, bool named)
        {
            if (Skip(e, named, out var refusal)) return refusal is null ? null : (null, refusal);
            var c = e.Owner!;
            if (!inspector.Runtime!.LogLayout.LiveLogIsLink)
                return Refuse(e, ErrorIds.Repair.RuntimeOwnsLogFile, FailureCategory.InvalidOperation,
                    $"{e.NodePath} is the log file {inspector.Runtime.SourceName} writes itself for {Who(c)}, not a link; " +
                    (e.IsTransient ? "kubelet asks the runtime to reopen it within containerLogMonitorInterval." : "PodLogs does not write log files."));
            if (e.NameTooLong)
                return Refuse(e, ErrorIds.Repair.PodDirectoryNameTooLong, FailureCategory.LimitsExceeded,
                    $"{e.NodePath} cannot exist: the pod directory name is over {KubeletPaths.MaxFileNameBytes} bytes (kubernetes#80042).");
            var file = RuntimeSnapshot.ExpectedLogFile(layout, c);
            if (file != e.NodePath)
                return Refuse(e, ErrorIds.Repair.NotAKubeletLogPath, FailureCategory.InvalidArgument, $"{e.NodePath} is not the path kubelet builds for {Who(c)} ({file}).");
            if (c.LogPath != file)
                return Refuse(e, ErrorIds.Repair.LabelPathMismatch, FailureCategory.SecurityError,
                    $"{Who(c)} says its log belongs at '{c.LogPath}' (label {DockershimNames.LogPathLabel}), but kubelet builds '{file}' from its identity; its labels are not trusted and nothing was written.");
            var json = inspector.Runtime.LogLayout.OwnLogOf(layout, c);
            if (c.DockerJsonLogPath != json)
                return Refuse(e, ErrorIds.Repair.LogPathMismatch, FailureCategory.SecurityError,
                    $"{Who(c)} says its json log is '{c.DockerJsonLogPath}', not '{json}'; PodLogs links only to docker's own json-file path.");
            if (!layout.Root.Resolve(json).IsResolved)
                return Refuse(e, ErrorIds.Repair.ContainerLogGone, FailureCategory.ObjectNotFound, $"The json log of {Who(c)} ({json}) is gone; there is nothing to link {e.NodePath} to.");
            if (NotTheContainersLog(e, c, json) is { } unsafeEnd) return (null, unsafeEnd);
            if (e.Exists && e.LinkType != LinkType.SymbolicLink)
                return InTheWay(e);
            var podDir = KubeletPaths.BuildPodLogsDirectory(layout.PodLogsDirectory.Configured, c.Namespace, c.PodName, c.PodUid);
            var podDirExists = layout.Root.Resolve(podDir, followFinal: false).IsResolved;
            if (!podDirExists && !force)
                return Refuse(e, ErrorIds.Repair.PodDirectoryRemoved, FailureCategory.ObjectNotFound,
                    $"The pod directory {podDir} does not exist (kubelet removes it when the pod is deleted); use -Force to recreate it for {Who(c)}.");
            if (e.Exists && e.Target == json) return null;
            return (new RepairStep(LogEntryKind.PodLog, file, e.Exists ? RepairAction.Replaced : RepairAction.Created, json, e.Target, c, !podDirExists, inspector.Runtime.Kind), null);
        }

        (RepairStep? Step, PodLogsFailure? Refusal)? PlanLegacy(ContainerLogLink e, HashSet<string> planned, bool named)
        {
            if (Skip(e, named, out var refusal)) return refusal is null ? null : (null, refusal);
            var c = e.Owner!;
            var path = KubeletPaths.LegacyLinkPath(layout.ContainerLogsDirectory.Configured, c.PodName, c.Namespace, c.ContainerName, c.Id);
            if (path != e.NodePath)
                return Refuse(e, ErrorIds.Repair.NotAKubeletLogPath, FailureCategory.InvalidArgument, $"{e.NodePath} is not the legacy link kubelet names for {Who(c)} ({path}).");
            var target = RuntimeSnapshot.ExpectedLogFile(layout, c);
            var targetWillExist = planned.Contains(target);
            if (!targetWillExist && !layout.Root.Resolve(target).IsResolved)
                return Refuse(e, ErrorIds.Repair.LinkTargetMissing, FailureCategory.ObjectNotFound,
                    $"Kubelet creates {e.NodePath} only when its target exists, and {target} does not ({e.Reason}).");
            if (!targetWillExist && NotTheContainersLog(e, c, target) is { } unsafeEnd) return (null, unsafeEnd);
            if (e.Exists && e.LinkType != LinkType.SymbolicLink) return InTheWay(e);
            if (e.Exists && e.Target == target)
                return targetWillExist ? null : Refuse(e, ErrorIds.Repair.ChainNotRepairable, FailureCategory.InvalidOperation,
                    $"{e.NodePath} already links to {target}; the chain breaks further on and that hop cannot be repaired: {e.Reason}.");
            return (new RepairStep(LogEntryKind.Legacy, path, e.Exists ? RepairAction.Replaced : RepairAction.Created, target, e.Target, c, false, inspector.Runtime!.Kind), null);
        }

        PodLogsFailure? NotTheContainersLog(ContainerLogLink e, RuntimeContainer c, string start) =>
            LogChainEnd.Check(layout, inspector.Runtime!.Kind, c, start, $"nothing was written at {e.NodePath}") is { } w ? new PodLogsFailure(w.ErrorId, w.Category, w.Message, e.FullName) : null;

        bool Skip(ContainerLogLink e, bool named, out PodLogsFailure? refusal)
        {
            refusal = null;
            if (e.Status == LinkStatus.Healthy) return true;
            if (!Repairable.Contains(e.Status))
            {
                if (named) refusal = Failure(e, ErrorIds.Repair.NotRepairable, FailureCategory.InvalidOperation,
                    $"{e.NodePath} is {e.Status}: {e.Reason}. Repair-ContainerLogLink creates and relinks; it does not remove entries.");
                return true;
            }
            if (e.Owner is null)
            {
                refusal = inspector.Runtime is null
                    ? Failure(e, ErrorIds.Repair.NoRuntimeState, FailureCategory.ObjectNotFound,
                        $"{e.NodePath} is {e.Status} ({e.Reason}), and no runtime state is present under the root to say what it should link to.")
                    : e.Status == LinkStatus.Dangling
                        ? Failure(e, ErrorIds.Repair.ContainerLogGone, FailureCategory.ObjectNotFound,
                            $"{e.NodePath} is dangling and no container owns it any more: the log is gone. Kubelet's garbage collection removes such links ({e.Reason}).")
                        : Failure(e, ErrorIds.Repair.NoOwningContainer, FailureCategory.ObjectNotFound,
                            $"{e.NodePath} is {e.Status} ({e.Reason}), and no container the runtime knows owns this path.");
                return true;
            }
            return false;
        }
    }

    static (RepairStep?, PodLogsFailure?) InTheWay(ContainerLogLink e) => e.LinkType == LinkType.File
        ? Refuse(e, ErrorIds.Repair.RegularFileInTheWay, FailureCategory.ResourceExists, $"{e.NodePath} is a regular file; PodLogs never deletes or overwrites a regular log file.")
        : Refuse(e, ErrorIds.Repair.EntryInTheWay, FailureCategory.ResourceExists, $"{e.NodePath} is a {e.LinkType.ToString().ToLowerInvariant()}, not a link; PodLogs leaves it alone.");

    static (RepairStep?, PodLogsFailure?) Refuse(ContainerLogLink e, string id, FailureCategory category, string message) =>
        (null, Failure(e, id, category, message));

    static PodLogsFailure Failure(ContainerLogLink e, string id, FailureCategory category, string message) => new(id, category, message, e.FullName);

    internal static string Who(RuntimeContainer c) => $"container {VerdictText.Short(c.Id)} ({c.Namespace}/{c.PodName} {c.ContainerName}, restart {c.RestartCount})";
}
