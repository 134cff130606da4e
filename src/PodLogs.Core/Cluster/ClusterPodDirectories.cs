using PodLogs.Core.Inspection;

namespace PodLogs.Core.Cluster;

/// <summary>
/// Get-PodLogDirectory -Cluster: for each selected pod the API schedules on this node (by namespace, then name), the
/// directory kubelet makes for it (named with <see cref="ClusterPod.LogDirectoryUid"/>), whether or not it exists, with
/// what the API says of the pod.
/// </summary>
public static class ClusterPodDirectories
{
    public static IEnumerable<PodLogDirectory> Describe(ClusterSnapshot cluster, PodDirectoryScanner scanner, LogSelection selection)
    {
        foreach (var pod in cluster.Pods.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal))
        {
            if (!selection.MatchesPod(pod.Namespace, pod.Name, pod.LogDirectoryUid)) continue;
            var record = scanner.Describe(scanner.Compute(pod.Namespace, pod.Name, pod.LogDirectoryUid));
            yield return record with { InCluster = true, IsStaticPod = pod.IsStaticPod, ClusterPodUid = pod.Uid, Phase = pod.Phase };
        }
    }
}
