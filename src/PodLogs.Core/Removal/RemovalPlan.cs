namespace PodLogs.Core.Removal;

/// <summary>What a removal would do, and what it refuses and why. Data only: nothing has been removed.</summary>
public sealed record RemovalPlan(IReadOnlyList<RemovalStep> Steps, IReadOnlyList<PodLogsFailure> Refusals);
