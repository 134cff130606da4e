namespace PodLogs.Core.Removal;

/// <summary>
/// The cleanups' -GracePeriod: nothing that changed after <see cref="Cutoff"/> is removed (a pod being created, a
/// rotation under way, a repair writing its temporary link). The cutoff counts back from the moment the word to remove
/// was had (the pod list's time, else now).
/// </summary>
public sealed class RemovalGrace(TimeSpan grace, DateTimeOffset wordAt)
{
    public DateTimeOffset Cutoff { get; } = wordAt - grace;

    /// <summary>Why <paramref name="nodePath"/> is kept (changed at <paramref name="lastWrite"/>), or null when it is old enough.</summary>
    public PodLogsFailure? Refusal(string localPath, string nodePath, DateTimeOffset? lastWrite) =>
        lastWrite is { } at && at > Cutoff
            ? new(ErrorIds.Removal.WithinGracePeriod, FailureCategory.ResourceUnavailable,
                $"{nodePath} changed at {at:u}, within the grace period (after {Cutoff:u}); it is kept. Pass a shorter -GracePeriod to remove it sooner.", localPath)
            : null;
}
