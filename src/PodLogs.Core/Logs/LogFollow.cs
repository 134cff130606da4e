namespace PodLogs.Core.Logs;

/// <summary>A follow begun by <see cref="LogFollower.Begin"/>: read <see cref="History"/>, then enumerate <see cref="Lines"/> (once).</summary>
public sealed class LogFollow : IDisposable
{
    readonly FollowSession _session;

    internal LogFollow(FollowSession session, IReadOnlyList<LogSegment> history)
    {
        _session = session;
        History = history;
    }

    /// <summary>The segments to read before following, oldest first; the live one ends where <see cref="Lines"/> begins.</summary>
    public IReadOnlyList<LogSegment> History { get; }

    /// <summary>What is written after <see cref="History"/>, as it comes; <paramref name="reporter"/> is called on the enumerating thread.</summary>
    /// <param name="cancellationToken">Stops at once, with <see cref="OperationCanceledException"/>.</param>
    public IEnumerable<LogLine> Lines(IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return _session.Run(reporter, cancellationToken);
    }

    /// <summary>Closes every held file and stops watching the name (also when <see cref="Lines"/> was never enumerated).</summary>
    public void Dispose() => _session.Close();
}
