using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;
using PodLogs.Core.Node;
using PodLogs.Core.Usage;

namespace PodLogs.Commands;

/// <summary>
/// Pod selection plus -ContainerName and -ContainerId, and the inspection every link cmdlet runs:
/// the node layout, the runtime state (<see cref="RuntimeSourceCmdlet"/>), and one inspector per command.
/// </summary>
public abstract class ContainerSelectionCmdlet : RuntimeSourceCmdlet
{
    LinkInspector? _inspector;
    PodDirectoryScanner? _scanner;
    readonly HashSet<(string?, string?, string)> _podsDone = [];
    readonly HashSet<string> _podUidsDone = new(StringComparer.Ordinal);
    readonly HashSet<string> _inputEntriesDone = new(StringComparer.Ordinal);
    readonly List<(string PodUid, InstanceFilter Instance)> _inputScopes = [];
    (string?, string?, string)? _lastPod;
    List<ContainerLogLink> _lastPodEntries = [];
    bool _containerIdGiven;
    readonly HashSet<string> _namedEntries = new(StringComparer.Ordinal);
    readonly Dictionary<(string?, string?, string), List<InstanceFilter>> _namedInstances = [];
    readonly List<PodIdentity> _entryScope = [];
    bool _entryScopeIsWholeNode;

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    [Alias("c")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeletName("ContainerName", "container name")]
    public string[]? ContainerName { get; set; }

    /// <summary>
    /// A full or short id; <c>docker://</c>, <c>containerd://</c> and <c>cri-o://</c> prefixes accepted. From the
    /// pipeline, each record's ContainerId binds by property name and selects that container instance only.
    /// </summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string? ContainerId { get; set; }

    /// <summary>
    /// The container instance by kubelet's restart count (the N of N.log). From the pipeline, each record's
    /// RestartCount binds by property name and selects that instance only.
    /// </summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet, ValueFromPipelineByPropertyName = true)]
    public int? RestartCount { get; set; }

    /// <summary>The command's inspector (set up at the first record when the root comes from the pipeline).</summary>
    protected LinkInspector Inspector
    {
        get
        {
            EnsureSetUp();
            return _inspector ?? throw new InvalidOperationException("The command could not be set up.");
        }
    }

    protected LogSelection Selection { get; private set; } = LogSelection.All;

    /// <summary>The uids of the pods inspected so far from pipeline input.</summary>
    protected IReadOnlySet<string> InspectedPodUids => _podUidsDone;

    protected override void BeginProcessing()
    {
        var bound = MyInvocation.BoundParameters;
        _containerIdGiven = bound.ContainsKey(nameof(ContainerId));
        if (_containerIdGiven && string.IsNullOrEmpty(ContainerId))
            ThrowTerminatingError(ToErrorRecord(InvalidContainerId("-ContainerId ''"), "ContainerId"));
        if (bound.ContainsKey(nameof(RestartCount)) && RestartCount is not >= 0)
            ThrowTerminatingError(ToErrorRecord(InvalidRestartCount($"-RestartCount '{RestartCount}'"), RestartCount?.ToString() ?? "RestartCount"));
        base.BeginProcessing();
    }

    /// <summary>A restart count below 0, from the command line or a record.</summary>
    static PodLogsFailure InvalidRestartCount(string given, string consequence = "") =>
        new(ErrorIds.Selection.InvalidRestartCount, FailureCategory.InvalidArgument, $"{given} is not a restart count (0 or more: the N of kubelet's N.log){consequence}.", null);

    protected override void SetUp()
    {
        base.SetUp();
        RunCore(() =>
        {
            // Only -ContainerId from the command line selects for the whole command; a piped record's selects per record.
            Selection = BuildSelection(ContainerName, _containerIdGiven ? ContainerId : null);
            var (runtime, layout) = LoadRuntime("verdicts come from the files alone (no Missing, Stale or Orphaned from runtime facts)");
            _inspector = new LinkInspector(layout, runtime, this);
            _scanner = new PodDirectoryScanner(layout, this);
        });
    }

    /// <summary>
    /// Reads the runtime state again from the source that answered in BeginProcessing (null when none did).
    /// Safe on any thread: what the read reports is dropped, not written.
    /// </summary>
    protected Func<CancellationToken, RuntimeSnapshot?>? RuntimeRereader => Answered is { } answered
        ? ct => new RuntimeSourceSelector(DependencyLoadContext.Factory, new CollectingReporter()).Select(Inspector.Layout, answered, ct).Snapshot
        : null;

    /// <summary>Measure-PodLog's measurer for this command's node: the rotation policy read once, the runtime's facts.</summary>
    protected UsageMeasurer NewUsageMeasurer() =>
        new(Inspector.Layout, RotationPolicy.Load(Inspector.Layout, this, KubeletConfigPath), Inspector.Runtime);

    /// <summary>Every selected entry on the node (with -RestartCount, of that instance only).</summary>
    protected IEnumerable<ContainerLogLink> InspectSelection()
    {
        var records = InspectNode();
        return RestartCount is null ? records : records.Where(new InstanceFilter(null, RestartCount, null).Matches);
    }

    IEnumerable<ContainerLogLink> InspectNode()
    {
        var progress = new ProgressRecord(1, "Inspecting container log links", "Scanning pod log directories");
        var lastReport = Environment.TickCount64;
        var shown = false;
        foreach (var record in Inspector.InspectNode(Selection, Cancellation, (done, total) =>
                 {
                     // Throttled: a scan of thousands of pods must not spend its time drawing progress, and a scan
                     // quicker than the first report shows none (nor a completion of it).
                     if (done < total ? Environment.TickCount64 - lastReport < 200 : !shown) return;
                     (lastReport, shown) = (Environment.TickCount64, true);
                     progress.PercentComplete = total == 0 ? 100 : done * 100 / total;
                     progress.StatusDescription = $"{done} of {total} pods";
                     if (done == total) progress.RecordType = ProgressRecordType.Completed;
                     WriteProgress(progress);
                 }))
        {
            Tally.Observe(record);
            yield return record;
        }
    }

    /// <summary>At the end of the command: the values of -Namespace, -PodName, -PodUid, -ContainerName and -ContainerId that matched nothing.</summary>
    protected void ReportSelectionMisses() => ReportSelectionMisses(_inspector?.Layout, Selection);

    /// <summary>
    /// The entries an input object selects: its pod's, narrowed to the container instance it names by its
    /// ContainerId and RestartCount (bound by property name), each entry once per command.
    /// </summary>
    protected IEnumerable<ContainerLogLink> InspectInputPod(PSObject input)
    {
        foreach (var item in ExpandList(input))
        {
            if (!FromThisRoot(item) || ReadPodIdentity(item) is not { } id || InputInstance(item) is not { } instance) continue;
            _inputScopes.Add((id.PodUid, instance));
            foreach (var record in PodEntries(id))
                if (instance.Matches(record) && _inputEntriesDone.Add(record.NodePath))
                    yield return record;
        }
    }

    /// <summary>Whether an input record selected this entry's pod and instance (for the expected logs checked after the last input).</summary>
    protected bool SelectedByInput(ContainerLogLink record) =>
        _inputScopes.Any(s => s.PodUid == record.PodUid && s.Instance.Matches(record));

    /// <summary>
    /// One pod's entries (the last pod asked for is kept: a pipeline of one pod's records inspects it once; a
    /// pod asked for again after another is inspected again).
    /// </summary>
    protected List<ContainerLogLink> PodEntries(PodIdentity id)
    {
        var key = (id.Namespace, id.PodName, id.PodUid);
        if (_lastPod != key)
        {
            _lastPodEntries = InspectPipedPod(id);
            _lastPod = key;
        }
        return _lastPodEntries;
    }

    /// <summary>
    /// The container instance the current input record names: its ContainerId and RestartCount as bound by
    /// property name (or given on the command line), and then its ContainerName too, so that a restart count
    /// picks one container of the pod. Null, with an error, when the record's id is not a container id.
    /// </summary>
    protected InstanceFilter? InputInstance(PSObject item)
    {
        string? id = null;
        if (ContainerId is { Length: > 0 } raw && (id = LogSelection.NormalizeContainerId(raw)) is null)
        {
            WriteError(ToErrorRecord(InvalidContainerId($"The input record's ContainerId '{raw}'", "; nothing is selected by it"), item));
            return null;
        }
        if (RestartCount is < 0)
        {
            WriteError(ToErrorRecord(InvalidRestartCount($"The input record's RestartCount '{RestartCount}'", "; nothing is selected by it"), item));
            return null;
        }
        var name = (id is not null || RestartCount is not null) && ContainerName is null ? PodIdentity.ContainerNameOf(item) : null;
        return new InstanceFilter(id, RestartCount, name);
    }

    /// <summary>One pod's entries, unless this command already inspected that pod.</summary>
    protected IEnumerable<ContainerLogLink> InspectPodOnce(PodIdentity id)
    {
        return _podsDone.Add((id.Namespace, id.PodName, id.PodUid)) ? InspectPipedPod(id) : [];
    }

    /// <summary>A piped pod's entries, noted for the selection's misses; a pod the node has nothing of is SelectionNotFound.</summary>
    List<ContainerLogLink> InspectPipedPod(PodIdentity id)
    {
        _podUidsDone.Add(id.PodUid);
        var pod = PodRefOf(id);
        var records = Inspector.InspectPod(pod, Selection).ToList();
        foreach (var r in records) Tally.Observe(r);
        // A piped pod is not a name filter: it is an error only when the node has nothing of it at all, and the API
        // does not say it runs elsewhere (a cluster-wide 'kubectl get pods -A -o json' piped on one node).
        if (records.Count == 0 && !pod.Exists && id.ScheduledNode is { } elsewhere && Inspector.Layout.Root.NodeName.Value is { } here
            && !string.Equals(elsewhere, here, StringComparison.OrdinalIgnoreCase))
            WriteVerbose(DisplayText.Escape($"The pod {id.Namespace}/{id.PodName} runs on node '{elsewhere}', not on this node ('{here}'): skipped."));
        else if (records.Count == 0 && !pod.Exists)
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.SelectionNotFound, FailureCategory.ObjectNotFound,
                $"The pod {(id.PodName is null ? "" : $"{id.Namespace}/{id.PodName} ")}(uid {id.PodUid}) from the pipeline has no log directory ({pod.NodePath}) and no log entries on this node.", null), id.PodName ?? id.PodUid));
        return records;
    }

    PodRef PodRefOf(PodIdentity id) => id.Layout == PodLogLayout.Current
        ? _scanner!.Compute(id.Namespace!, id.PodName!, id.PodUid)
        : OldLayoutPod(id);

    /// <summary>
    /// Takes one input record for a command that acts on entries: a record with its entry's NodePath and Kind names that
    /// entry (a path that <paramref name="isEntryPath"/> refuses is an error: <paramref name="refusal"/> says what is not
    /// done); one without (a log line, a Select-Object copy) names its pod, and the instance its ContainerId and
    /// RestartCount name. <see cref="SelectCollected"/> inspects them after the last record.
    /// </summary>
    protected void CollectInput(PSObject item, Func<string, string, bool> isEntryPath, string refusal)
    {
        if (!FromThisRoot(item)) return;
        if (item.Properties["NodePath"]?.Value is string nodePath && item.Properties["Kind"]?.Value?.ToString() is { } kind)
        {
            if (!isEntryPath(nodePath, kind))
            {
                WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Repair.NotAKubeletLogPath, FailureCategory.InvalidArgument,
                    $"'{nodePath}' is not a path where kubelet keeps a {kind} entry under {Inspector.Layout.PodLogsDirectory.Configured} or {Inspector.Layout.ContainerLogsDirectory.Configured}; {refusal}.", null), item));
                return;
            }
            _namedEntries.Add(nodePath);
            // The record's pod only narrows what is inspected; the entry itself is found by its path.
            if (PodIdentity.From(item) is { IsValid: true } owner) _entryScope.Add(owner);
            else _entryScopeIsWholeNode = true;
            return;
        }
        if (ReadPodIdentity(item) is { } pod && InputInstance(item) is { } instance)
        {
            var key = (pod.Namespace, pod.PodName, pod.PodUid);
            if (!_namedInstances.TryGetValue(key, out var instances)) _namedInstances[key] = instances = [];
            instances.Add(instance);
            _entryScope.Add(pod);
        }
    }

    /// <summary>The entries the collected input names; a named path no longer there is an error (<paramref name="gone"/> says what that means).</summary>
    protected List<ContainerLogLink> SelectCollected(string gone)
    {
        var inspected = _entryScopeIsWholeNode ? InspectSelection() : _entryScope.SelectMany(InspectPodOnce);
        var selected = inspected
            .Where(e => _namedEntries.Contains(e.NodePath)
                        || _namedInstances.TryGetValue((e.Namespace, e.PodName, e.PodUid ?? ""), out var instances) && instances.Any(i => i.Matches(e)))
            .ToList();
        foreach (var missing in _namedEntries.Except(selected.Select(e => e.NodePath)))
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.LogEntryNotFound, FailureCategory.ObjectNotFound,
                $"{missing} is no longer there and {gone}.", Inspector.Layout.Root.ToLocal(missing))));
        return selected;
    }

    /// <summary>Whether an input record named this entry by its path (not only its pod or instance).</summary>
    protected bool NamedByInput(ContainerLogLink entry) => _namedEntries.Contains(entry.NodePath);

    protected bool FromThisRoot(PSObject item) => FromRoot(item, Inspector.Layout.Root.LocalRoot);

    PodRef OldLayoutPod(PodIdentity id)
    {
        var nodePath = NodePath.Combine(Inspector.Layout.PodLogsDirectory.Configured, id.PodUid);
        var exists = Inspector.Layout.Root.Resolve(nodePath, followFinal: false).IsResolved;
        return new PodRef(id.Namespace, id.PodName, id.PodUid, id.Layout, nodePath, exists);
    }
}
