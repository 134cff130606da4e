using System.Diagnostics;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

public sealed class RunningContainersTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static void WaitUntil(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(60), $"never: {what}");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void Says_a_container_stopped_once_the_same_source_read_again_says_so_and_knows_nothing_of_unknown_ones()
    {
        var web = _node.Healthy(new FakeContainer("default", "web-0", FakeNode.Uid1, "nginx", 0, FakeNode.Id("web")));
        var done = _node.Healthy(new FakeContainer("default", "job-0", FakeNode.Uid2, "job", 0, FakeNode.Id("job")) { Running = false });
        var layout = _node.Layout();
        var reads = 0;
        RuntimeSnapshot? Read(CancellationToken ct) { Interlocked.Increment(ref reads); return new DockerFileSource().Read(layout, new CollectingReporter(), ct); }
        using var running = new RunningContainers(Read(CancellationToken.None)!, Read, TimeSpan.FromMilliseconds(10));

        Assert.Null(running.StillRunning(FakeNode.Id("not known")));
        Assert.Null(running.StillRunning(null));
        Assert.False(running.StillRunning(done.Id)!());
        var webRunning = running.StillRunning(web.Id)!;
        Assert.True(webRunning());

        _node.Docker(web with { Running = false });
        WaitUntil(() => !webRunning(), "the stop was seen");
        Assert.True(reads > 1);
    }

    [Fact]
    public void A_read_that_fails_changes_nothing_and_a_source_with_no_containers_left_means_none_runs()
    {
        var web = _node.Healthy(new FakeContainer("default", "web-0", FakeNode.Uid1, "nginx", 0, FakeNode.Id("web")));
        var layout = _node.Layout();
        var initial = new DockerFileSource().Read(layout, new CollectingReporter(), CancellationToken.None)!;
        var failures = 0;
        var gone = false;
        RuntimeSnapshot? Read(CancellationToken ct)
        {
            if (!Volatile.Read(ref gone)) { Interlocked.Increment(ref failures); throw new PodLogsException("RuntimeUnavailable", FailureCategory.ResourceUnavailable, "down", null); }
            return null;
        }
        using var running = new RunningContainers(initial, Read, TimeSpan.FromMilliseconds(10));
        var webRunning = running.StillRunning(web.Id)!;
        WaitUntil(() => Volatile.Read(ref failures) >= 3, "three failed reads");
        Assert.True(webRunning());
        Volatile.Write(ref gone, true);
        WaitUntil(() => !webRunning(), "a source holding no containers means the container stopped");
    }
}

public sealed class RuntimeSourceAnsweredTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Fact]
    public void Auto_names_the_source_that_answered_so_it_can_be_read_again_and_none_when_nothing_did()
    {
        var selector = new RuntimeSourceSelector(null, new CollectingReporter());
        selector.Select(_node.Layout(), new RuntimeSourceOptions(), CancellationToken.None);
        Assert.Null(selector.Answered);

        _node.Healthy(new FakeContainer("default", "web-0", FakeNode.Uid1, "nginx", 0, FakeNode.Id("web")));
        var (snapshot, _) = selector.Select(_node.Layout(), new RuntimeSourceOptions { Timeout = TimeSpan.FromSeconds(3) }, CancellationToken.None);
        Assert.NotNull(snapshot);
        Assert.Equal(new RuntimeSourceOptions { Kind = RuntimeSourceKind.DockerFiles, Timeout = TimeSpan.FromSeconds(3) }, selector.Answered);

        selector.Select(_node.Layout(), new RuntimeSourceOptions { Kind = RuntimeSourceKind.None }, CancellationToken.None);
        Assert.Null(selector.Answered);
    }
}
