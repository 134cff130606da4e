using PodLogs.Core.Cluster;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cluster;
using PodLogs.Runtime.Cri;
using PodLogs.Runtime.Docker;

namespace PodLogs.Runtime;

/// <summary>
/// The entry points the module calls by reflection once it has loaded this assembly into its private
/// load context: plain static methods with only BCL and Core types in their signatures.
/// </summary>
public static class RuntimeSources
{
    /// <summary>
    /// A live CRI runtime: <paramref name="endpoint"/> is <c>unix:///run/containerd/containerd.sock</c> or a
    /// bare socket path, a node path resolved under the layout's root when read; <paramref name="timeout"/>
    /// bounds each whole read.
    /// </summary>
    public static IRuntimeSource CreateCri(string endpoint, TimeSpan timeout) => new CriRuntimeSource(endpoint, timeout);

    /// <summary>The Docker Engine API: a unix endpoint is a node path resolved under the layout's root; tcp:// is used as given.</summary>
    public static IRuntimeSource CreateDocker(string endpoint, TimeSpan timeout) => new DockerApiSource(endpoint, timeout);

    /// <summary>The same, inspecting every container (the slower, always-exact way; for benchmarks).</summary>
    public static IRuntimeSource CreateDockerInspectingAll(string endpoint, TimeSpan timeout) =>
        new DockerApiSource(endpoint, timeout) { InspectEveryContainer = true };

    /// <summary>The Kubernetes API through KubernetesClient, configured as <paramref name="choice"/> says; each call bounded by <paramref name="timeout"/>.</summary>
    public static IClusterSource CreateCluster(ClusterConfigChoice choice, TimeSpan timeout) => new KubernetesClusterSource(choice, timeout);
}
