using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace PodLogs.Core.Reading;

/// <summary>
/// Several followed containers at once: each source runs on its own thread and feeds one bounded queue,
/// so a container that writes nothing never holds up another; the caller's thread takes lines in the
/// order they arrive (each source's own order kept) and replays the sources' reports on itself.
/// </summary>
public static class LogInterleave
{
    /// <param name="sources">Each gets a reporter that is safe to call from its own thread, and a token that is cancelled
    /// when the enumeration ends (the caller's is linked to it); a source must stop promptly on it.</param>
    /// <param name="reporter">Called only on the enumerating thread.</param>
    /// <param name="capacity">Lines and reports waiting at most; a source that is further ahead waits.</param>
    public static IEnumerable<T> AsTheyCome<T>(IReadOnlyList<Func<IPodLogsReporter, CancellationToken, IEnumerable<T>>> sources, IPodLogsReporter reporter,
        CancellationToken cancellationToken, int capacity = 1024)
    {
        // not disposed: a source left behind in a system call may still touch them
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var queue = new BlockingCollection<Item<T>>(capacity);
        var running = sources.Count;
        var threads = new List<Task>(sources.Count);
        try
        {
            foreach (var source in sources)
            {
                threads.Add(Task.Factory.StartNew(() =>
                {
                    var forward = new QueueReporter<T>(queue, stop.Token);
                    try
                    {
                        foreach (var item in source(forward, stop.Token)) queue.Add(new Item<T>(item, null, null), stop.Token);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
                    catch (Exception ex)
                    {
                        try { queue.Add(new Item<T>(default, null, ExceptionDispatchInfo.Capture(ex)), stop.Token); }
                        catch (OperationCanceledException) { }
                    }
                    finally
                    {
                        if (Interlocked.Decrement(ref running) == 0) queue.CompleteAdding();
                    }
                }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            }
            if (sources.Count == 0) yield break;
            foreach (var item in queue.GetConsumingEnumerable(cancellationToken))
            {
                item.Failure?.Throw();
                if (item.Report is { } report) report(reporter);
                else yield return item.Value!;
            }
        }
        finally
        {
            stop.Cancel();
            // the sources stop at their next read or sleep; a source stuck in a system call is left behind
            if (Task.WaitAll([.. threads], TimeSpan.FromSeconds(5))) stop.Dispose();
        }
    }

    readonly record struct Item<T>(T? Value, Action<IPodLogsReporter>? Report, ExceptionDispatchInfo? Failure);

    sealed class QueueReporter<T>(BlockingCollection<Item<T>> queue, CancellationToken ct) : IPodLogsReporter
    {
        public void Error(PodLogsFailure failure) => queue.Add(new Item<T>(default, r => r.Error(failure), null), ct);
        public void Warning(string message) => queue.Add(new Item<T>(default, r => r.Warning(message), null), ct);
        public void Verbose(string message) => queue.Add(new Item<T>(default, r => r.Verbose(message), null), ct);
    }
}
