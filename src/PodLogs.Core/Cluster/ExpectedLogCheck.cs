using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Cluster;

/// <summary>
/// The logs the API says must exist on this node (issue #4 Deliver 5): for each container status, the
/// instance <c>kubectl logs</c> reads and, with <c>lastState.terminated</c>, the one
/// <c>kubectl logs --previous</c> reads, each found by container id through the runtime state (never by
/// N-1 arithmetic). The inspector's records stream through <see cref="Observe"/>; what none of them
/// satisfied comes out of <see cref="Missing"/> as <see cref="LinkStatus.Missing"/> records.
/// </summary>
public sealed class ExpectedLogCheck
{
    public const string SourceName = "KubernetesApi";

    readonly NodeLayout _layout;
    readonly RuntimeSnapshot? _runtime;
    readonly IPodLogsReporter _reporter;
    readonly List<Expectation> _expectations = [];
    readonly Dictionary<string, List<Expectation>> _byNodePath = new(StringComparer.Ordinal);
    readonly Dictionary<(string, string), List<Expectation>> _unplaced = [];

    sealed class Expectation(ClusterPod pod, ClusterContainerStatus container, string containerId, bool previous)
    {
        public ClusterPod Pod { get; } = pod;
        public ClusterContainerStatus Container { get; } = container;
        public string ContainerId { get; } = containerId;
        public bool Previous { get; } = previous;
        /// <summary>The N.log this instance logs to, when the runtime or the API's restart count tells.</summary>
        public string? NodePath { get; init; }
        public int? RestartCount { get; init; }
        /// <summary>The runtime knows every container and not this one: kubelet cannot find it either.</summary>
        public bool UnknownToRuntime { get; init; }
        public bool Satisfied { get; set; }
    }

    public ExpectedLogCheck(NodeLayout layout, RuntimeSnapshot? runtime, ClusterSnapshot cluster, LogSelection selection, IPodLogsReporter reporter)
    {
        _layout = layout;
        _runtime = runtime;
        _reporter = reporter;
        foreach (var pod in cluster.Pods)
        {
            if (pod.DeletionTimestamp is not null || !selection.MatchesPod(pod.Namespace, pod.Name, pod.LogDirectoryUid)) continue;
            foreach (var container in pod.Containers)
            {
                if (!selection.MatchesContainer(container.Name)) continue;
                foreach (var previous in new[] { false, true })
                    if (KubectlLogs.ContainerIdFor(container, previous) is { } id && selection.MatchesContainerId(id))
                        Add(Place(pod, container, id, previous));
            }
        }
    }

    Expectation Place(ClusterPod pod, ClusterContainerStatus container, string id, bool previous)
    {
        var uid = pod.LogDirectoryUid;
        if (_runtime?.FindById(id) is { } known)
            return new(pod, container, id, previous) { NodePath = RuntimeSnapshot.ExpectedLogFile(_layout, known), RestartCount = known.RestartCount };
        // status.restartCount is the attempt of the newest instance (status.containerID), which kubelet names N.log.
        int? attempt = id == container.ContainerId ? container.RestartCount : null;
        return new(pod, container, id, previous)
        {
            NodePath = attempt is { } n ? KubeletPaths.BuildContainerLogFile(_layout.PodLogsDirectory.Configured, pod.Namespace, pod.Name, uid, container.Name, n) : null,
            RestartCount = attempt,
            UnknownToRuntime = _runtime is { KnowsEveryContainer: true },
        };
    }

    void Add(Expectation e)
    {
        _expectations.Add(e);
        if (e.NodePath is not null) Bucket(_byNodePath, e.NodePath).Add(e);
        else Bucket(_unplaced, (e.Pod.LogDirectoryUid, e.Container.Name)).Add(e);
    }

    static List<Expectation> Bucket<TKey>(Dictionary<TKey, List<Expectation>> index, TKey key) where TKey : notnull
    {
        if (!index.TryGetValue(key, out var list)) index[key] = list = [];
        return list;
    }

    /// <summary>Marks what the record satisfies; a broken entry kubectl will read gets that said in its reason.</summary>
    public ContainerLogLink Observe(ContainerLogLink record)
    {
        if (record.Kind != LogEntryKind.PodLog) return record;
        var matches = _byNodePath.GetValueOrDefault(record.NodePath) ?? [];
        if (record.ContainerId is { } id && record.PodUid is { } uid && record.ContainerName is { } name
            && _unplaced.GetValueOrDefault((uid, name)) is { } unplaced)
            matches = [.. matches, .. unplaced.Where(e => e.ContainerId == id)];
        if (matches.Count == 0) return record;
        foreach (var e in matches) e.Satisfied = true;
        if (record.Status == LinkStatus.Healthy) return record;
        var commands = string.Join(" and ", matches.Select(e => $"`{KubectlLogs.Command(e.Previous)}`").Distinct());
        // What fails first: the reason's start is what a table at 80 columns shows.
        return record.WithReason($"{commands} will fail (it reads this entry): {record.Reason.TrimEnd('.', ' ')}.");
    }

    /// <summary>Expected logs no observed record satisfied, of the pods (by directory uid) <paramref name="podFilter"/> keeps.</summary>
    public IEnumerable<ContainerLogLink> Missing(Func<string, bool>? podFilter = null)
    {
        foreach (var e in _expectations)
        {
            if (e.Satisfied || podFilter?.Invoke(e.Pod.LogDirectoryUid) == false) continue;
            var command = $"`{KubectlLogs.Command(e.Previous)}` for {e.Pod.Namespace}/{e.Pod.Name} container {e.Container.Name}";
            var which = e.Previous ? "lastState.terminated" : "the current instance";
            if (e.NodePath is { } nodePath)
            {
                // Kubelet made the entry at container start; a file that exists now was only missed by the scan's selection.
                if (_layout.Root.Resolve(nodePath, followFinal: false).IsResolved) continue;
                var why = e.UnknownToRuntime
                    ? $"the runtime has no container {Short(e.ContainerId)} ({which}) and {nodePath} does not exist"
                    : $"container {Short(e.ContainerId)} ({which}) logs to {nodePath}, which does not exist";
                yield return Record(e, nodePath, $"{command} will fail: {why}.");
            }
            else if (e.UnknownToRuntime)
            {
                var directory = NodePath.Combine(KubeletPaths.BuildPodLogsDirectory(_layout.PodLogsDirectory.Configured, e.Pod.Namespace, e.Pod.Name, e.Pod.LogDirectoryUid), e.Container.Name);
                yield return Record(e, directory, $"{command} will fail: the runtime has no container {Short(e.ContainerId)} ({which}), so kubelet cannot find its log.");
            }
            else
                _reporter.Verbose($"Cannot tell which file {command} reads (container {Short(e.ContainerId)}): no runtime state knows that container.");
        }
    }

    ContainerLogLink Record(Expectation e, string nodePath, string reason) => new()
    {
        Kind = LogEntryKind.PodLog,
        Namespace = e.Pod.Namespace,
        PodName = e.Pod.Name,
        PodUid = e.Pod.LogDirectoryUid,
        ContainerName = e.Container.Name,
        RestartCount = e.RestartCount,
        ContainerId = e.ContainerId,
        State = e.Container.State == ClusterContainerState.Running && !e.Previous ? ContainerState.Running : ContainerState.Exited,
        Root = _layout.Root.LocalRoot,
        NodeNameLookup = _layout.Root.NodeName,
        FullName = _layout.Root.ToLocal(nodePath),
        NodePath = nodePath,
        Exists = false,
        LinkType = LinkType.None,
        Status = LinkStatus.Missing,
        Reason = reason,
        Layout = PodLogLayout.Current,
        Source = SourceName,
    };

    static string Short(string id) => id.Length > 12 ? id[..12] : id;
}
