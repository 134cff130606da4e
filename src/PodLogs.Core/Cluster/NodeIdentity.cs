using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Cluster;

/// <summary>
/// Which Node object this machine is (issue #4 Deliver 2), and the check that the API's Node really is
/// this machine before any verdict that would let a cleanup delete files.
/// </summary>
public static partial class NodeIdentity
{
    /// <summary>Where the kubelet's rotated client certificate lives (kubelet's <c>--cert-dir</c> default).</summary>
    public const string KubeletClientCertificate = "/var/lib/kubelet/pki/kubelet-client-current.pem";
    public const string MachineIdFile = "/etc/machine-id";
    const string NodeUserPrefix = "system:node:";

    /// <summary>-NodeName; NODE_NAME; the kubelet client certificate's CN; --hostname-override; the lowercased hostname under the root.</summary>
    public static NodeNameChoice ResolveName(string? nodeName, NodeRoot root, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(nodeName)) return new(nodeName.Trim(), "-NodeName");
        if (environment("NODE_NAME") is { Length: > 0 } fromEnvironment) return new(fromEnvironment.Trim(), "the NODE_NAME environment variable");
        return NameFromFiles(root)
            ?? throw new PodLogsException(ErrorIds.Cluster.NodeNameUnknown, FailureCategory.ObjectNotFound,
                $"Cannot tell this node's name: pass -NodeName (no NODE_NAME, no kubelet client certificate, no --hostname-override, no /etc/hostname under '{root.LocalRoot}').", root.ToLocal("/etc/hostname"));
    }

    /// <summary>
    /// The node's name as kubelet knows it, from the files under the root alone: the kubelet client certificate's
    /// CN, kubelet's --hostname-override, else the hostname (on '/' the machine's own when /etc/hostname is absent).
    /// Null when none of them names it.
    /// </summary>
    public static NodeNameChoice? NameFromFiles(NodeRoot root)
    {
        if (NameFromKubeletCertificate(root) is { } fromCertificate) return fromCertificate;
        var flags = KubeletProcess.ReadFlags(root);
        if (KubeletProcess.FindFlag(flags, "--hostname-override") is { Length: > 0 } overridden)
            return new(overridden.Trim().ToLowerInvariant(), "kubelet's --hostname-override");
        // kubelet's nodeutil.GetHostname: the hostname, trimmed and lowercased.
        var hostname = SafeFile.ReadNodeText(root, "/etc/hostname")?.Split('\n')[0].Trim();
        if (string.IsNullOrEmpty(hostname) && root.IsHostRoot) hostname = Environment.MachineName;
        return string.IsNullOrEmpty(hostname) ? null : new(hostname.ToLowerInvariant(), "the hostname");
    }

    static NodeNameChoice? NameFromKubeletCertificate(NodeRoot root)
    {
        if (SafeFile.ReadNodeText(root, KubeletClientCertificate) is { } pem && NodeUserOf(pem) is { } name)
            return new(name, $"the kubelet client certificate {KubeletClientCertificate}");
        var kubeletKubeconfigNodePath = ClusterConfigLocator.KubeletKubeconfig(root);
        if (!NodePath.IsAbsolute(kubeletKubeconfigNodePath) || SafeFile.ReadNodeText(root, kubeletKubeconfigNodePath) is not { } kubeconfig) return null;
        if (ClientCertificateData().Match(kubeconfig) is { Success: true } data)
        {
            try
            {
                var decoded = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(data.Groups[1].Value));
                if (NodeUserOf(decoded) is { } fromData) return new(fromData, $"the client certificate in {kubeletKubeconfigNodePath}");
            }
            catch (FormatException) { }
        }
        if (ClientCertificatePath().Match(kubeconfig) is { Success: true } path
            && SafeFile.ReadNodeText(root, path.Groups[1].Value.Trim('"', '\'')) is { } referenced && NodeUserOf(referenced) is { } fromFile)
            return new(fromFile, $"the client certificate {path.Groups[1].Value} named by {kubeletKubeconfigNodePath}");
        return null;
    }

    /// <summary>The node name in a kubelet client certificate's subject (<c>CN=system:node:&lt;name&gt;</c>), or null.</summary>
    public static string? NodeUserOf(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            return commonName.StartsWith(NodeUserPrefix, StringComparison.Ordinal) && commonName.Length > NodeUserPrefix.Length
                ? commonName[NodeUserPrefix.Length..]
                : null;
        }
        catch (CryptographicException) { return null; }
        catch (ArgumentException) { return null; }
    }

    /// <summary>
    /// The API's Node must be this machine: <c>status.nodeInfo.machineID</c> equals the root's /etc/machine-id
    /// where both exist. A kubeconfig for another cluster must never make every directory look orphaned.
    /// </summary>
    public static void Verify(ClusterNode node, NodeRoot root, string apiDescription, IPodLogsReporter reporter)
    {
        var local = SafeFile.ReadNodeText(root, MachineIdFile)?.Trim();
        if (string.IsNullOrEmpty(local) || string.IsNullOrEmpty(node.MachineId))
        {
            reporter.Verbose($"Node identity not checked: {(string.IsNullOrEmpty(local) ? $"no {MachineIdFile} under the root" : $"the Node '{node.Name}' reports no machineID")}.");
            return;
        }
        if (!string.Equals(local, node.MachineId.Trim(), StringComparison.OrdinalIgnoreCase))
            throw new PodLogsException(ErrorIds.Cluster.NodeIdentityMismatch, FailureCategory.SecurityError,
                $"The Node '{node.Name}' in {apiDescription} has machineID {node.MachineId}, but this node's {MachineIdFile} says {local}: the kubeconfig, context or -NodeName points at another machine. Nothing is judged against it.",
                root.ToLocal(MachineIdFile));
        reporter.Verbose($"Node identity checked: '{node.Name}' has this node's machine-id {local}.");
    }

    [GeneratedRegex(@"^\s*client-certificate-data:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ClientCertificateData();

    [GeneratedRegex(@"^\s*client-certificate:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ClientCertificatePath();
}
