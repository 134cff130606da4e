using System.Diagnostics;
using System.Net.Sockets;
using PodLogs.Core;
using PodLogs.Core.Runtime;
using static PodLogs.Runtime.Tests.ModuleUnderTest;

namespace PodLogs.Runtime.Tests;

/// <summary>A daemon of its own, so stopping it does not disturb the other scenarios.</summary>
public sealed class StoppableDockerFixture : DockerNode;

[CollectionDefinition("stoppable-docker", DisableParallelization = true)]
public sealed class StoppableDockerCollection : ICollectionFixture<StoppableDockerFixture>;

/// <summary>A daemon that stops, crashes or hangs costs a clear error or a fallback, never a hang.</summary>
[Collection("stoppable-docker")]
public sealed class DaemonFailureTests(StoppableDockerFixture f)
{
    [Fact]
    public void A_daemon_stopped_mid_run_is_an_error_for_Source_Docker_and_a_fallback_to_its_files_for_Auto()
    {
        var c = f.Dockershim.Start("shop", "cart-5f7c9d8b6-z9x8w", Guid.NewGuid().ToString(), "app", 0);
        File.Delete(c.LegacyLink);
        var before = Inspect(ViaDocker(f.Docker)).Links.Select(l => (l.NodePath, l.Status)).ToList();
        Assert.Contains(before, l => l.Status == LinkStatus.Missing);

        f.Docker.Stop();

        var error = Assert.Throws<PodLogsException>(() => Inspect(ViaDocker(f.Docker)));
        Assert.Equal("RuntimeUnavailable", error.Failure.ErrorId);
        Assert.Equal(FailureCategory.ResourceUnavailable, error.Failure.Category);

        var (links, reporter, snapshot) = Inspect(ViaDocker(f.Docker, RuntimeSourceKind.Auto));
        Assert.Equal("DockerFiles", snapshot?.SourceName);
        Assert.Equal(before, links.Select(l => (l.NodePath, l.Status)));
        Assert.Contains(reporter.VerboseMessages, m => m.Contains("docker", StringComparison.OrdinalIgnoreCase) && m.Contains(f.Docker.Socket));
    }

    [Fact]
    public void A_crashed_daemons_stale_socket_is_a_warning_under_Auto_and_an_error_under_Source_Docker()
    {
        var dir = f.Node.Scratch("stale");
        var path = Path.Join(dir, "docker.sock");
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(Path.Join(dir, "bound.sock")));
            // .NET unlinks the path it bound when the socket closes; a second name for the same socket
            // inode stays behind with nobody listening, as after a crash: connections are refused.
            NodeNamespace.Run("ln", Path.Join(dir, "bound.sock"), path);
        }
        Assert.True(File.Exists(path));
        var options = new RuntimeSourceOptions { Kind = RuntimeSourceKind.Auto, DockerEndpoint = "unix://" + path, Timeout = TimeSpan.FromSeconds(2) };
        var (_, reporter, _) = Inspect(options);
        Assert.Contains(reporter.Warnings, w => w.Contains(path));
        Assert.Equal("RuntimeUnavailable", Assert.Throws<PodLogsException>(() => Inspect(options with { Kind = RuntimeSourceKind.Docker })).Failure.ErrorId);
    }

    [Fact]
    public void A_hung_daemon_costs_about_the_timeout_not_a_hang()
    {
        var path = Path.Join(f.Node.Scratch("hung"), "docker.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        var accepted = new List<Socket>();
        using var cts = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            try { while (true) accepted.Add(await listener.AcceptAsync(cts.Token)); }
            catch (OperationCanceledException) { }
        });
        var options = new RuntimeSourceOptions { Kind = RuntimeSourceKind.Docker, DockerEndpoint = "unix://" + path, Timeout = TimeSpan.FromSeconds(1) };
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<PodLogsException>(() => Inspect(options));
        watch.Stop();
        Assert.Equal("RuntimeUnavailable", error.Failure.ErrorId);
        Assert.Contains("did not answer", error.Message);
        // Not a performance assertion: only that the call came back at all, far from a hang.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        cts.Cancel();
        acceptLoop.Wait();
        foreach (var s in accepted) s.Dispose();
    }
}
