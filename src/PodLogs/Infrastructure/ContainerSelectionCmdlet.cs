using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Commands;

/// <summary>
/// Pod selection plus -ContainerName and -ContainerId, and the inspection every link cmdlet runs:
/// the node layout, the runtime state under -Root (docker's files), and one inspector per command.
/// </summary>
public abstract class ContainerSelectionCmdlet : PodSelectionCmdlet
{
    LinkInspector? _inspector;
    PodDirectoryScanner? _scanner;
    RuntimeSourceOptions? _answered;
    readonly HashSet<(string?, string?, string)> _podsDone = [];
    readonly HashSet<string> _podUidsDone = new(StringComparer.Ordinal);

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeletName("ContainerName", "container name")]
    public string[]? ContainerName { get; set; }

    /// <summary>A full or short id; <c>docker://</c>, <c>containerd://</c> and <c>cri-o://</c> prefixes accepted.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string? ContainerId { get; set; }

    /// <summary>Which runtime state to consult: Auto (kubelet's config, then a live daemon that answers, then files), None, Docker, DockerFiles, Cri, ContainerdFiles.</summary>
    [Parameter]
    public RuntimeSourceKind Source { get; set; } = RuntimeSourceKind.Auto;

    /// <summary>The Docker Engine endpoint on this machine (<c>unix:///var/run/docker.sock</c> or a socket path).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DockerEndpoint { get; set; }

    /// <summary>The CRI endpoint on this machine (<c>unix:///run/containerd/containerd.sock</c> or a socket path).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CriEndpoint { get; set; }

    /// <summary>How long a daemon may take to answer before it counts as unavailable.</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 5;

    protected LinkInspector Inspector => _inspector ?? throw new InvalidOperationException("BeginProcessing has not run.");

    protected LogSelection Selection { get; private set; } = LogSelection.All;

    /// <summary>The uids of the pods inspected so far from pipeline input.</summary>
    protected IReadOnlySet<string> InspectedPodUids => _podUidsDone;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        RunCore(() =>
        {
            Selection = BuildSelection(ContainerName, ContainerId);
            var layout = LoadLayout(wantsRuntimeEndpoint: Source is RuntimeSourceKind.Auto or RuntimeSourceKind.Cri && CriEndpoint is null);
            var options = new RuntimeSourceOptions
            {
                Kind = Source,
                DockerEndpoint = DockerEndpoint,
                CriEndpoint = CriEndpoint,
                Timeout = TimeSpan.FromSeconds(TimeoutSec),
            };
            var selector = new RuntimeSourceSelector(DependencyLoadContext.Factory, this);
            var (runtime, effectiveLayout) = selector.Select(layout, options, Cancellation);
            _answered = selector.Answered;
            if (runtime is null && Source != RuntimeSourceKind.None)
                WriteVerbose("No runtime state found: verdicts come from the files alone (no Missing, Stale or Orphaned from runtime facts).");
            else if (runtime is not null)
                WriteVerbose($"Runtime state from {runtime.Source}: {runtime.Containers.Count} Kubernetes containers.");
            layout = effectiveLayout;
            _inspector = new LinkInspector(layout, runtime, this);
            _scanner = new PodDirectoryScanner(layout, this);
        });
    }

    /// <summary>
    /// Reads the runtime state again from the source that answered in BeginProcessing (null when none did).
    /// Safe on any thread: what the read reports is dropped, not written.
    /// </summary>
    protected Func<CancellationToken, RuntimeSnapshot?>? RuntimeRereader => _answered is { } answered
        ? ct => new RuntimeSourceSelector(DependencyLoadContext.Factory, new CollectingReporter()).Select(Inspector.Layout, answered, ct).Snapshot
        : null;

    /// <summary>Every selected entry on the node.</summary>
    protected IEnumerable<ContainerLogLink> InspectSelection()
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

    /// <summary>The entries of the pod an input object names (each pod once per command).</summary>
    protected IEnumerable<ContainerLogLink> InspectInputPod(PSObject input)
    {
        foreach (var item in ExpandList(input))
            if (FromThisRoot(item) && ReadPodIdentity(item) is { } id)
                foreach (var record in InspectPodOnce(id))
                    yield return record;
    }

    /// <summary>One pod's entries, unless this command already inspected that pod.</summary>
    protected IEnumerable<ContainerLogLink> InspectPodOnce(PodIdentity id)
    {
        if (!_podsDone.Add((id.Namespace, id.PodName, id.PodUid))) return [];
        _podUidsDone.Add(id.PodUid);
        var pod = id.Layout == PodLogLayout.Current
            ? _scanner!.Compute(id.Namespace!, id.PodName!, id.PodUid)
            : OldLayoutPod(id);
        var records = Inspector.InspectPod(pod, Selection).ToList();
        foreach (var r in records) Tally.Observe(r);
        // A piped pod is not a name filter: it is an error only when the node has nothing of it at all.
        if (records.Count == 0 && !pod.Exists)
            WriteError(ToErrorRecord(new PodLogsFailure(SelectionTally.NotFoundId, FailureCategory.ObjectNotFound,
                $"The pod {(id.PodName is null ? "" : $"{id.Namespace}/{id.PodName} ")}(uid {id.PodUid}) from the pipeline has no log directory ({pod.NodePath}) and no log entries on this node.", null), id.PodName ?? id.PodUid));
        return records;
    }

    /// <summary>
    /// A PodLogs record made under another -Root names another node's files: refused, so a record read
    /// from a mounted disk image never selects the host's entries of the same name.
    /// </summary>
    protected bool FromThisRoot(PSObject item)
    {
        if (item.BaseObject is not (ContainerLogLink or PodLogDirectory) || item.Properties["Root"]?.Value is not string root
            || root == Inspector.Layout.Root.LocalRoot)
            return true;
        WriteError(ToErrorRecord(new PodLogsFailure("InputFromAnotherRoot", FailureCategory.InvalidArgument,
            $"The input record was made under -Root '{root}', but this command works under -Root '{Inspector.Layout.Root.LocalRoot}'. Pass -Root '{root}'.", null), item));
        return false;
    }

    PodRef OldLayoutPod(PodIdentity id)
    {
        var nodePath = NodePath.Combine(Inspector.Layout.PodLogsDirectory.Configured, id.PodUid);
        var exists = Inspector.Layout.Root.Resolve(nodePath, followFinal: false).IsResolved;
        return new PodRef(id.Namespace, id.PodName, id.PodUid, id.Layout, nodePath, exists);
    }
}
