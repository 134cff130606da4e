using PodLogs.Core.Node;
using PodLogs.Core.Repair;

namespace PodLogs.Core.Removal;

/// <summary>
/// Carries out a removal plan through <see cref="PlanRunner"/>, removing each entry only if it is still what was planned
/// (<see cref="EntryRemover"/>); each entry removed is one record.
/// </summary>
public sealed class RemovalExecutor(NodeLayout layout, IPodLogsReporter reporter)
{
    public IEnumerable<RemovedEntry> Execute(RemovalPlan plan, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken = default) =>
        PlanRunner.Run(plan.Refusals, plan.Steps, reporter, shouldProcess, Describe, Remove, cancellationToken);

    (string, string) Describe(RemovalStep step) => (layout.Root.ToLocal(step.NodePath), step.Kind == RemovalKind.Link
        ? $"Remove link to {step.LinkTarget}"
        : $"Remove directory and everything in it ({step.Bytes} bytes)");

    (RemovedEntry?, PodLogsFailure?) Remove(RemovalStep step) =>
        EntryRemover.Remove(layout.Root, step, out var removed) is { } failure
            ? (null, failure)
            : (new RemovedEntry(step.Kind, step.NodePath, layout.Root.ToLocal(step.NodePath), step.LinkTarget, removed.Bytes, removed.Entries), null);
}
