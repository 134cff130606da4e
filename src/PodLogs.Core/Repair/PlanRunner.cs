namespace PodLogs.Core.Repair;

/// <summary>
/// The one loop every plan of changes to the node runs through (repair's and removal's): refusals reported, then each
/// step offered to <c>shouldProcess(target, action)</c> (the cmdlet's ShouldProcess, so -WhatIf and -Confirm hold) with
/// both texts escaped, as a hostile link text must not reach the console raw, then applied; a step that failed is
/// reported and the next one goes on.
/// </summary>
public static class PlanRunner
{
    public static IEnumerable<TResult> Run<TStep, TResult>(IEnumerable<PodLogsFailure> refusals, IEnumerable<TStep> steps,
        IPodLogsReporter reporter, Func<string, string, bool> shouldProcess, Func<TStep, (string Target, string Action)> describe,
        Func<TStep, (TResult? Result, PodLogsFailure? Failure)> apply, CancellationToken cancellationToken)
    {
        foreach (var refusal in refusals) reporter.Error(refusal);
        foreach (var step in steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (target, action) = describe(step);
            if (!shouldProcess(DisplayText.Escape(target), DisplayText.Escape(action))) continue;
            var (result, failure) = apply(step);
            if (failure is not null) reporter.Error(failure);
            else if (result is not null) yield return result;
        }
    }
}
