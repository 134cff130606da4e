using System.Diagnostics;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Node;
using PodLogs.TestKubeApi;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Issue #4 through KubernetesClient against the real test API server over TLS: the kubeconfig
/// sources, the mapping of pods and nodes, paging, and every failure's ErrorId.
/// </summary>
public sealed class KubernetesClusterSourceTests : IAsyncLifetime
{
    readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("podlogs-cluster-");
    KubeApiServer _server = null!;
    string _kubeconfig = null!;

    public async Task InitializeAsync()
    {
        _server = await KubeApiServer.StartAsync();
        _server.Nodes.Add(KubeObjects.Node("node-1", machineId: "0123456789abcdef0123456789abcdef"));
        _kubeconfig = Path.Combine(_scratch.FullName, "config");
        _server.WriteKubeconfig(_kubeconfig);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _scratch.Delete(recursive: true);
    }

    static IClusterSource Open(ClusterConfigChoice choice, double timeoutSeconds = 10) => RuntimeSources.CreateCluster(choice, TimeSpan.FromSeconds(timeoutSeconds));

    IClusterSource Open(string? context = null, double timeoutSeconds = 10) => Open(new ClusterConfigChoice(ClusterConfigSource.Parameter, [_kubeconfig], context), timeoutSeconds);

    static string ErrorId(Action call) => Assert.Throws<PodLogsException>(call).Failure.ErrorId;

    [Fact]
    public void Pods_on_the_node_come_with_every_status_list_the_mirror_hash_and_bare_container_ids()
    {
        var web = KubeObjects.Pod("default", "web-1").OnNode("node-1")
            .InitContainer("setup", status: s => s.Terminated(containerId: "AA" + new string('1', 62)))
            .Container("app", status: s => s.Running(containerId: new string('2', 64)).RestartCount(3).LastTerminated(containerId: new string('3', 64)))
            .EphemeralContainer("debugger", status: s => s.Waiting("ContainerCreating"));
        _server.Pods.Add(web.ToJson());
        _server.Pods.Add(KubeObjects.MirrorPod("kube-system", "etcd", "node-1", "3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09").Container("etcd", status: s => s.Running()).ToJson());
        _server.Pods.Add(KubeObjects.Pod("default", "elsewhere").OnNode("node-2").Container("app", status: s => s.Running()).ToJson());

        using var source = Open();
        var pods = source.ListPodsOnNode("node-1", CancellationToken.None).OrderBy(p => p.Name).ToList();

        Assert.Equal(["etcd-node-1", "web-1"], pods.Select(p => p.Name));
        var etcd = pods[0];
        Assert.True(etcd.IsStaticPod);
        Assert.Equal("3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09", etcd.LogDirectoryUid);
        Assert.NotEqual(etcd.Uid, etcd.LogDirectoryUid);

        var w = pods[1];
        Assert.Equal(web.Uid, w.Uid);
        Assert.Equal("node-1", w.NodeName);
        Assert.Equal([ClusterContainerKind.Init, ClusterContainerKind.Regular, ClusterContainerKind.Ephemeral], w.Containers.Select(c => c.Kind));
        var setup = w.Containers[0];
        Assert.Equal(ClusterContainerState.Terminated, setup.State);
        Assert.Equal("aa" + new string('1', 62), setup.TerminatedContainerId);
        var app = w.Containers[1];
        Assert.Equal((ClusterContainerState.Running, new string('2', 64), 3), (app.State, app.ContainerId, app.RestartCount));
        Assert.True(app.HasLastTerminated);
        Assert.Equal(new string('3', 64), app.LastTerminatedContainerId);
        Assert.Equal((ClusterContainerState.Waiting, "ContainerCreating"), (w.Containers[2].State, w.Containers[2].WaitingReason));

        var list = Assert.Single(_server.Requests, r => r.Path == "/api/v1/pods");
        Assert.Equal("spec.nodeName=node-1", list.Query["fieldSelector"]);
    }

    [Fact]
    public void A_node_with_more_pods_than_a_page_is_listed_whole_through_continue_tokens()
    {
        for (var i = 0; i < 1203; i++)
            _server.Pods.Add(KubeObjects.Pod("load", $"pod-{i:D4}").OnNode("node-1").Container("c", status: s => s.Running()).ToJson());
        using var source = Open();
        var pods = source.ListPodsOnNode("node-1", CancellationToken.None);
        Assert.Equal(1203, pods.Select(p => p.Uid).Distinct().Count());
        Assert.Equal(3, _server.Requests.Count(r => r.Path == "/api/v1/pods"));
        Assert.Equal(2, _server.Requests.Count(r => r.Path == "/api/v1/pods" && r.Query.ContainsKey("continue")));
    }

    [Fact]
    public void The_Node_gives_its_machine_id_and_an_unknown_node_is_NodeNotFound()
    {
        using var source = Open();
        Assert.Equal("0123456789abcdef0123456789abcdef", source.ReadNode("node-1", CancellationToken.None).MachineId);
        Assert.Equal("NodeNotFound", ErrorId(() => source.ReadNode("node-9", CancellationToken.None)));
    }

    [Fact]
    public void Bad_credentials_are_Unauthorized_and_a_forbidden_list_is_Forbidden_with_the_servers_message()
    {
        _server.WriteKubeconfig(_kubeconfig, KubeconfigUser.WithToken("expired"));
        using (var stale = Open())
            Assert.Equal("ClusterUnauthorized", ErrorId(() => stale.ListPodsOnNode("node-1", CancellationToken.None)));

        _server.AddToken("viewer", "viewer");
        _server.Forbid("viewer", "list", "pods");
        _server.WriteKubeconfig(_kubeconfig, KubeconfigUser.WithToken("viewer"));
        using var viewer = Open();
        var ex = Assert.Throws<PodLogsException>(() => viewer.ListPodsOnNode("node-1", CancellationToken.None));
        Assert.Equal("ClusterForbidden", ex.Failure.ErrorId);
        Assert.Contains("User \"viewer\" cannot list resource \"pods\"", ex.Message);
        Assert.Equal(_kubeconfig, ex.Failure.TargetPath);
    }

    [Fact]
    public void Another_clusters_CA_is_CertificateUntrusted_and_a_closed_port_Unreachable()
    {
        using var otherCa = TestCertificateAuthority.Create("another-cluster");
        new Kubeconfig().AddContext("wrong", _server.Cluster() with { CertificateAuthorityPem = otherCa.CertificatePem }, KubeconfigUser.WithToken(_server.DefaultToken)).UseContext("wrong").Write(_kubeconfig);
        using (var wrong = Open())
            Assert.Equal("ClusterCertificateUntrusted", ErrorId(() => wrong.ReadNode("node-1", CancellationToken.None)));

        var closed = new KubeconfigCluster(new Uri($"https://127.0.0.1:{KubeApiServer.ReserveClosedPort()}")) { CertificateAuthorityPem = _server.CaCertificatePem };
        new Kubeconfig().AddContext("closed", closed, KubeconfigUser.WithToken(_server.DefaultToken)).UseContext("closed").Write(_kubeconfig);
        using var unreachable = Open();
        Assert.Equal("ClusterUnreachable", ErrorId(() => unreachable.ReadNode("node-1", CancellationToken.None)));
    }

    [Fact]
    public void A_slow_server_is_a_Timeout_after_TimeoutSec_and_cancelling_stops_at_once_without_calling_it_one()
    {
        _server.InjectFault(_ => true, Fault.Delay(TimeSpan.FromSeconds(60)));
        using var source = Open(timeoutSeconds: 1);
        var clock = Stopwatch.StartNew();
        Assert.Equal("ClusterTimeout", ErrorId(() => source.ReadNode("node-1", CancellationToken.None)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the timeout took {clock.Elapsed}");

        using var patient = Open(timeoutSeconds: 120);
        using var ctrlC = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        clock.Restart();
        Assert.ThrowsAny<OperationCanceledException>(() => patient.ListPodsOnNode("node-1", ctrlC.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the cancellation took {clock.Elapsed}");
    }

    [Fact]
    public void An_answer_of_503_is_RequestFailed()
    {
        _server.InjectFault(r => r.Path == "/api/v1/pods", Fault.Status(503));
        using var source = Open();
        Assert.Equal("ClusterRequestFailed", ErrorId(() => source.ListPodsOnNode("node-1", CancellationToken.None)));
    }

    [Fact]
    public void KUBECONFIG_files_merge_as_kubectl_merges_them_and_a_missing_context_is_named()
    {
        var closed = new KubeconfigCluster(new Uri($"https://127.0.0.1:{KubeApiServer.ReserveClosedPort()}")) { Name = "closed", CertificateAuthorityPem = _server.CaCertificatePem };
        var first = Path.Combine(_scratch.FullName, "first");
        var second = Path.Combine(_scratch.FullName, "second");
        // The first file's current-context wins; a context both name comes from the first file.
        new Kubeconfig().AddContext("stale", closed, KubeconfigUser.WithToken(_server.DefaultToken, "u1")).UseContext("stale").Write(first);
        new Kubeconfig()
            .AddContext("live", _server.Cluster("live"), KubeconfigUser.WithToken(_server.DefaultToken, "u2"))
            .AddContext("stale", _server.Cluster("live"), KubeconfigUser.WithToken(_server.DefaultToken, "u2"))
            .UseContext("live").Write(second);
        var merged = new ClusterConfigChoice(ClusterConfigSource.KubeconfigVariable, [first, second], null);

        using (var current = Open(merged))
            Assert.Equal("ClusterUnreachable", ErrorId(() => current.ReadNode("node-1", CancellationToken.None)));
        using (var live = Open(merged with { Context = "live" }))
            Assert.Equal("node-1", live.ReadNode("node-1", CancellationToken.None).Name);

        var ex = Assert.Throws<PodLogsException>(() => Open(merged with { Context = "prod" }));
        Assert.Equal("ClusterContextNotFound", ex.Failure.ErrorId);
        Assert.Contains("'live'", ex.Message);
    }

    /// <summary>
    /// A node root whose kubeadm kubelet.conf names its client certificate (written) and its CA at
    /// /etc/kubernetes/pki/ca.crt (left to the test), both as node paths.
    /// </summary>
    (string Root, string KubeletConf) KubeletKubeconfigNode()
    {
        var root = Directory.CreateDirectory(Path.Combine(_scratch.FullName, "node")).FullName;
        var pki = Directory.CreateDirectory(Path.Combine(root, "var/lib/kubelet/pki")).FullName;
        _server.IssueClientCertificate("system:node:node-1", "system:nodes").WriteCombinedPem(Path.Combine(pki, "kubelet-client-current.pem"));
        Directory.CreateDirectory(Path.Combine(root, "etc/kubernetes"));
        var kubeletConf = Path.Combine(root, "etc/kubernetes/kubelet.conf");
        new Kubeconfig().AddContext("system:node:node-1@kubernetes",
                _server.Cluster("kubernetes") with { CertificateAuthorityPem = null, CertificateAuthorityFile = "/etc/kubernetes/pki/ca.crt" },
                KubeconfigUser.WithClientCertificateFiles("/var/lib/kubelet/pki/kubelet-client-current.pem", "/var/lib/kubelet/pki/kubelet-client-current.pem", "default-auth"))
            .UseContext("system:node:node-1@kubernetes").Write(kubeletConf);
        return (root, kubeletConf);
    }

    [Fact]
    public void The_kubelets_kubeconfig_names_node_paths_that_resolve_under_the_root()
    {
        var (root, kubeletConf) = KubeletKubeconfigNode();
        Directory.CreateDirectory(Path.Combine(root, "etc/kubernetes/pki"));
        File.WriteAllText(Path.Combine(root, "etc/kubernetes/pki/ca.crt"), _server.CaCertificatePem);

        var choice = new ClusterConfigChoice(ClusterConfigSource.KubeletKubeconfig, [kubeletConf], null) { NodePathsUnder = new NodeRoot(root) };
        using (var kubelet = Open(choice))
            Assert.Equal("node-1", kubelet.ReadNode("node-1", CancellationToken.None).Name);
        Assert.Contains(_server.Requests, r => r.User == "system:node:node-1");

        // Read as a plain kubeconfig, the same paths name this machine's /var/lib/kubelet: not there.
        Assert.Equal("ClusterConfigInvalid", ErrorId(() => Open(choice with { Source = ClusterConfigSource.Parameter, NodePathsUnder = null }).Dispose()));
    }

    [Fact]
    public void A_kubelet_kubeconfig_path_that_does_not_resolve_under_the_root_never_reads_the_hosts_file()
    {
        // <root>/etc/kubernetes/pki -> /tmp/podlogs-door-…/pki (absolute), missing under the root; the host's
        // /tmp/podlogs-door-…/pki/ca.crt is a decoy holding the real CA, so only a leak makes the connection work.
        var outside = "/tmp/podlogs-door-" + Guid.NewGuid().ToString("n")[..12];
        try
        {
            var (root, kubeletConf) = KubeletKubeconfigNode();
            File.CreateSymbolicLink(Path.Combine(root, "etc/kubernetes/pki"), outside + "/pki");
            Directory.CreateDirectory(outside + "/pki");
            File.WriteAllText(outside + "/pki/ca.crt", _server.CaCertificatePem);

            var choice = new ClusterConfigChoice(ClusterConfigSource.KubeletKubeconfig, [kubeletConf], null) { NodePathsUnder = new NodeRoot(root) };
            Assert.Equal("ClusterConfigInvalid", ErrorId(() => Open(choice).Dispose()));
            Assert.DoesNotContain(_server.Requests, r => r.User == "system:node:node-1");
        }
        finally
        {
            if (Directory.Exists(outside)) Directory.Delete(outside, recursive: true);
        }
    }
}
