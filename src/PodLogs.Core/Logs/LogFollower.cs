namespace PodLogs.Core.Logs;

/// <summary>
/// Follow mode (<c>-Follow</c>): yields what a live log holds, then keeps reading as it grows, across
/// kubelet's rotation (rename to <c>N.log.&lt;ts&gt;</c>, then a new <c>N.log</c> from CRI
/// <c>ReopenContainerLog</c>), docker's own rotation (<c>&lt;id&gt;-json.log</c> → <c>.1</c>) and
/// docker's in-place truncation (max-file 1) — nothing lost, nothing repeated, in file order.
/// </summary>
/// <remarks>
/// Every file that has been at <c>liveFile</c>'s name is held open by descriptor, oldest first, as soon
/// as it is seen: a file rotated away (even renamed again or removed) is still read to its end. The
/// oldest is read until a newer one has been known for <c>rotationGrace</c> and the oldest is at its
/// end (the runtime writes to its old descriptor until it reopens); only then does reading move on.
/// </remarks>
public static class LogFollower
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan DefaultRotationGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads <paramref name="liveFile"/> from its start and follows it.
    /// </summary>
    /// <param name="liveFile">Local path of the live log (<c>N.log</c> or docker's <c>&lt;id&gt;-json.log</c>), not a link.</param>
    /// <param name="options">Filters (Streams, Since/Until as plain filters, Match), merging, MaxLineBytes. Tail is the caller's business.</param>
    /// <param name="stillRunning">Asked when there is nothing to read; false ends the enumeration after every held file is drained. Null: follow until cancelled.</param>
    /// <param name="cancellationToken">Stops at once, with <see cref="OperationCanceledException"/>.</param>
    /// <param name="pollInterval">How long to sleep when idle (default 200 ms).</param>
    /// <param name="rotationGrace">How long a rotated file is still drained after its successor appeared (default 2 s).</param>
    /// <param name="door">Where <paramref name="liveFile"/>'s directory is under -Root: every (re)open walks it again from the root's descriptor.</param>
    public static IEnumerable<LogLine> Follow(string liveFile, LogReadOptions options, IPodLogsReporter reporter, Func<bool>? stillRunning,
        CancellationToken cancellationToken, TimeSpan? pollInterval = null, TimeSpan? rotationGrace = null, LogDoor? door = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return Session(liveFile, options, stillRunning, pollInterval, rotationGrace, door).Run(reporter, cancellationToken);
    }

    /// <summary>
    /// Begins following <paramref name="liveFile"/> now: the file at the name is held from this moment (and
    /// the name watched), and <see cref="LogFollow.History"/> says what to read first — the rotated siblings
    /// and the live file up to a line end where no partial line is open — with <c>-Tail</c>, <c>-Since</c> or
    /// whole; <see cref="LogFollow.Lines"/> then goes on from exactly there. A rotation while the history
    /// is read loses nothing: the history reads the held file through its descriptor.
    /// </summary>
    /// <param name="reporter">Gets what opening the live file reports (a missing file is waited for, with a warning).</param>
    /// <param name="door">Where <paramref name="liveFile"/>'s directory is under -Root: every (re)open walks it again from the root's descriptor.</param>
    public static LogFollow Begin(string liveFile, LogReadOptions options, IPodLogsReporter reporter, Func<bool>? stillRunning,
        TimeSpan? pollInterval = null, TimeSpan? rotationGrace = null, LogDoor? door = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var session = Session(liveFile, options, stillRunning, pollInterval, rotationGrace, door);
        return new LogFollow(session, session.Begin(reporter));
    }

    static FollowSession Session(string liveFile, LogReadOptions options, Func<bool>? stillRunning, TimeSpan? pollInterval, TimeSpan? rotationGrace, LogDoor? door)
    {
        ArgumentException.ThrowIfNullOrEmpty(liveFile);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var poll = pollInterval ?? DefaultPollInterval;
        var grace = rotationGrace ?? DefaultRotationGrace;
        if (poll <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(pollInterval));
        if (grace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(rotationGrace));
        return new FollowSession(liveFile, options, stillRunning, poll, grace, door);
    }
}
