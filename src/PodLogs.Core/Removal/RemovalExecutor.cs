using PodLogs.Core.Node;

namespace PodLogs.Core.Removal;

/// <summary>
/// Carries out a removal plan step by step, asking <c>shouldProcess(target, action)</c> first (the cmdlet's ShouldProcess,
/// so -WhatIf and -Confirm hold), and removing each entry only if it is still what was planned (<see cref="EntryRemover"/>).
/// Refusals and failures go to the reporter; each entry removed is one record.
/// </summary>
public sealed class RemovalExecutor(NodeLayout layout, IPodLogsReporter reporter)
{
    public IEnumerable<RemovedEntry> Execute(RemovalPlan plan, Func<string, string, bool> shouldProcess, CancellationToken cancellationToken = default)
    {
        foreach (var refusal in plan.Refusals) reporter.Error(refusal);
        foreach (var step in plan.Steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var action = step.Kind == RemovalKind.Link
                ? $"Remove link to {step.LinkTarget}"
                : $"Remove directory and everything in it ({step.Bytes} bytes)";
            // What -WhatIf and -Confirm print: a hostile link text must not reach the console raw.
            var fullName = layout.Root.ToLocal(step.NodePath);
            if (!shouldProcess(DisplayText.Escape(fullName), DisplayText.Escape(action))) continue;
            var failure = EntryRemover.Remove(layout.Root, step, out var removed);
            if (failure is not null)
            {
                reporter.Error(failure);
                continue;
            }
            yield return new RemovedEntry(step.Kind, step.NodePath, fullName, step.LinkTarget, removed.Bytes, removed.Entries);
        }
    }
}
