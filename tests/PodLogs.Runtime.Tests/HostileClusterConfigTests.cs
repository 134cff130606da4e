using System.Diagnostics;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Node;
using PodLogs.TestKubeApi;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Issue #11 item 7: the kubeconfig, the certificate, key and CA files it names and the service account's
/// token are read through the module's checks before KubernetesClient sees them. A FIFO, a device or a huge
/// file at any of them is ClusterConfigInvalid at once, never a hang or an out-of-memory; a node path is read
/// only where it resolves under -Root.
/// </summary>
public sealed class HostileClusterConfigTests : IAsyncLifetime
{
    readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("podlogs-hostile-config-");
    KubeApiServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _server.Nodes.Add(KubeObjects.Node("node-1", machineId: "0123456789abcdef0123456789abcdef"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _scratch.Delete(recursive: true);
    }

    string PathOf(string name) => Path.Combine(_scratch.FullName, name);

    string Fifo(string name)
    {
        var path = PathOf(name);
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return path;
    }

    string Huge(string name)
    {
        // Sparse: 64 GiB of nothing on disk, as much as a reader that trusts the size would try to hold.
        var path = PathOf(name);
        using (var file = File.Create(path)) file.SetLength(64L << 30);
        return path;
    }

    /// <summary>Opens the settings on another thread, so old code that blocks on a FIFO fails the test instead of hanging it.</summary>
    static PodLogsException Refused(ClusterConfigChoice choice)
    {
        var open = Task.Run(() =>
        {
            using var source = RuntimeSources.CreateCluster(choice, TimeSpan.FromSeconds(5));
            return source.ReadNode("node-1", CancellationToken.None);
        });
        Assert.True(Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(20))).GetAwaiter().GetResult() == open, "reading the cluster settings hung");
        var ex = Assert.IsType<PodLogsException>(open.Exception?.InnerException);
        Assert.Equal("ClusterConfigInvalid", ex.Failure.ErrorId);
        return ex;
    }

    static ClusterConfigChoice Kubeconfig(string path) => new(ClusterConfigSource.Parameter, [path], null);

    [Theory]
    [InlineData("fifo")]
    [InlineData("device")]
    [InlineData("huge")]
    public void A_kubeconfig_that_is_not_a_small_regular_file_is_refused_at_once(string kind)
    {
        var path = kind switch { "fifo" => Fifo("config"), "huge" => Huge("config"), _ => "/dev/zero" };
        var ex = Refused(Kubeconfig(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains(kind == "huge" ? "larger than 16 MiB" : "not a regular file", ex.Message);
    }

    [Theory]
    [InlineData("certificate", "fifo")]
    [InlineData("key", "device")]
    [InlineData("authority", "huge")]
    public void A_file_the_kubeconfig_names_that_is_not_a_small_regular_file_is_refused_at_once(string which, string kind)
    {
        var client = _server.IssueClientCertificate("alice", "readers");
        var certificate = PathOf("client.crt");
        var key = PathOf("client.key");
        client.WriteCombinedPem(certificate);
        client.WriteCombinedPem(key);
        var authority = PathOf("ca.crt");
        File.WriteAllText(authority, _server.CaCertificatePem);
        var hostile = kind switch { "fifo" => Fifo("hostile"), "huge" => Huge("hostile"), _ => "/dev/zero" };
        var config = PathOf("config");
        new Kubeconfig().AddContext("test",
                _server.Cluster() with { CertificateAuthorityPem = null, CertificateAuthorityFile = which == "authority" ? hostile : authority },
                KubeconfigUser.WithClientCertificateFiles(which == "certificate" ? hostile : certificate, which == "key" ? hostile : key))
            .Write(config);

        var ex = Refused(Kubeconfig(config));
        Assert.Contains(hostile, ex.Message);
        Assert.Contains(which == "authority" ? "certificate authority of cluster" : $"client {which} of user", ex.Message);
    }

    [Fact]
    public void The_same_files_as_plain_regular_files_connect()
    {
        // The control for the two tests above: files named by path (relative to the kubeconfig, as kubectl
        // reads them) are read and handed on inline, and the client certificate authenticates.
        _server.IssueClientCertificate("alice", "readers").WriteCombinedPem(PathOf("client.pem"));
        File.WriteAllText(PathOf("ca.crt"), _server.CaCertificatePem);
        new Kubeconfig().AddContext("test",
                _server.Cluster() with { CertificateAuthorityPem = null, CertificateAuthorityFile = "ca.crt" },
                KubeconfigUser.WithClientCertificateFiles("client.pem", "client.pem"))
            .Write(PathOf("config"));

        using var source = RuntimeSources.CreateCluster(Kubeconfig(PathOf("config")), TimeSpan.FromSeconds(10));
        Assert.Equal("node-1", source.ReadNode("node-1", CancellationToken.None).Name);
        Assert.Contains(_server.Requests, r => r.User == "alice");
    }

    [Fact]
    public void A_kubelet_kubeconfig_path_that_leaves_the_root_through_an_absolute_link_is_not_read_from_this_machine()
    {
        // <root>/etc/kubernetes/pki -> /<decoy>: under the root the link leads nowhere; read by its local path,
        // the kernel would follow it to this machine's decoy directory, which holds a CA that works.
        var decoy = Directory.CreateDirectory(PathOf("decoy")).FullName;
        File.WriteAllText(Path.Combine(decoy, "ca.crt"), _server.CaCertificatePem);
        var root = Directory.CreateDirectory(PathOf("node")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "etc/kubernetes"));
        File.CreateSymbolicLink(Path.Combine(root, "etc/kubernetes/pki"), decoy);
        var kubeletConf = Path.Combine(root, "etc/kubernetes/kubelet.conf");
        new Kubeconfig().AddContext("node",
                _server.Cluster() with { CertificateAuthorityPem = null, CertificateAuthorityFile = "/etc/kubernetes/pki/ca.crt" },
                KubeconfigUser.WithToken(_server.DefaultToken))
            .Write(kubeletConf);

        var ex = Refused(new ClusterConfigChoice(ClusterConfigSource.KubeletKubeconfig, [kubeletConf], null) { NodePathsUnder = new NodeRoot(root) });
        Assert.Contains("does not resolve under the root", ex.Message);
        Assert.Empty(_server.Requests);
    }

    ClusterConfigChoice InCluster(string token, string authority) =>
        new(ClusterConfigSource.InCluster, [token, authority], null) { InClusterServer = _server.BaseAddress };

    [Fact]
    public void The_service_account_token_and_CA_are_read_from_their_files()
    {
        File.WriteAllText(PathOf("token"), _server.DefaultToken + "\n");
        File.WriteAllText(PathOf("ca.crt"), _server.CaCertificatePem);
        using var source = RuntimeSources.CreateCluster(InCluster(PathOf("token"), PathOf("ca.crt")), TimeSpan.FromSeconds(10));
        Assert.Equal("node-1", source.ReadNode("node-1", CancellationToken.None).Name);
    }

    [Fact]
    public void A_service_account_token_that_is_a_FIFO_or_a_CA_that_is_huge_is_refused_at_once()
    {
        File.WriteAllText(PathOf("ca.crt"), _server.CaCertificatePem);
        File.WriteAllText(PathOf("token"), _server.DefaultToken);
        Assert.Contains("service account token", Refused(InCluster(Fifo("token-fifo"), PathOf("ca.crt"))).Message);
        Assert.Contains("larger than", Refused(InCluster(PathOf("token"), Huge("ca-huge"))).Message);
    }
}
