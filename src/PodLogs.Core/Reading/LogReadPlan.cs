namespace PodLogs.Core.Reading;

/// <summary>What a read would read, one target per container instance, and what it refuses and why. Data only: nothing has been read.</summary>
public sealed record LogReadPlan(IReadOnlyList<LogReadTarget> Targets, IReadOnlyList<PodLogsFailure> Failures);
