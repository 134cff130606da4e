namespace PodLogs.Core.Repair;

/// <summary>What a repair would do, and what it refuses and why. Data only: nothing has been written.</summary>
public sealed record RepairPlan(IReadOnlyList<RepairStep> Steps, IReadOnlyList<PodLogsFailure> Refusals);
