using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Cluster;

/// <summary>
/// Chooses the connection settings in issue #4's order: -Kubeconfig/-Context; KUBECONFIG; ~/.kube/config;
/// the in-cluster service account; the kubelet's own kubeconfig under -Root.
/// </summary>
public static class ClusterConfigLocator
{
    /// <summary>kubeadm's kubelet kubeconfig, used when kubelet's flags name no other.</summary>
    public const string DefaultKubeletKubeconfig = "/etc/kubernetes/kubelet.conf";
    public const string ServiceAccountToken = "/var/run/secrets/kubernetes.io/serviceaccount/token";
    public const string ServiceAccountCertificateAuthority = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

    public static ClusterConfigChoice Choose(string? kubeconfig, string? context, NodeRoot root, Func<string, string?> environment, IPodLogsReporter reporter)
    {
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            var full = Path.GetFullPath(kubeconfig);
            if (!File.Exists(full))
                throw new PodLogsException(ErrorIds.Cluster.ClusterConfigNotFound, FailureCategory.ObjectNotFound, $"The kubeconfig '{kubeconfig}' does not exist.", full);
            return Chosen(new(ClusterConfigSource.Parameter, [full], context), reporter);
        }
        if (environment("KUBECONFIG") is { Length: > 0 } variable)
        {
            var files = variable.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath).Where(File.Exists).Distinct().ToList();
            if (files.Count > 0) return Chosen(new(ClusterConfigSource.KubeconfigVariable, files, context), reporter);
            reporter.Verbose($"KUBECONFIG names no existing file ({variable}).");
        }
        if (environment("HOME") is { Length: > 0 } home && Path.Combine(home, ".kube", "config") is var homeConfig && File.Exists(homeConfig))
            return Chosen(new(ClusterConfigSource.HomeKubeconfig, [homeConfig], context), reporter);
        if (environment("KUBERNETES_SERVICE_HOST") is { Length: > 0 } host && File.Exists(ServiceAccountToken))
        {
            if (context is not null) reporter.Warning($"-Context '{context}' does not apply to the in-cluster service account; it is ignored.");
            if (Uri.CheckHostName(host) == UriHostNameType.Unknown)
                throw new PodLogsException(ErrorIds.Cluster.ClusterConfigInvalid, FailureCategory.InvalidData,
                    $"KUBERNETES_SERVICE_HOST '{host}' is not a host name or address.", ServiceAccountToken);
            var port = int.TryParse(environment("KUBERNETES_SERVICE_PORT"), out var p) && p is > 0 and < 65536 ? p : 443;
            return Chosen(new(ClusterConfigSource.InCluster, [ServiceAccountToken, ServiceAccountCertificateAuthority], null)
            {
                InClusterServer = new UriBuilder(Uri.UriSchemeHttps, host, port).Uri,
            }, reporter);
        }
        var kubeletKubeconfig = KubeletKubeconfig(root);
        if (NodePath.IsAbsolute(kubeletKubeconfig) && root.Resolve(kubeletKubeconfig) is { IsResolved: true } resolved)
            return Chosen(new(ClusterConfigSource.KubeletKubeconfig, [root.ToLocal(resolved.NodePath)], context) { NodePathsUnder = root }, reporter);
        throw new PodLogsException(ErrorIds.Cluster.ClusterConfigNotFound, FailureCategory.ObjectNotFound,
            $"No Kubernetes API configuration found: pass -Kubeconfig, or set KUBECONFIG; there is no ~/.kube/config, no in-cluster service account, and no kubelet kubeconfig ({kubeletKubeconfig}) under the root '{root.LocalRoot}'.",
            root.ToLocal(NodePath.IsAbsolute(kubeletKubeconfig) ? kubeletKubeconfig : DefaultKubeletKubeconfig));
    }

    /// <summary>The kubelet's kubeconfig as a node path: its --kubeconfig flag, else kubeadm's.</summary>
    public static string KubeletKubeconfig(NodeRoot root) =>
        KubeletProcess.FindFlag(KubeletProcess.ReadFlags(root), "--kubeconfig") ?? DefaultKubeletKubeconfig;

    static ClusterConfigChoice Chosen(ClusterConfigChoice choice, IPodLogsReporter reporter)
    {
        reporter.Verbose($"Kubernetes API settings: {choice} ({choice.Source}).");
        return choice;
    }
}
