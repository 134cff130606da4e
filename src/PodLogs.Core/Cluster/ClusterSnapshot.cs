using PodLogs.Core.Node;

namespace PodLogs.Core.Cluster;

/// <summary>What the API says is on this node, read once per command, after the node's identity was checked.</summary>
public sealed class ClusterSnapshot
{
    readonly Dictionary<string, ClusterPod> _byDirectoryUid;
    readonly HashSet<(string, string)> _names;

    public ClusterSnapshot(ClusterNode node, IReadOnlyList<ClusterPod> pods, DateTimeOffset listedAt, string description)
    {
        Node = node;
        Pods = pods;
        ListedAt = listedAt;
        Description = description;
        _byDirectoryUid = new(StringComparer.Ordinal);
        foreach (var pod in pods) _byDirectoryUid.TryAdd(pod.LogDirectoryUid, pod);
        _names = pods.Select(p => (p.Namespace, p.Name)).ToHashSet();
    }

    public ClusterNode Node { get; }
    public IReadOnlyList<ClusterPod> Pods { get; }
    /// <summary>When the pod list was asked for: anything on disk changed after this (minus a grace period) is not judged.</summary>
    public DateTimeOffset ListedAt { get; }
    public string Description { get; }

    /// <summary>The pod whose log directory carries this uid (a static pod's by its config hash).</summary>
    public ClusterPod? PodOwningDirectory(string? uid) => uid is null ? null : _byDirectoryUid.GetValueOrDefault(uid.ToLowerInvariant());

    public bool HasPodNamed(string? ns, string? name) => ns is not null && name is not null && _names.Contains((ns, name));

    /// <summary>
    /// Chooses the settings and the node name, connects, reads the Node, checks it is this machine
    /// (<see cref="NodeIdentity.Verify"/>), then lists its pods.
    /// </summary>
    public static ClusterSnapshot Load(IClusterSourceFactory factory, ClusterRequest request, NodeRoot root, IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        var environment = request.Environment ?? Environment.GetEnvironmentVariable;
        var choice = ClusterConfigLocator.Choose(request.Kubeconfig, request.Context, root, environment, reporter);
        var nodeName = NodeIdentity.ResolveName(request.NodeName, root, environment);
        using var api = factory.Create(choice, request.Timeout);
        return Load(api, nodeName, root, reporter, cancellationToken);
    }

    public static ClusterSnapshot Load(IClusterSource api, NodeNameChoice nodeName, NodeRoot root, IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        reporter.Verbose($"Node name '{nodeName.Name}' (from {nodeName.FoundBy}); asking {api.Description}.");
        // The pod list is asked for while the Node is read (a first call spends most of its time warming
        // up each request), but used only once the Node proved to be this machine.
        var listedAt = DateTimeOffset.UtcNow;
        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listing = Task.Run(() => api.ListPodsOnNode(nodeName.Name, abandon.Token), abandon.Token);
        try
        {
            var node = api.ReadNode(nodeName.Name, cancellationToken);
            NodeIdentity.Verify(node, root, api.Description, reporter);
            var pods = listing.GetAwaiter().GetResult();
            reporter.Verbose($"The API lists {pods.Count} pods on node '{node.Name}'.");
            return new ClusterSnapshot(node, pods, listedAt, api.Description);
        }
        finally
        {
            abandon.Cancel();
            // Its failure, if the Node's came first, is not news; only wait so the connection is not disposed under it.
            try { listing.Wait(CancellationToken.None); } catch (AggregateException) { }
        }
    }
}
