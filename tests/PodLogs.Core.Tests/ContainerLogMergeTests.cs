using PodLogs.Core.Logs;
using PodLogs.Core.Reading;
using Xunit;

namespace PodLogs.Core.Tests;

public class ContainerLogMergeTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);

    static ContainerLogLine Line(string container, double seconds, string message, TimeSpan? offset = null)
    {
        var ts = T0.AddSeconds(seconds).ToOffset(offset ?? TimeSpan.Zero);
        return new(new LogLine(ts, ts.ToString("O"), LogStream.Stdout, message, "/f", 0), new ContainerLogOrigin("ns", "pod", null, container, 0, null));
    }

    [Fact]
    public void Merges_in_time_order_across_offsets()
    {
        var a = new[] { Line("a", 0, "a0"), Line("a", 2, "a2"), Line("a", 4, "a4") };
        var b = new[] { Line("b", 1, "b1", TimeSpan.FromHours(1)), Line("b", 3, "b3", TimeSpan.FromHours(-5)) };
        var merged = LogMerge.ByTime([a, b]).Select(l => l.Message).ToArray();
        Assert.Equal(["a0", "b1", "a2", "b3", "a4"], merged);
    }

    [Fact]
    public void Ties_keep_source_order_and_each_source_keeps_its_own_order()
    {
        var a = new[] { Line("a", 5, "a5"), Line("a", 1, "a1-inverted"), Line("a", 6, "a6") };
        var b = new[] { Line("b", 5, "b5"), Line("b", 6, "b6") };
        var merged = LogMerge.ByTime([a, b]).Select(l => l.Message).ToArray();
        Assert.Equal(["a5", "a1-inverted", "b5", "a6", "b6"], merged);
    }

    [Fact]
    public void Empty_and_single_sources()
    {
        Assert.Empty(LogMerge.ByTime([Array.Empty<ContainerLogLine>(), Array.Empty<ContainerLogLine>()]));
        Assert.Equal(["x"], LogMerge.ByTime([new[] { Line("a", 0, "x") }]).Select(l => l.Message));
        Assert.Equal(["x"], LogMerge.ByTime([Array.Empty<ContainerLogLine>(), new[] { Line("a", 0, "x") }]).Select(l => l.Message));
    }

    [Fact]
    public void Is_lazy_and_disposes_every_source()
    {
        var disposed = 0;
        IEnumerable<ContainerLogLine> Source(string name)
        {
            try { for (var i = 0; i < 1000; i++) yield return Line(name, i, $"{name}{i}"); }
            finally { disposed++; }
        }
        var first = LogMerge.ByTime([Source("a"), Source("b")]).Take(3).Select(l => l.Message).ToArray();
        Assert.Equal(["a0", "b0", "a1"], first);
        Assert.Equal(2, disposed);
    }

    [Fact]
    public void Stops_when_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var a = new[] { Line("a", 0, "a0"), Line("a", 2, "a2") };
        var b = new[] { Line("b", 1, "b1") };
        using var e = LogMerge.ByTime([a, b], cts.Token).GetEnumerator();
        Assert.True(e.MoveNext());
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => e.MoveNext());
    }
}

public class LogInterleaveTests
{
    /// <summary>Records on which thread each report arrives.</summary>
    sealed class ThreadReporter : IPodLogsReporter
    {
        public readonly List<(int Thread, string Message)> Got = [];
        public void Error(PodLogsFailure failure) => Got.Add((Environment.CurrentManagedThreadId, failure.ErrorId));
        public void Warning(string message) => Got.Add((Environment.CurrentManagedThreadId, message));
        public void Verbose(string message) => Got.Add((Environment.CurrentManagedThreadId, message));
    }

    static IEnumerable<int> Idle(IPodLogsReporter reporter, CancellationToken ct)
    {
        ct.WaitHandle.WaitOne();
        ct.ThrowIfCancellationRequested();
        yield break;
    }

    static IEnumerable<int> Counting(IPodLogsReporter reporter, CancellationToken ct)
    {
        for (var i = 0; i < 5000; i++)
        {
            if (i == 10) reporter.Warning("at ten");
            yield return i;
        }
    }

    [Fact]
    public void A_source_that_writes_nothing_holds_up_no_other_reports_reach_the_consumer_thread_and_leaving_early_stops_the_sources()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var reporter = new ThreadReporter();
        var got = new List<int>();
        foreach (var i in LogInterleave.AsTheyCome([Idle, Counting], reporter, timeout.Token, capacity: 16))
        {
            got.Add(i);
            if (got.Count == 5000) break;       // the idle source never ends by itself: only leaving stops it
        }
        Assert.Equal(Enumerable.Range(0, 5000), got);
        Assert.Equal([(Environment.CurrentManagedThreadId, "at ten")], reporter.Got);
    }

    static Func<IPodLogsReporter, CancellationToken, IEnumerable<string>> Named(string name, int count) =>
        (_, _) => Enumerable.Range(0, count).Select(i => $"{name}{i}");

    [Fact]
    public void Ends_when_every_source_has_ended_each_source_in_its_own_order()
    {
        var got = LogInterleave.AsTheyCome([Named("a", 1000), Named("b", 3), Named("c", 0)], new ThreadReporter(), CancellationToken.None).ToList();
        Assert.Equal(1003, got.Count);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"a{i}"), got.Where(s => s[0] == 'a'));
        Assert.Equal(["b0", "b1", "b2"], got.Where(s => s[0] == 'b'));
    }

    [Fact]
    public void A_source_that_fails_fails_the_enumeration_on_the_consumer_thread()
    {
        static IEnumerable<int> Failing(IPodLogsReporter r, CancellationToken ct)
        {
            yield return 1;
            throw new InvalidDataException("broken");
        }
        var ex = Assert.Throws<InvalidDataException>(() => LogInterleave.AsTheyCome([Failing, Idle], new ThreadReporter(), CancellationToken.None).ToList());
        Assert.Equal("broken", ex.Message);
    }
}
