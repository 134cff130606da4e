using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Serialization;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Runtime.Cluster;

/// <summary>
/// Turns a <see cref="ClusterConfigChoice"/> into KubernetesClient's configuration: kubeconfig files merged
/// as kubectl merges KUBECONFIG (the first file to name a cluster, user or context wins; the first
/// current-context wins), the kubelet's kubeconfig with its node paths resolved under -Root, or the
/// in-cluster service account.
/// </summary>
internal static class KubeconfigLoader
{
    public static KubernetesClientConfiguration Load(ClusterConfigChoice choice)
    {
        try
        {
            if (choice.Source == ClusterConfigSource.InCluster) return InCluster(choice);
            var merged = Merge(choice.Files.Select(f => Read(f, choice.NodePathsUnder)).ToList());
            var context = choice.Context ?? merged.CurrentContext;
            if (string.IsNullOrEmpty(context))
                throw new PodLogsException(ErrorIds.Cluster.ClusterContextNotFound, FailureCategory.InvalidArgument,
                    $"{choice} sets no current-context: pass -Context (it has {Names(merged)}).", choice.Files[0]);
            if (merged.Contexts?.Any(c => c.Name == context) != true)
                throw new PodLogsException(ErrorIds.Cluster.ClusterContextNotFound, FailureCategory.ObjectNotFound,
                    $"The context '{context}' is not in {string.Join(':', choice.Files)} (it has {Names(merged)}).", choice.Files[0]);
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
        }
        catch (Exception ex) when (ex is KubeConfigException or YamlDotNet.Core.YamlException or IOException or FormatException or UnauthorizedAccessException or ArgumentException
                                       or System.Security.Cryptography.CryptographicException)
        {
            throw new PodLogsException(ErrorIds.Cluster.ClusterConfigInvalid, FailureCategory.InvalidData,
                $"Cannot use the Kubernetes API settings from {choice}: {ex.Message}", choice.Files.FirstOrDefault(), ex);
        }
    }

    static string Names(K8SConfiguration config) =>
        config.Contexts?.Any() == true ? "contexts " + string.Join(", ", config.Contexts.Select(c => $"'{c.Name}'")) : "no contexts";

    // YamlDotNet straight into KubernetesClient's kubeconfig model (its attributes name the fields), not
    // KubernetesClientConfiguration.LoadKubeConfig: that first builds KubernetesYaml's deserializer for
    // every API type, about 0.6 s of a first call whose target is 1 s (benchmarks/ClusterStartup.ps1).
    static readonly Lazy<IDeserializer> Yaml = new(() => new DeserializerBuilder().IgnoreUnmatchedProperties().Build());

    // Caps on what is read before KubernetesClient sees it (issue #11): a kubeconfig with many clusters and
    // their certificates inline stays far below the first; a certificate, key or token far below the second.
    internal const int KubeconfigLimit = 16 * 1024 * 1024;
    internal const int CredentialFileLimit = SafeFile.StateFileLimit;

    static K8SConfiguration Read(string localPath, NodeRoot? nodePathsUnder)
    {
        var content = nodePathsUnder is null
            ? ReadUserSettingsFile(localPath, "kubeconfig", KubeconfigLimit)
            : ReadNodeSettingsFile(nodePathsUnder, nodePathsUnder.ToNode(localPath) ?? localPath, "kubeconfig", KubeconfigLimit);
        var config = Yaml.Value.Deserialize<K8SConfiguration?>(System.Text.Encoding.UTF8.GetString(content))
                     ?? throw new KubeConfigException($"{localPath} is empty");
        // Relative paths inside are relative to the file (as LoadKubeConfig's useRelativePaths does);
        // the kubelet's absolute ones are node paths.
        Func<string, string, byte[]> read;
        if (nodePathsUnder is null)
        {
            var fileDirectory = Path.GetDirectoryName(localPath)!;
            read = (path, what) => ReadUserSettingsFile(Path.GetFullPath(path, fileDirectory), what, CredentialFileLimit);
        }
        else
        {
            var fileDirectory = nodePathsUnder.ToNode(Path.GetDirectoryName(localPath)!) ?? "/";
            read = (path, what) => ReadNodeSettingsFile(nodePathsUnder, NodePath.IsAbsolute(path) ? path : NodePath.Combine(fileDirectory, path), what, CredentialFileLimit);
        }
        // Every file the kubeconfig names is read here, through the same checks, and handed on inline:
        // KubernetesClient would open a FIFO, a device or a huge file by its path and hang or run out of memory.
        string? Embed(string? path, string? data, string what) =>
            !string.IsNullOrEmpty(data) || string.IsNullOrEmpty(path) ? data : Convert.ToBase64String(read(path, what));
        foreach (var user in config.Users ?? [])
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificateData = Embed(credentials.ClientCertificate, credentials.ClientCertificateData, $"client certificate of user '{user.Name}'");
                credentials.ClientKeyData = Embed(credentials.ClientKey, credentials.ClientKeyData, $"client key of user '{user.Name}'");
                (credentials.ClientCertificate, credentials.ClientKey) = (null, null);
            }
        foreach (var cluster in config.Clusters ?? [])
            if (cluster.ClusterEndpoint is { } endpoint)
            {
                endpoint.CertificateAuthorityData = Embed(endpoint.CertificateAuthority, endpoint.CertificateAuthorityData, $"certificate authority of cluster '{cluster.Name}'");
                endpoint.CertificateAuthority = null;
            }
        return config;
    }

    /// <summary>
    /// The service account's settings, read through the same checks as a kubeconfig's files (not
    /// <c>InClusterConfig</c>, which opens them by path): the token as a bearer token for this command.
    /// </summary>
    static KubernetesClientConfiguration InCluster(ClusterConfigChoice choice)
    {
        var token = System.Text.Encoding.UTF8.GetString(ReadUserSettingsFile(choice.Files[0], "service account token", CredentialFileLimit)).Trim();
        var authority = System.Text.Encoding.ASCII.GetString(ReadUserSettingsFile(choice.Files[1], "service account CA certificate", CredentialFileLimit));
        var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        certificates.ImportFromPem(authority);
        if (certificates.Count == 0) throw new FormatException($"{choice.Files[1]} holds no PEM certificate.");
        return new KubernetesClientConfiguration
        {
            Host = (choice.InClusterServer ?? throw new KubeConfigException("KUBERNETES_SERVICE_HOST is not set")).AbsoluteUri,
            AccessToken = token,
            SslCaCerts = certificates,
        };
    }

    /// <summary>
    /// A kubeconfig or a file it names on this machine, checked before anything parses it: a regular file (a FIFO or
    /// device is refused without blocking), at most <paramref name="maxBytes"/>; a link is followed, as kubectl does.
    /// </summary>
    static byte[] ReadUserSettingsFile(string localPath, string what, int maxBytes) =>
        Checked(SafeFile.ReadUserFile(localPath, maxBytes), localPath, what, maxBytes);

    /// <summary>
    /// The same for a node path of the kubelet's kubeconfig, reached under -Root: one that does not resolve there is
    /// refused, never read by its local spelling (the kernel would follow the node's absolute links from this machine's '/').
    /// </summary>
    static byte[] ReadNodeSettingsFile(NodeRoot root, string nodePath, string what, int maxBytes)
    {
        var read = SafeFile.ReadNodeFile(root, NodePath.Clean(nodePath), maxBytes);
        if (read.Outcome == SafeReadOutcome.NotFound)
            throw new PodLogsException(ErrorIds.Cluster.ClusterConfigInvalid, FailureCategory.ObjectNotFound,
                $"The {what} '{nodePath}' does not resolve under the root '{root.LocalRoot}'.", root.ToLocal(NodePath.Clean(nodePath)));
        return Checked(read, root.ToLocal(NodePath.Clean(nodePath)), what, maxBytes);
    }

    static byte[] Checked(SafeReadResult read, string localPath, string what, int maxBytes) =>
        read.Outcome == SafeReadOutcome.Ok
            ? read.Content
            : throw new PodLogsException(ErrorIds.Cluster.ClusterConfigInvalid,
                read.Outcome == SafeReadOutcome.AccessDenied ? FailureCategory.PermissionDenied : FailureCategory.InvalidData,
                $"Cannot use the {what} '{localPath}': {SafeFile.Describe(read, maxBytes)}.", localPath);

    static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files)
    {
        if (files.Count == 1) return files[0];
        static List<T> FirstByName<T>(IEnumerable<IEnumerable<T>?> lists, Func<T, string> name) =>
            lists.SelectMany(l => l ?? []).GroupBy(name).Select(g => g.First()).ToList();
        return new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = FirstByName(files.Select(f => f.Clusters), c => c.Name),
            Users = FirstByName(files.Select(f => f.Users), u => u.Name),
            Contexts = FirstByName(files.Select(f => f.Contexts), c => c.Name),
        };
    }
}
