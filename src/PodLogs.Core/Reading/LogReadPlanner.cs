using PodLogs.Core.Logs;
using PodLogs.Core.Node;
using PodLogs.Core.Repair;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Reading;

/// <summary>
/// Decides what Get-ContainerLog reads: for each selected container its current instance (or, with
/// <see cref="Previous"/>, the one before it), exactly the instances records name, and files named by path; then
/// follows each instance's chain under -Root now (not as the inspection saw it) and refuses an end outside the
/// node's log and runtime roots. Failures are returned as data; warnings and verbose notes go to the reporter.
/// </summary>
public sealed class LogReadPlanner(NodeLayout layout, RuntimeSnapshot? runtime, IPodLogsReporter reporter)
{
    readonly List<string> _literal = [];
    readonly List<ContainerLogLink> _instances = [];
    readonly List<ContainerLogLink> _containers = [];

    /// <summary>Read the instance before the chosen one (<c>kubectl logs --previous</c>).</summary>
    public bool Previous { get; init; }

    /// <summary>Read a chain that ends outside the node's log and runtime roots.</summary>
    public bool Force { get; init; }

    /// <summary>Mark every line with <c>[pod/container]</c> (lines of several containers are marked anyway).</summary>
    public bool Prefix { get; init; }

    /// <summary>Nothing was added: no container, no instance, no file.</summary>
    public bool IsEmpty => _literal.Count == 0 && _instances.Count == 0 && _containers.Count == 0;

    /// <summary>A file on this machine, read as it is (<see cref="LiteralLogFile"/>).</summary>
    public void AddLiteralPath(string localPath) => _literal.Add(localPath);

    /// <summary>Entries of containers whose current (or previous) instance is chosen when planning; only pod logs count.</summary>
    public void AddContainers(IEnumerable<ContainerLogLink> entries) =>
        _containers.AddRange(entries.Where(e => e.Kind == LogEntryKind.PodLog));

    /// <summary>
    /// What one piped record selects among its pod's freshly inspected entries: the entry it is (<see cref="AddEntry"/>),
    /// the instance a copy of a record or a log line names (<see cref="AddInstance"/>), or, when it names no instance,
    /// its pod's containers (<see cref="AddContainers"/>).
    /// </summary>
    /// <param name="record">The piped PodLogs entry itself, if it is one.</param>
    /// <param name="isInstance">Whether a pod log is the instance the input names; null when it names none.</param>
    /// <param name="describeInstance">The named instance in words, for the failure.</param>
    public IReadOnlyList<PodLogsFailure> AddInput(IReadOnlyList<ContainerLogLink> podEntries, ContainerLogLink? record,
        Func<ContainerLogLink, bool>? isInstance, string? ns, string? podName, Func<string> describeInstance)
    {
        if (record is not null) return AddEntry(podEntries, record);
        if (isInstance is not null) return AddInstance(podEntries, isInstance, ns, podName, describeInstance);
        AddContainers(podEntries);
        return [];
    }

    /// <summary>
    /// The entry a piped record is, found again among its pod's freshly inspected entries (the record only selects);
    /// with <see cref="Previous"/>, the instance before it.
    /// </summary>
    public IReadOnlyList<PodLogsFailure> AddEntry(IReadOnlyList<ContainerLogLink> podEntries, ContainerLogLink record)
    {
        var fresh = podEntries.FirstOrDefault(e => e.NodePath == record.NodePath);
        if (fresh is null)
            return [new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"The entry '{record.NodePath}' is no longer on the node (or does not match -ContainerName/-ContainerId).", record.FullName)];
        return AddNamed(podEntries, [fresh]);
    }

    /// <summary>
    /// Exactly the instance a copy of a record or a log line names (never the newest of its container), or with
    /// <see cref="Previous"/> the one before it. A failure without a target path concerns the input record itself.
    /// </summary>
    /// <param name="isInstance">Whether a pod log is the instance the input names.</param>
    /// <param name="describeInstance">The instance in words (container, restart, id), asked only for the failure.</param>
    public IReadOnlyList<PodLogsFailure> AddInstance(IReadOnlyList<ContainerLogLink> podEntries, Func<ContainerLogLink, bool> isInstance,
        string? ns, string? podName, Func<string> describeInstance)
    {
        var named = podEntries.Where(e => e.Kind == LogEntryKind.PodLog && isInstance(e)).ToList();
        if (named.Count == 0)
            return [new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"Pod {ns}/{podName} has no log of the instance the input names ({describeInstance()}) on the node (or it does not match -ContainerName/-ContainerId).", null)];
        return AddNamed(podEntries, named);
    }

    List<PodLogsFailure> AddNamed(IReadOnlyList<ContainerLogLink> podEntries, List<ContainerLogLink> named)
    {
        var failures = new List<PodLogsFailure>();
        if (!Previous)
        {
            _instances.AddRange(named);
            return failures;
        }
        // -Previous with a record that names an instance: the instance before that one, as kubectl logs --previous
        // is to the current one (never the named instance itself).
        foreach (var n in named)
        {
            if (InstanceChoice.PreviousOf(InstanceChoice.UpTo(podEntries, n), runtime) is { } previous) _instances.Add(previous);
            else
                failures.Add(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                    $"Container '{n.ContainerName}' of pod {n.Namespace}/{n.PodName} has no instance on the node before the one the input names (restart {n.RestartCount}).", n.FullName));
        }
        return failures;
    }

    /// <summary>The files to read, one target per container instance (each live file once), and what cannot be read.</summary>
    public LogReadPlan Plan()
    {
        var targets = new List<LogReadTarget>();
        var failures = new List<PodLogsFailure>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(LogReadTarget? t)
        {
            if (t is not null && seen.Add(t.LiveFile)) targets.Add(t);
        }

        foreach (var path in _literal)
        {
            Add(LiteralLogFile.Resolve(path, reporter, out var failure));
            if (failure is not null) failures.Add(failure);
        }
        foreach (var entry in _instances) Add(Resolve(entry, failures));
        foreach (var group in _containers.GroupBy(e => (e.Namespace, e.PodName, e.PodUid, e.ContainerName)))
        {
            var instances = InstanceChoice.Ordered(group);
            if (instances.Count == 0) continue;
            var chosen = Previous ? InstanceChoice.PreviousOf(instances, runtime) : instances[^1];
            if (chosen is null)
            {
                var current = instances[^1];
                failures.Add(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                    $"Container '{current.ContainerName}' of pod {current.Namespace}/{current.PodName} has no previous instance on the node (the current one is restart {current.RestartCount}).", current.FullName));
                continue;
            }
            Add(Resolve(chosen, failures));
        }
        // kubectl logs --prefix: lines of several containers say whose they are.
        if (Prefix || targets.Count > 1)
            targets = targets.Select(t => t with { Origin = t.Origin with { Prefix = PrefixOf(t) } }).ToList();
        return new LogReadPlan(targets, failures);
    }

    /// <summary><c>[pod/container]</c>, or the file's path in brackets for a file that does not name them.</summary>
    static string PrefixOf(LogReadTarget t) =>
        t.Origin is { PodName: { } pod, ContainerName: { } container } ? $"[{pod}/{container}]" : $"[{t.LiveFile}]";

    /// <summary>Follows the entry's chain under -Root now (not as the inspection saw it) and refuses an end outside the roots.</summary>
    LogReadTarget? Resolve(ContainerLogLink entry, List<PodLogsFailure> failures)
    {
        var root = layout.Root;
        var origin = new ContainerLogOrigin(entry.Namespace, entry.PodName, entry.PodUid, entry.ContainerName, entry.RestartCount, entry.ContainerId)
        {
            Root = root.LocalRoot,
            NodeName = root.NodeName,
        };
        var res = root.Resolve(entry.NodePath);
        if (entry.Status is LinkStatus.Missing or LinkStatus.Dangling or LinkStatus.Stale
            && entry.ContainerId is { } id && runtime?.FindById(id) is { DockerJsonLogPath: { } json } container
            && root.Resolve(json) is { IsResolved: true } own && (!res.IsResolved || own.NodePath != res.NodePath))
        {
            // The runtime's LogPath is read only where the repair would link to it: this container's own json log (issue #11).
            if (LogChainEnd.Check(layout, runtime.Kind, container, json, $"it is not read as the log of {entry.NodePath}") is { } notOwn)
            {
                failures.Add(new PodLogsFailure(notOwn.ErrorId, notOwn.Category, notOwn.Message, entry.FullName));
                return null;
            }
            // kubectl asks the runtime for the container's log by id: do the same when the runtime state names the file.
            reporter.Warning($"'{entry.NodePath}' is {entry.Status}: {entry.Reason}. Reading the log {runtime.SourceName} names for container {id[..Math.Min(12, id.Length)]} instead: {json}.");
            res = own;
            entry = new ContainerLogLink { FullName = entry.FullName, NodePath = entry.NodePath, Status = LinkStatus.Healthy };
        }
        if (!res.IsResolved || res.Status.Kind == Native.FileKind.Directory)
        {
            var why = entry.Status is LinkStatus.Healthy ? $"{res.NodePath}: {res.Outcome}" : $"{entry.Status}: {entry.Reason}";
            failures.Add(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"No log file at '{entry.NodePath}' ({why}).", entry.FullName));
            return null;
        }
        if (!layout.IsInsideRoots(res.NodePath) && !Force)
        {
            failures.Add(new PodLogsFailure(ErrorIds.Logs.LogTargetOutsideRoots, FailureCategory.SecurityError,
                $"'{entry.NodePath}' resolves to {res.NodePath}, outside the node's log and runtime roots; it is not read. Pass -Force to read it anyway.", entry.FullName));
            return null;
        }
        if (entry.Status is LinkStatus.Stale or LinkStatus.Orphaned or LinkStatus.Unsafe)
            reporter.Warning($"'{entry.NodePath}' is {entry.Status}: {entry.Reason}. Reading what it points at, {res.NodePath}.");
        // Where the chain ended under the root: the reader lists its siblings there and opens every file by walking the
        // resolved directory from a descriptor of the root (LogDoor), never through a link swapped in among its parents since.
        var live = root.LocalPathOf(res);
        var door = LogDoor.Of(root, res);
        var segments = LogSegments.Discover(live, reporter, door);
        if (segments.Count == 0)
        {
            failures.Add(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"No log file at '{res.NodePath}' or beside it.", entry.FullName));
            return null;
        }
        return new LogReadTarget(live, segments, origin) { Door = door };
    }
}
