using PodLogs.Core.Cluster;
using PodLogs.Core.Node;
using PodLogs.Core.Inspection;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Removal;

/// <summary>
/// Which pod log directories are dead, as kubelet's garbage collection judges them (issue #13 item 4): no pod on this node
/// in the API owns the directory (<paramref name="cluster"/>, after the node-identity check), or — with no pod list, under
/// -Force — the runtime, knowing every container, has none of the pod. Either way, a directory is kept while the runtime
/// still has a container of its pod, and while anything in it changed within the grace period. Nothing is removed here.
/// </summary>
public sealed class PodDirectoryCleanup(NodeRoot root, ClusterSnapshot? cluster, RuntimeSnapshot? runtime, RemovalGrace grace, IPodLogsReporter reporter)
{
    /// <summary>
    /// Null when a decision can be had; else why not: without a pod list, the runtime's word must cover every container
    /// (containerd's bundles show only the running ones).
    /// </summary>
    public static PodLogsFailure? MissingWord(ClusterSnapshot? cluster, RuntimeSnapshot? runtime) =>
        cluster is not null ? null
        : runtime is null ? new(ErrorIds.Removal.RuntimeWordRequired, FailureCategory.ResourceUnavailable,
            "-Force removes a pod's log directory on the runtime's word that it has no container of that pod, and no runtime answered (is the daemon running? see -Source). Without -Force, the Kubernetes API's pod list decides.", null)
        : !runtime.KnowsEveryContainer ? new(ErrorIds.Removal.RuntimeWordRequired, FailureCategory.ResourceUnavailable,
            $"-Force removes a pod's log directory on the runtime's word that it has no container of that pod, but {runtime.SourceName} shows only running containers, not exited ones. Ask the daemon itself (-Source Cri or Docker), or let the Kubernetes API decide (no -Force).", null)
        : null;

    /// <summary>
    /// The directories to remove among <paramref name="pods"/>. A pod <paramref name="named"/> says is the caller's own pick
    /// gets an error when it is kept; the others of a sweep are kept with a verbose note. Only a directory no owner keeps
    /// is <paramref name="describe"/>d (its tree walked for its newest change and its bytes): a sweep of a node whose pods
    /// are nearly all alive walks almost nothing.
    /// </summary>
    public (List<RemovalRequest> Requests, List<PodLogsFailure> Refusals) Decide(IEnumerable<PodRef> pods, Func<PodRef, PodLogDirectory> describe, Func<PodRef, bool> named)
    {
        var requests = new List<RemovalRequest>();
        var refusals = new List<PodLogsFailure>();
        foreach (var pod in pods)
        {
            var (request, refusal) = DecideOne(pod, describe);
            if (request is not null) requests.Add(request);
            else if (refusal is not null && named(pod)) refusals.Add(refusal);
            else if (refusal is not null) reporter.Verbose(refusal.Message);
        }
        return (requests, refusals);
    }

    (RemovalRequest?, PodLogsFailure?) DecideOne(PodRef pod, Func<PodRef, PodLogDirectory> describe)
    {
        var who = pod.Namespace is null ? $"pod uid {pod.PodUid}" : $"pod {pod.Namespace}/{pod.PodName} (uid {pod.PodUid})";
        var local = root.ToLocal(pod.NodePath);
        if (!pod.Exists)
            return (null, new(ErrorIds.Selection.LogEntryNotFound, FailureCategory.ObjectNotFound, $"The log directory of {who}, {pod.NodePath}, does not exist; nothing to remove.", local));
        if (cluster?.PodOwningDirectory(pod.PodUid) is { } owner)
            return (null, new(ErrorIds.Removal.PodInCluster, FailureCategory.InvalidOperation,
                $"{pod.NodePath} belongs to pod {owner.Namespace}/{owner.Name}, which the API schedules on node '{cluster.Node.Name}'; it is not removed.", local));
        if (runtime?.Containers.Where(c => c.PodUid == pod.PodUid).OrderByDescending(c => c.State == ContainerState.Running).FirstOrDefault() is { } container)
            return (null, new(ErrorIds.Removal.ContainerStillPresent, FailureCategory.InvalidOperation,
                $"{pod.NodePath} is kept: {runtime.SourceName} still has container {container.ContainerName} ({container.Id[..Math.Min(12, container.Id.Length)]}, {container.State}) of {who}; kubelet removes the directory only after the pod's containers.", local));
        var directory = describe(pod);
        if (grace.Refusal(directory.FullName, pod.NodePath, directory.LastWriteTime) is { } recent) return (null, recent);
        var why = cluster is not null
            ? $"no pod on node '{cluster.Node.Name}' in the API owns it (pod list of {cluster.ListedAt:u})"
            : $"{runtime!.SourceName} has no container of this pod (-Force)";
        if (runtime is null) reporter.Verbose($"{pod.NodePath}: no runtime answered, so only the API's word was had that its pod is gone.");
        var newest = directory.LastWriteTime is { } at ? $"; nothing in it changed since {at:u}" : "";
        return (new RemovalRequest(pod.NodePath, RemovalKind.DirectoryTree)
        {
            Namespace = pod.Namespace,
            PodName = pod.PodName,
            PodUid = pod.PodUid,
            Reason = why + newest,
        }, null);
    }
}
