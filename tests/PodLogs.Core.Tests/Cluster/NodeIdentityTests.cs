using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PodLogs.Core.Cluster;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>Issue #4 Deliver 2: which Node this machine is, and the machine-id check before any verdict.</summary>
public sealed class NodeIdentityTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    static string CertificatePem(string commonName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"O=system:nodes, CN={commonName}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // kubelet-client-current.pem holds the certificate and then its key.
        return certificate.ExportCertificatePem() + "\n" + key.ExportECPrivateKeyPem() + "\n";
    }

    NodeNameChoice Resolve(string? nodeName = null, Func<string, string?>? environment = null) =>
        NodeIdentity.ResolveName(nodeName, _node.Layout().Root, environment ?? Environment());

    [Fact]
    public void The_name_comes_from_the_parameter_then_NODE_NAME_then_the_kubelet_certificate_then_hostname_override_then_the_hostname()
    {
        _node.WriteFile("/etc/hostname", "Worker-7.Example.com\n");
        Assert.Equal("worker-7.example.com", Resolve().Name);

        _node.WriteFile("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--hostname-override=Override-1 --node-ip=10.0.0.7\"\n");
        Assert.Equal(new NodeNameChoice("override-1", "kubelet's --hostname-override"), Resolve());

        _node.WriteFile(NodeIdentity.KubeletClientCertificate, CertificatePem("system:node:ip-10-0-0-7.ec2.internal"));
        Assert.Equal("ip-10-0-0-7.ec2.internal", Resolve().Name);

        Assert.Equal("from-env", Resolve(environment: Environment(("NODE_NAME", "from-env"))).Name);
        Assert.Equal("given", Resolve("given", Environment(("NODE_NAME", "from-env"))).Name);
    }

    [Fact]
    public void A_certificate_that_is_not_a_node_users_is_ignored_and_one_inlined_in_the_kubelet_kubeconfig_is_read()
    {
        _node.WriteFile("/etc/hostname", "host-a\n");
        _node.WriteFile(NodeIdentity.KubeletClientCertificate, CertificatePem("kubernetes-admin"));
        Assert.Equal("host-a", Resolve().Name);

        var data = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(CertificatePem("system:node:node-from-conf")));
        _node.WriteFile(ClusterConfigLocator.DefaultKubeletKubeconfig, $"apiVersion: v1\nkind: Config\nusers:\n- name: default-auth\n  user:\n    client-certificate-data: {data}\n");
        Assert.Equal("node-from-conf", Resolve().Name);
    }

    [Fact]
    public void Records_find_the_node_name_from_the_files_once_per_command_and_only_when_asked()
    {
        _node.WriteFile("/etc/hostname", "Node-A\n");
        var root = _node.Layout().Root;
        // Nothing is read until a record is asked: a change before the first read is seen ...
        _node.WriteFile("/etc/hostname", "Node-B\n");
        Assert.Equal("node-b", root.NodeName.Value);
        // ... and then the name is kept for the rest of the command.
        _node.WriteFile("/etc/hostname", "node-c\n");
        Assert.Equal("node-b", root.NodeName.Value);
        Assert.Equal("node-c", new Node.NodeRoot(root.LocalRoot).NodeName.Value);
    }

    [Fact]
    public void The_name_from_the_files_prefers_the_kubelet_certificate_and_never_reads_NODE_NAME()
    {
        _node.WriteFile("/etc/hostname", "host-a\n");
        _node.WriteFile(NodeIdentity.KubeletClientCertificate, CertificatePem("system:node:Node-From-Cert"));
        Assert.Equal(new NodeNameChoice("Node-From-Cert", $"the kubelet client certificate {NodeIdentity.KubeletClientCertificate}"), NodeIdentity.NameFromFiles(_node.Layout().Root));
        Assert.Null(NodeIdentity.NameFromFiles(new Node.NodeRoot(Path.Combine(_node.Root, "var"))));
    }

    [Fact]
    public void A_node_with_no_name_to_find_is_a_clear_error()
    {
        var ex = Assert.Throws<PodLogsException>(() => Resolve());
        Assert.Equal("NodeNameUnknown", ex.Failure.ErrorId);
    }

    [Fact]
    public void The_API_node_must_have_this_machines_id()
    {
        _node.WriteFile(NodeIdentity.MachineIdFile, "0123456789abcdef0123456789abcdef\n");
        var root = _node.Layout().Root;
        var reporter = new CollectingReporter();
        NodeIdentity.Verify(new ClusterNode("node-1", "0123456789ABCDEF0123456789ABCDEF", null, null), root, "the test API", reporter);

        var ex = Assert.Throws<PodLogsException>(() =>
            NodeIdentity.Verify(new ClusterNode("node-1", "ffffffffffffffffffffffffffffffff", null, null), root, "the test API", reporter));
        Assert.Equal("NodeIdentityMismatch", ex.Failure.ErrorId);
        Assert.Contains("another machine", ex.Message);
    }

    [Fact]
    public void Without_a_machine_id_on_either_side_nothing_is_compared()
    {
        var reporter = new CollectingReporter();
        NodeIdentity.Verify(new ClusterNode("node-1", "ffff", null, null), _node.Layout().Root, "the test API", reporter);
        _node.WriteFile(NodeIdentity.MachineIdFile, "0123\n");
        NodeIdentity.Verify(new ClusterNode("node-1", null, null, null), _node.Layout().Root, "the test API", reporter);
        Assert.Equal(2, reporter.VerboseMessages.Count(m => m.StartsWith("Node identity not checked")));
    }
}
