using PodLogs.Core.Logs;
using PodLogs.Core.Reading;

namespace PodLogs.Core.Tests;

/// <summary>Reading a plan's targets: merged by time, a budget per container over history and follow, followers always released.</summary>
public sealed class LogReadExecutorTests
{
    static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    static LogLine Line(int second, string message) =>
        new(T0.AddSeconds(second), T0.AddSeconds(second).ToString("O"), LogStream.Stdout, message, "f", 0);

    static LogReadTarget Target(string container) =>
        new($"/{container}/0.log", [], new ContainerLogOrigin("ns", "p", FakeNode.Uid1, container, 0, null));

    sealed class Follower : IDisposable
    {
        public bool Disposed { get; private set; }
        public void Dispose() => Disposed = true;
    }

    [Fact]
    public void What_the_targets_hold_is_merged_by_time_each_container_within_its_own_budget()
    {
        var lines = new Dictionary<string, LogLine[]>
        {
            ["a"] = [Line(1, "a1"), Line(3, "a3"), Line(5, "a5")],
            ["b"] = [Line(2, "b2"), Line(4, "b4")],
        };

        var all = LogReadExecutor.Read([Target("a"), Target("b")], t => new ReadableLog(() => lines[t.Origin.ContainerName!]), null, CancellationToken.None);
        var limited = LogReadExecutor.Read([Target("a"), Target("b")], t => new ReadableLog(() => lines[t.Origin.ContainerName!]), 6, CancellationToken.None).ToList();

        Assert.Equal(["a1", "b2", "a3", "b4", "a5"], all.Select(l => l.Message));
        Assert.Equal(["a1", "b2", "a3", "b4"], limited.Select(l => l.Message));
        Assert.Equal(["a", "b", "a", "b"], limited.Select(l => l.ContainerName));
    }

    [Fact]
    public void Following_begins_every_target_first_then_yields_histories_by_time_then_new_lines_and_releases_every_follower()
    {
        var begun = new List<string>();
        var followers = new List<Follower>();
        ReadableLog Begin(LogReadTarget t)
        {
            var c = t.Origin.ContainerName!;
            begun.Add(c);
            var follower = new Follower();
            followers.Add(follower);
            IEnumerable<LogLine> History() { begun.Add("history " + c); return c == "a" ? [Line(2, "a2")] : [Line(1, "b1")]; }
            return new ReadableLog(History, (_, _) => [Line(9, c + " new"), Line(10, c + " newer")], follower);
        }

        // 9 bytes: "a2\n" and "a new\n" fit, "a newer\n" does not: the budget spans history and follow.
        var lines = LogReadExecutor.Follow([Target("a"), Target("b")], Begin, 9, new CollectingReporter(), CancellationToken.None).ToList();

        Assert.Equal(["a", "b", "history a", "history b"], begun);
        Assert.Equal(["b1", "a2"], lines.Take(2).Select(l => l.Message));
        Assert.Equal(["a new", "b new"], lines.Skip(2).Select(l => l.Message).Order());
        Assert.All(followers, f => Assert.True(f.Disposed));
    }

    [Fact]
    public void Followers_begun_before_a_failure_are_released()
    {
        var follower = new Follower();
        var reads = LogReadExecutor.Follow([Target("a"), Target("b")],
            t => t.Origin.ContainerName == "a" ? new ReadableLog(() => [], (_, _) => [], follower) : throw new IOException("gone"),
            null, new CollectingReporter(), CancellationToken.None);

        Assert.Throws<IOException>(() => reads.ToList());
        Assert.True(follower.Disposed);
    }
}
