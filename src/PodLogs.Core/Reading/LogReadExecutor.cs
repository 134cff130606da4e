namespace PodLogs.Core.Reading;

/// <summary>
/// Reads a plan's targets: what each holds, merged by time, each container within its own -LimitBytes
/// (<see cref="ByteBudget"/>); followed, then what they write as it comes, one follower thread per container, the
/// lines handed out on the caller's thread. Which reader opens a target is the caller's (<see cref="ReadableLog"/>).
/// </summary>
public static class LogReadExecutor
{
    /// <summary>What the targets hold now, merged by time.</summary>
    public static IEnumerable<ContainerLogLine> Read(IReadOnlyList<LogReadTarget> targets, Func<LogReadTarget, ReadableLog> open, long? limitBytes,
        CancellationToken cancellationToken) =>
        LogMerge.ByTime(targets.Select(t => ByteBudget.Of(limitBytes).Limit(open(t).History(), t.Origin)).ToList(), cancellationToken);

    /// <summary>
    /// Begins following every target (<paramref name="begin"/>, in order), then yields what they hold, merged by time,
    /// then what they write, as it comes; every follower is released at the end, however reading ends.
    /// </summary>
    public static IEnumerable<ContainerLogLine> Follow(IReadOnlyList<LogReadTarget> targets, Func<LogReadTarget, ReadableLog> begin, long? limitBytes,
        IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        var follows = new List<(ReadableLog Log, ContainerLogOrigin Origin, ByteBudget Budget)>();
        try
        {
            foreach (var t in targets) follows.Add((begin(t), t.Origin, ByteBudget.Of(limitBytes)));
            foreach (var line in LogMerge.ByTime(follows.Select(f => f.Budget.Limit(f.Log.History(), f.Origin)).ToList(), cancellationToken))
                yield return line;
            foreach (var line in LogInterleave.AsTheyCome(follows.Select(f => (Func<IPodLogsReporter, CancellationToken, IEnumerable<ContainerLogLine>>)(
                         (r, ct) => f.Budget.Limit(f.Log.Lines?.Invoke(r, ct) ?? [], f.Origin))).ToList(), reporter, cancellationToken))
                yield return line;
        }
        finally
        {
            foreach (var f in follows) f.Log.Follower?.Dispose();
        }
    }
}
