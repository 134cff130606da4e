using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Computes items 0..n-1 on worker threads, at most <see cref="Window"/> ahead of the consumer, and hands them
/// out in order: the work runs on several cores while the output keeps the sequential order. A consumer that
/// has to wait computes the next unclaimed item itself, so it never idles behind a thread pool that is slow to
/// start a worker. Disposing stops the workers and waits for them: nothing runs after the enumeration ends.
/// </summary>
sealed class OrderedPrefetch<T> : IDisposable where T : class
{
    /// <summary>How far the workers may run ahead (bounds memory; the consumer streams its output meanwhile).</summary>
    const int Window = 64;

    readonly Func<int, T> _compute;
    readonly CancellationToken _cancellation;
    readonly (T? Item, ExceptionDispatchInfo? Failure, bool Done)[] _slots;
    readonly object _gate = new();
    readonly Task[] _workers;
    int _next;
    int _taken;
    bool _stopped;

    public OrderedPrefetch(int count, Func<int, T> compute, CancellationToken cancellation)
    {
        _compute = compute;
        _cancellation = cancellation;
        _slots = new (T?, ExceptionDispatchInfo?, bool)[count];
        // The consumer works too; more than a few workers only wait on it (it writes every record).
        var workers = Math.Min(Math.Min(Environment.ProcessorCount - 1, 3), count - 1);
        _workers = new Task[Math.Max(workers, 0)];
        for (var i = 0; i < _workers.Length; i++) _workers[i] = Task.Run(Work, CancellationToken.None);
    }

    /// <summary>Item <paramref name="index"/>; called with 0, 1, 2, … in order. A failure computing it is rethrown here.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public T Take(int index)
    {
        while (true)
        {
            int claimed;
            lock (_gate)
            {
                while (!_slots[index].Done && _next > index && !CanClaim()) Monitor.Wait(_gate);
                if (_slots[index].Done)
                {
                    var (item, failure, _) = _slots[index];
                    _slots[index] = default;
                    _taken = index + 1;
                    Monitor.PulseAll(_gate);
                    failure?.Throw();
                    return item!;
                }
                // Either the item itself is unclaimed, or a worker has it and this thread helps with the next one.
                claimed = _next++;
            }
            Compute(claimed);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
        Task.WaitAll(_workers);
    }

    /// <summary>Whether there is an item to start on: within the window, not stopped or cancelled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    bool CanClaim() => !_stopped && !_cancellation.IsCancellationRequested && _next < _slots.Length && _next < _taken + Window;

    void Work()
    {
        while (true)
        {
            int claimed;
            lock (_gate)
            {
                // Only the window makes a worker wait; the consumer's Take (or Dispose) wakes it.
                while (!CanClaim() && !_stopped && !_cancellation.IsCancellationRequested && _next < _slots.Length) Monitor.Wait(_gate);
                if (!CanClaim()) return;
                claimed = _next++;
            }
            Compute(claimed);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Compute(int index)
    {
        T? item = null;
        ExceptionDispatchInfo? failure = null;
        try
        {
            item = _compute(index);
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }
        lock (_gate)
        {
            _slots[index] = (item, failure, true);
            Monitor.PulseAll(_gate);
        }
    }
}
