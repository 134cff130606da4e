using System.Runtime.CompilerServices;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Runtime;

/// <summary>What one runtime source said about the node's Kubernetes containers, indexed for inspection.</summary>
public sealed class RuntimeSnapshot
{
    readonly Dictionary<string, RuntimeContainer> _byId = new(StringComparer.Ordinal);
    readonly Dictionary<string, RuntimeContainer> _byLogFile = new(StringComparer.Ordinal);
    readonly Dictionary<(string Ns, string Pod, string Uid, string Container), List<RuntimeContainer>> _byContainer = new();
    readonly Dictionary<(string Ns, string Pod, string Uid), List<(string Container, List<RuntimeContainer> Instances)>> _byPod = new();
    readonly Dictionary<RuntimeContainer, string> _logFiles = new(ReferenceEqualityComparer.Instance);
    readonly NodeLayout _layout;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RuntimeSnapshot(string source, RuntimeKind kind, IEnumerable<RuntimeContainer> containers, NodeLayout layout)
    {
        SourceName = source;
        Kind = kind;
        LogLayout = IRuntimeLogLayout.For(kind);
        _layout = layout;
        var list = containers.ToList();
        Containers = list;
        _byId.EnsureCapacity(list.Count);
        _byLogFile.EnsureCapacity(list.Count);
        _logFiles.EnsureCapacity(list.Count);
        foreach (var c in list)
        {
            _byId[c.Id] = c;
            if (!c.HasValidIdentity) continue;
            var key = (c.Namespace, c.PodName, c.PodUid, c.ContainerName);
            if (!_byContainer.TryGetValue(key, out var instances)) _byContainer[key] = instances = [];
            instances.Add(c);
            var file = _logFiles[c] = ExpectedLogFile(layout, c);
            // Two containers claiming one path: the one started last wins, deterministically (issue #2).
            if (!_byLogFile.TryGetValue(file, out var existing) || RuntimeContainer.CompareByStart(existing, c) < 0)
                _byLogFile[file] = c;
        }
        foreach (var instances in _byContainer.Values) instances.Sort(RuntimeContainer.CompareByStart);
        // Made here, not on first use: inspection asks from several threads.
        foreach (var kv in _byContainer)
        {
            var key = (kv.Key.Ns, kv.Key.Pod, kv.Key.Uid);
            if (!_byPod.TryGetValue(key, out var ofPod)) _byPod[key] = ofPod = [];
            ofPod.Add((kv.Key.Container, kv.Value));
        }
        foreach (var ofPod in _byPod.Values) ofPod.Sort((a, b) => string.CompareOrdinal(a.Container, b.Container));
    }

    public string SourceName { get; }
    public RuntimeKind Kind { get; }
    /// <summary>What the runtime's logs look like on the node (<see cref="Kind"/>'s layout).</summary>
    public IRuntimeLogLayout LogLayout { get; }
    /// <summary>
    /// False when the source sees only part of the runtime's containers (containerd's bundles: running
    /// ones, attempts inferred): then nothing is called Missing and no N.log is repaired from it.
    /// </summary>
    public bool KnowsEveryContainer { get; init; } = true;

    /// <summary>Docker's data root as the daemon itself reports it (live API only); it outranks daemon.json.</summary>
    public string? DockerDataRoot { get; init; }
    public IReadOnlyList<RuntimeContainer> Containers { get; }

    /// <summary>
    /// This CRI snapshot (cri-dockerd) with each container's json log and driver taken from docker's
    /// view of the same id; containers docker does not know keep no json path (no link is expected).
    /// </summary>
    public RuntimeSnapshot WithDockerLogs(RuntimeSnapshot? docker, NodeLayout layout) =>
        new($"{SourceName}+{docker?.SourceName ?? "no docker state"}", Kind, Containers.Select(c => docker?.FindById(c.Id) is { } d
            ? c with { DockerJsonLogPath = d.DockerJsonLogPath, LogDriver = d.LogDriver, StartedAt = c.StartedAt ?? d.StartedAt }
            : c with { DockerJsonLogPath = null, LogDriver = null }), layout)
        {
            DockerDataRoot = docker?.DockerDataRoot,
        };

    /// <summary>The N.log kubelet builds for a container: identity → path, never the label.</summary>
    public static string ExpectedLogFile(NodeLayout layout, RuntimeContainer c) =>
        KubeletPaths.BuildContainerLogFile(layout.PodLogsDirectory.Configured, c.Namespace, c.PodName, c.PodUid, c.ContainerName, c.RestartCount);

    /// <summary><see cref="ExpectedLogFile"/> of one of this snapshot's containers, computed once.</summary>
    public string LogFileOf(RuntimeContainer c) => _logFiles.TryGetValue(c, out var file) ? file : ExpectedLogFile(_layout, c);

    public RuntimeContainer? FindById(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<RuntimeContainer> FindByIdPrefix(string prefix) =>
        prefix.Length == 64 ? (FindById(prefix) is { } c ? [c] : []) : _byId.Values.Where(c => c.Id.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>The container whose kubelet-computed N.log is this node path (the latest started, if several).</summary>
    public RuntimeContainer? FindOwnerOfLogFile(string nodePath) => _byLogFile.GetValueOrDefault(nodePath);

    /// <summary>All instances the runtime knows of one pod's container, oldest start first.</summary>
    public IReadOnlyList<RuntimeContainer> InstancesOf(string ns, string pod, string uid, string container) =>
        _byContainer.TryGetValue((ns, pod, uid, container), out var list) ? list : [];

    public IEnumerable<RuntimeContainer> ValidContainers => _byContainer.Values.SelectMany(l => l);

    /// <summary>Every instance of every container of one pod, in container-name then start order.</summary>
    public IEnumerable<RuntimeContainer> InstancesOfPod(string ns, string pod, string uid) =>
        _byPod.TryGetValue((ns, pod, uid), out var containers) ? containers.SelectMany(c => c.Instances) : [];

    /// <summary>The pods the runtime has containers for.</summary>
    public IEnumerable<(string Namespace, string PodName, string PodUid)> Pods =>
        _byContainer.Keys.Select(k => (k.Ns, k.Pod, k.Uid)).Distinct().OrderBy(k => k.Ns, StringComparer.Ordinal).ThenBy(k => k.Pod, StringComparer.Ordinal);

    /// <summary>The (namespace, pod) a bare uid belongs to, for pod directories of older layouts.</summary>
    public (string Namespace, string PodName)? PodOfUid(string uid) =>
        _byContainer.Keys.Where(k => k.Uid == uid).Select(k => ((string, string)?)(k.Ns, k.Pod)).FirstOrDefault();
}
