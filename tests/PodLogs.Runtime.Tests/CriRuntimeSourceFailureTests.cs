using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PodLogs.Core;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri;
using Xunit.Abstractions;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Unix socket servers that misbehave on purpose, under a temp node root. Elapsed times are only
/// checked against a generous bound (10× the timeout): what matters is that the call returns at all.
/// </summary>
public sealed class CriRuntimeSourceFailureTests(ITestOutputHelper output) : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("podlogs-cri-fail-").FullName;
    readonly List<Socket> _sockets = [];
    readonly CancellationTokenSource _stopServers = new();

    public void Dispose()
    {
        _stopServers.Cancel();
        foreach (var s in _sockets) s.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    NodeLayout Layout() => NodeLayout.Load(new NodeLayoutOptions { Root = _root }, new CollectingReporter());

    string Local(string nodePath)
    {
        var local = _root + nodePath;
        Directory.CreateDirectory(Path.GetDirectoryName(local)!);
        return local;
    }

    Socket Bind(string nodePath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _sockets.Add(socket);
        socket.Bind(new UnixDomainSocketEndPoint(Local(nodePath)));
        return socket;
    }

    /// <summary>Accepts every connection and never says a word.</summary>
    void ServeSilence(string nodePath)
    {
        var listener = Bind(nodePath);
        listener.Listen();
        _ = Task.Run(async () =>
        {
            while (!_stopServers.IsCancellationRequested)
            {
                try { _sockets.Add(await listener.AcceptAsync(_stopServers.Token)); }
                catch (Exception) { return; }
            }
        });
    }

    /// <summary>Answers anything with an HTTP/1.1 error and hangs up, as dockerd's API socket would to HTTP/2.</summary>
    void ServeHttp1(string nodePath)
    {
        var listener = Bind(nodePath);
        listener.Listen();
        _ = Task.Run(async () =>
        {
            while (!_stopServers.IsCancellationRequested)
            {
                Socket client;
                try { client = await listener.AcceptAsync(_stopServers.Token); }
                catch (Exception) { return; }
                _sockets.Add(client);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        // Read the client's HTTP/2 preface as an HTTP/1.1 request line, refuse it, keep reading until it hangs up.
                        var buffer = new byte[4096];
                        await client.ReceiveAsync(buffer, _stopServers.Token);
                        await client.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n400 Bad Request"));
                        client.Shutdown(SocketShutdown.Send);
                        while (await client.ReceiveAsync(buffer, _stopServers.Token) > 0) { }
                    }
                    catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException) { }
                });
            }
        });
    }

    RuntimeUnavailableException ReadFails(NodeLayout layout, string endpoint, TimeSpan timeout, out TimeSpan elapsed)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            new CriRuntimeSource(endpoint, timeout).Read(layout, new CollectingReporter(), CancellationToken.None);
        }
        catch (RuntimeUnavailableException ex)
        {
            elapsed = sw.Elapsed;
            output.WriteLine($"{elapsed.TotalMilliseconds:0} ms, EndpointExists={ex.EndpointExists}: {ex.Message}");
            Assert.Equal(CriRuntimeSource.SourceName, ex.SourceName);
            Assert.Equal(endpoint, ex.Endpoint);
            return ex;
        }
        throw new Xunit.Sdk.XunitException("Read did not throw RuntimeUnavailableException.");
    }

    [Fact]
    public void A_missing_socket_is_unavailable_and_does_not_exist()
    {
        var ex = ReadFails(Layout(), "unix:///run/containerd/containerd.sock", TimeSpan.FromSeconds(5), out _);
        Assert.False(ex.EndpointExists);
        Assert.Contains(_root + "/run/containerd/containerd.sock", ex.Message);
    }

    [Fact]
    public void A_regular_file_where_the_socket_belongs_exists_but_is_unavailable()
    {
        File.WriteAllText(Local("/run/containerd/containerd.sock"), "not a socket");
        var ex = ReadFails(Layout(), "unix:///run/containerd/containerd.sock", TimeSpan.FromSeconds(5), out _);
        Assert.True(ex.EndpointExists);
        Assert.Contains("not a socket", ex.Message);
    }

    [Fact]
    public void A_socket_nobody_listens_on_refuses()
    {
        Bind("/run/containerd/containerd.sock");   // bound, never listening: connect gets ECONNREFUSED
        var ex = ReadFails(Layout(), "unix:///run/containerd/containerd.sock", TimeSpan.FromSeconds(5), out var elapsed);
        Assert.True(ex.EndpointExists);
        Assert.Contains("refused", ex.Message);
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
    }

    [Fact]
    public void A_hung_runtime_costs_the_timeout_not_more()
    {
        ServeSilence("/run/containerd/containerd.sock");
        var timeout = TimeSpan.FromMilliseconds(500);
        var ex = ReadFails(Layout(), "unix:///run/containerd/containerd.sock", timeout, out var elapsed);
        Assert.True(ex.EndpointExists);
        Assert.Contains("did not answer within 0.5 s", ex.Message);
        Assert.True(elapsed < timeout * 10, $"took {elapsed} for a {timeout} timeout");
    }

    [Fact]
    public async Task Cancellation_stops_a_hung_read_at_once()
    {
        ServeSilence("/run/containerd/containerd.sock");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var sw = Stopwatch.StartNew();
        var source = new CriRuntimeSource("unix:///run/containerd/containerd.sock", TimeSpan.FromMinutes(5));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.Run(() => source.Read(Layout(), new CollectingReporter(), cts.Token)));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
    }

    [Fact]
    public void A_socket_that_does_not_speak_grpc_is_unavailable_not_a_timeout()
    {
        ServeHttp1("/run/docker.sock");
        var ex = ReadFails(Layout(), "unix:///run/docker.sock", TimeSpan.FromSeconds(20), out var elapsed);
        Assert.True(ex.EndpointExists);
        Assert.DoesNotContain("did not answer", ex.Message);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public void The_endpoint_is_a_node_path_resolved_under_the_root_through_links()
    {
        // /var/run -> /run (absolute, as on Debian): resolved at the root, not on this machine's /run.
        Directory.CreateDirectory(Local("/var"));
        File.CreateSymbolicLink(Local("/var/run"), "/run");
        ServeSilence("/run/containerd/containerd.sock");
        var ex = ReadFails(Layout(), "unix:///var/run/containerd/containerd.sock", TimeSpan.FromMilliseconds(300), out _);
        Assert.True(ex.EndpointExists);                         // reached our silent server under the root
        Assert.Contains("did not answer", ex.Message);

        var missing = ReadFails(Layout(), "unix:///var/run/crio/crio.sock", TimeSpan.FromMilliseconds(300), out _);
        Assert.False(missing.EndpointExists);
    }

    [Fact]
    public void A_cancelled_token_throws_before_touching_the_socket()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new CriRuntimeSource("unix:///run/containerd/containerd.sock", TimeSpan.FromSeconds(1)).Read(Layout(), new CollectingReporter(), cts.Token));
    }
}
