using PodLogs.Core.Node;
using PodLogs.Core.Repair;

namespace PodLogs.Core.Removal;

/// <summary>
/// Carries out a removal plan through <see cref="PlanRunner"/>, removing each entry only if it is still what was planned
/// (<see cref="EntryRemover"/>); each entry removed is one record, with the processes that still hold its files open.
/// </summary>
public sealed class RemovalExecutor(NodeLayout layout, IPodLogsReporter reporter, HeldOpenFiles? heldOpen = null)
{
    public IEnumerable<LogRemovalResult> Execute(RemovalPlan plan, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken = default) =>
        PlanRunner.Run(plan.Refusals, plan.Steps, reporter, shouldProcess, Describe, Remove, cancellationToken);

    (string, string) Describe(RemovalStep step) => (layout.Root.ToLocal(step.NodePath), step.Kind switch
    {
        RemovalKind.Link => $"Remove link to {step.LinkTarget}",
        RemovalKind.LeftoverFile => $"Remove kubelet's rotation leftover ({step.Bytes} bytes)",
        _ => $"Remove directory and everything in it ({step.Bytes} bytes)",
    });

    (LogRemovalResult?, PodLogsFailure?) Remove(RemovalStep step)
    {
        if (EntryRemover.Remove(layout.Root, step, out var removed) is { } failure) return (null, failure);
        var (holders, heldBytes) = (heldOpen ?? HeldOpenFiles.None).Within(step);
        if (holders.Count > 0)
            reporter.Warning(DisplayText.Escape($"{step.NodePath} is removed, but {string.Join(", ", holders)} still holds {heldBytes} bytes of it open: that disk is freed only when the process closes the files (or restarts)."));
        var request = step.Request;
        return (new LogRemovalResult
        {
            Kind = step.Kind,
            Namespace = request.Namespace,
            PodName = request.PodName,
            PodUid = request.PodUid,
            ContainerName = request.ContainerName,
            RestartCount = request.RestartCount,
            Root = layout.Root.LocalRoot,
            NodeNameLookup = layout.Root.NodeName,
            FullName = layout.Root.ToLocal(step.NodePath),
            NodePath = step.NodePath,
            Target = step.LinkTarget,
            Bytes = removed.Bytes,
            HeldOpenBytes = Math.Min(heldBytes, removed.Bytes),
            HeldOpenBy = holders,
            Entries = removed.Entries,
            Reason = request.Reason,
        }, null);
    }
}
