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
    readonly HashSet<(string?, string?, string)> _podsDone = [];

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? ContainerName { get; set; }

    /// <summary>A full or short id; <c>docker://</c>, <c>containerd://</c> and <c>cri-o://</c> prefixes accepted.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string? ContainerId { get; set; }

    protected LinkInspector Inspector => _inspector ?? throw new InvalidOperationException("BeginProcessing has not run.");

    protected LogSelection Selection { get; private set; } = LogSelection.All;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        RunCore(() =>
        {
            Selection = BuildSelection(ContainerName, ContainerId);
            var layout = LoadLayout();
            var runtime = new DockerFileSource().Read(layout, this, Cancellation);
            if (runtime is null) WriteVerbose("No runtime state under the root: verdicts come from the files alone (no Missing, Stale or Orphaned from runtime facts).");
            _inspector = new LinkInspector(layout, runtime, this);
            _scanner = new PodDirectoryScanner(layout, this);
        });
    }

    /// <summary>Every selected entry on the node.</summary>
    protected IEnumerable<ContainerLogLink> InspectSelection() => Inspector.InspectNode(Selection, Cancellation);

    /// <summary>The entries of the pod an input object names (each pod once per command).</summary>
    protected IEnumerable<ContainerLogLink> InspectInputPod(PSObject input)
    {
        foreach (var item in ExpandList(input))
        {
            if (ReadPodIdentity(item) is not { } id || !_podsDone.Add((id.Namespace, id.PodName, id.PodUid))) continue;
            var pod = id.Layout == PodLogLayout.Current
                ? _scanner!.Compute(id.Namespace!, id.PodName!, id.PodUid)
                : OldLayoutPod(id);
            foreach (var record in Inspector.InspectPod(pod, Selection)) yield return record;
        }
    }

    PodRef OldLayoutPod(PodIdentity id)
    {
        var nodePath = NodePath.Combine(Inspector.Layout.PodLogsDirectory.Configured, id.PodUid);
        var exists = Inspector.Layout.Root.Resolve(nodePath, followFinal: false).IsResolved;
        return new PodRef(id.Namespace, id.PodName, id.PodUid, id.Layout, nodePath, exists);
    }
}
