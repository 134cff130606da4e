using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Repair;

/// <summary>
/// Carries out a repair plan through <see cref="PlanRunner"/>, re-checking each entry at the moment of acting.
/// </summary>
public sealed class RepairExecutor(NodeLayout layout, IPodLogsReporter reporter)
{
    public IEnumerable<LinkRepairResult> Execute(RepairPlan plan, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken = default) =>
        PlanRunner.Run(plan.Refusals, plan.Steps, reporter, shouldProcess, Describe, Repair, cancellationToken);

    (string, string) Describe(RepairStep step) => (layout.Root.ToLocal(step.NodePath), step.Action == RepairAction.Created
        ? $"Create link to {step.Target}" + (step.CreatesPodDirectory ? " (recreating the pod directory)" : "")
        : $"Replace link to {step.CurrentTarget} with link to {step.Target}");

    (LinkRepairResult?, PodLogsFailure?) Repair(RepairStep step)
    {
        if (Apply(step) is { } failure)
            return (null, new PodLogsFailure(failure.ErrorId, failure.Category, failure.Message, layout.Root.ToLocal(step.NodePath)));
        var c = step.Container;
        return (new LinkRepairResult
        {
            Action = step.Action,
            Kind = step.Kind,
            FullName = layout.Root.ToLocal(step.NodePath),
            NodePath = step.NodePath,
            Target = step.Target,
            PreviousTarget = step.CurrentTarget,
            Source = c.SourceName,
            ContainerId = c.Id,
            Namespace = c.Namespace,
            PodName = c.PodName,
            ContainerName = c.ContainerName,
            RestartCount = c.RestartCount,
            NodeNameLookup = layout.Root.NodeName,
            PodUid = c.PodUid,
            Root = layout.Root.LocalRoot,
        }, null);
    }

    WriteFailure? Apply(RepairStep step)
    {
        // Kubelet makes a legacy link only when its target exists (PR #60851). The plan counted on the
        // N.log step before it, which may have failed or been declined: check again now, afresh.
        if (step.Kind == LogEntryKind.Legacy)
        {
            layout.Root.ClearCache();
            if (!layout.Root.Resolve(step.Target).IsResolved)
                return new WriteFailure(ErrorIds.Repair.LinkTargetMissing, FailureCategory.ObjectNotFound,
                    $"Kubelet creates {step.NodePath} only when its target exists, and {step.Target} does not (its own repair did not happen); nothing was written.");
            if (LogChainEnd.Check(layout, step.Runtime, step.Container, step.Target, $"nothing was written at {step.NodePath}") is { } unsafeEnd) return unsafeEnd;
        }
        var (logRoot, components) = step.Kind == LogEntryKind.PodLog
            ? (layout.PodLogsDirectory.Configured, RelativeParents(layout.PodLogsDirectory.Configured, step.NodePath))
            : (layout.ContainerLogsDirectory.Configured, RelativeParents(layout.ContainerLogsDirectory.Configured, step.NodePath));
        // The pod directory only with -Force (planned as CreatesPodDirectory); the container directory as kubelet does.
        var failure = LinkWriter.OpenDirectory(layout.Root, logRoot, components, i => step.Kind == LogEntryKind.PodLog && (i == 1 || step.CreatesPodDirectory), out var dirfd,
            mayCreateLogRoot: step.Kind == LogEntryKind.Legacy);
        if (failure is not null) return failure;
        try
        {
            var name = NodePath.FileName(step.NodePath);
            failure = step.Action == RepairAction.Created
                ? LinkWriter.Create(dirfd, name, step.Target, step.NodePath)
                : LinkWriter.Replace(dirfd, name, step.CurrentTarget!, step.Target, step.NodePath);
            return failure;
        }
        finally
        {
            Posix.Close(dirfd);
        }
    }

    static string[] RelativeParents(string logRoot, string nodePath)
    {
        var parent = NodePath.Parent(nodePath);
        if (parent == logRoot) return [];
        return parent[(logRoot == "/" ? 1 : logRoot.Length + 1)..].Split('/');
    }
}
