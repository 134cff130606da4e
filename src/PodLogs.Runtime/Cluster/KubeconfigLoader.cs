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
            if (choice.Source == ClusterConfigSource.InCluster) return KubernetesClientConfiguration.InClusterConfig();
            var merged = Merge(choice.Files.Select(f => Read(f, choice.NodePathsUnder)).ToList());
            var context = choice.Context ?? merged.CurrentContext;
            if (string.IsNullOrEmpty(context))
                throw new PodLogsException(ClusterErrorIds.ContextNotFound, FailureCategory.InvalidArgument,
                    $"{choice} sets no current-context: pass -Context (it has {Names(merged)}).", choice.Files[0]);
            if (merged.Contexts?.Any(c => c.Name == context) != true)
                throw new PodLogsException(ClusterErrorIds.ContextNotFound, FailureCategory.ObjectNotFound,
                    $"The context '{context}' is not in {string.Join(':', choice.Files)} (it has {Names(merged)}).", choice.Files[0]);
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context);
        }
        catch (Exception ex) when (ex is KubeConfigException or YamlDotNet.Core.YamlException or IOException or FormatException or UnauthorizedAccessException or ArgumentException)
        {
            throw new PodLogsException(ClusterErrorIds.ConfigInvalid, FailureCategory.InvalidData,
                $"Cannot use the Kubernetes API settings from {choice}: {ex.Message}", choice.Files.FirstOrDefault(), ex);
        }
    }

    static string Names(K8SConfiguration config) =>
        config.Contexts?.Any() == true ? "contexts " + string.Join(", ", config.Contexts.Select(c => $"'{c.Name}'")) : "no contexts";

    // YamlDotNet straight into KubernetesClient's kubeconfig model (its attributes name the fields), not
    // KubernetesClientConfiguration.LoadKubeConfig: that first builds KubernetesYaml's deserializer for
    // every API type, about 0.6 s of a first call whose target is 1 s (benchmarks/ClusterStartup.ps1).
    static readonly Lazy<IDeserializer> Yaml = new(() => new DeserializerBuilder().IgnoreUnmatchedProperties().Build());

    static K8SConfiguration Read(string localPath, NodeRoot? nodePathsUnder)
    {
        var config = Yaml.Value.Deserialize<K8SConfiguration?>(File.ReadAllText(localPath))
                     ?? throw new KubeConfigException($"{localPath} is empty");
        // Relative paths inside are relative to the file (as LoadKubeConfig's useRelativePaths does);
        // the kubelet's absolute ones are node paths.
        if (nodePathsUnder is null)
        {
            config.FileName = localPath;
            return config;
        }
        var fileDirectory = nodePathsUnder.ToNode(Path.GetDirectoryName(localPath)!) ?? "/";
        string? Local(string? path) => string.IsNullOrEmpty(path) ? path : UnderRoot(nodePathsUnder, NodePath.IsAbsolute(path) ? path : NodePath.Combine(fileDirectory, path));
        foreach (var user in config.Users ?? [])
            if (user.UserCredentials is { } credentials)
            {
                credentials.ClientCertificate = Local(credentials.ClientCertificate);
                credentials.ClientKey = Local(credentials.ClientKey);
            }
        foreach (var cluster in config.Clusters ?? [])
            if (cluster.ClusterEndpoint is { } endpoint)
                endpoint.CertificateAuthority = Local(endpoint.CertificateAuthority);
        return config;
    }

    static string UnderRoot(NodeRoot root, string nodePath)
    {
        // Where it resolved, or where resolving stopped (the missing entry, its parents resolved): the kubeconfig's
        // spelling as a local path could reach the host's own file through an absolute link among its parents.
        var resolved = root.Resolve(NodePath.Clean(nodePath));
        return root.ToLocal(resolved.NodePath);
    }

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
