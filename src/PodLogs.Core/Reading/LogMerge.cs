namespace PodLogs.Core.Reading;

/// <summary>
/// Merges several containers' lines into one stream in time order (a k-way merge on UTC instants):
/// lazy, one line held per source; equal instants keep the order of the sources, and each source's
/// own order is kept even where its timestamps run backwards.
/// </summary>
public static class LogMerge
{
    public static IEnumerable<ContainerLogLine> ByTime(IReadOnlyList<IEnumerable<ContainerLogLine>> sources, CancellationToken cancellationToken = default)
    {
        if (sources.Count == 1)
        {
            foreach (var line in sources[0]) { cancellationToken.ThrowIfCancellationRequested(); yield return line; }
            yield break;
        }
        var enumerators = new List<IEnumerator<ContainerLogLine>>(sources.Count);
        var queue = new PriorityQueue<int, (long Ticks, int Source)>();
        try
        {
            for (var i = 0; i < sources.Count; i++)
            {
                var e = sources[i].GetEnumerator();
                enumerators.Add(e);
                if (e.MoveNext()) queue.Enqueue(i, (e.Current.Timestamp.UtcTicks, i));
            }
            while (queue.TryDequeue(out var i, out _))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var e = enumerators[i];
                yield return e.Current;
                if (e.MoveNext()) queue.Enqueue(i, (e.Current.Timestamp.UtcTicks, i));
            }
        }
        finally
        {
            foreach (var e in enumerators) e.Dispose();
        }
    }
}
