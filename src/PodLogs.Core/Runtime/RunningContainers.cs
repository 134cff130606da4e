namespace PodLogs.Core.Runtime;

/// <summary>
/// Which containers are still running, for followers that end when their container does: the runtime
/// source that answered at the start is read again on a timer. A container the first snapshot did not
/// know is followed until cancelled (no source can say it stopped). A read that fails changes nothing;
/// a source that now holds no Kubernetes containers means none is running.
/// </summary>
public sealed class RunningContainers : IDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);

    readonly RuntimeSnapshot _initial;
    readonly Func<CancellationToken, RuntimeSnapshot?> _read;
    readonly TimeSpan _interval;
    readonly CancellationTokenSource _stop = new();
    readonly Timer _timer;
    volatile HashSet<string> _running;

    /// <param name="read">Reads the same source again (from a timer thread: it must not write to a pipeline).</param>
    public RunningContainers(RuntimeSnapshot initial, Func<CancellationToken, RuntimeSnapshot?> read, TimeSpan? interval = null)
    {
        _initial = initial;
        _read = read;
        _interval = interval ?? DefaultInterval;
        _running = Running(initial);
        _timer = new Timer(_ => Poll(), null, _interval, Timeout.InfiniteTimeSpan);
    }

    /// <summary>For <see cref="Logs.LogFollower"/>: false once the container is no longer running; null when the runtime state does not know it.</summary>
    public Func<bool>? StillRunning(string? containerId)
    {
        if (containerId is null || _initial.FindById(containerId) is null) return null;
        return () => _running.Contains(containerId);
    }

    void Poll()
    {
        try { _running = Running(_read(_stop.Token)); }
        catch (Exception)
        {
            // unavailable for now (a daemon restarting, a state file being rewritten): ask again next time
            if (_stop.IsCancellationRequested) return;
        }
        try { _timer.Change(_interval, Timeout.InfiniteTimeSpan); }
        catch (ObjectDisposedException) { }
    }

    static HashSet<string> Running(RuntimeSnapshot? snapshot) =>
        snapshot is null ? [] : snapshot.Containers.Where(c => c.State == ContainerState.Running).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

    public void Dispose()
    {
        _stop.Cancel();
        _timer.Dispose();
    }
}
