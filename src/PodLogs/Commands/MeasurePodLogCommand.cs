using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Usage;

namespace PodLogs.Commands;

/// <summary>
/// The disk the selected containers' logs take, per container instance (or added up with -By): active, rotated,
/// compressed and leftover bytes as <c>du</c> counts them, each file once, with who rotates the log and whether it
/// stays within its limits.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "PodLog", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(PodLogUsage))]
public sealed class MeasurePodLogCommand : ContainerSelectionCmdlet
{
    readonly List<ContainerLogLink> _records = [];

    /// <summary>Add up per Container (all its instances), Pod, Namespace or Node, largest first; Instance (the default) is one record per container instance.</summary>
    [Parameter]
    public UsageGrouping By { get; set; } = UsageGrouping.Instance;

    /// <summary>A procfs to read open handles from (a local path); without it, the host's /proc is read only when -Root is '/'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProcPath { get; set; }

    /// <summary>Only the logs of pod directories and legacy links no pod on this node owns in the API (as Get-PodLogDirectory -Orphaned): what a cleanup would free.</summary>
    [Parameter]
    public SwitchParameter Orphaned { get; set; }

    /// <summary>With -Orphaned: a kubeconfig file; else KUBECONFIG, ~/.kube/config, the service account, the kubelet's kubeconfig.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>With -Orphaned: the kubeconfig context to use.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>With -Orphaned: the Node object's name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NodeName { get; set; }

    /// <summary>With -Orphaned: nothing that changed within this span before the pod list was taken is an orphan.</summary>
    [Parameter]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    protected override void BeginProcessing()
    {
        if (OrphanFinder.CheckGracePeriod(GracePeriod) is { } refused) ThrowTerminatingError(ToErrorRecord(refused, GracePeriod));
        base.BeginProcessing();
    }

    // The instance's legacy link may come after its N.log, in another pod's turn: the records are measured together at the end.
    protected override void ProcessRecord() => RunCore(() =>
    {
        AcceptInputRoot();
        _records.AddRange(HasInput ? InspectInputPod(InputObject!) : InspectSelection());
    });

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            if (_records.Count > 0)
            {
                var layout = Inspector.Layout;
                var measurer = NewUsageMeasurer();
                var usages = measurer.Measure(Orphaned ? OrphanedOnly(layout) : _records, ScanLogHandles(layout, ProcPath, "DeletedOpenBytes is not measured"));
                foreach (var usage in By == UsageGrouping.Instance ? usages : measurer.Aggregate(usages, By))
                    WriteObject(usage);
            }
            ReportSelectionMisses();
        });

    /// <summary>The inspected entries of directories and legacy links no pod on this node owns in the API (OrphanFinder's verdict).</summary>
    List<ContainerLogLink> OrphanedOnly(NodeLayout layout)
    {
        var finder = new OrphanFinder(layout, LoadCluster(layout, Kubeconfig, Context, NodeName, TimeoutSec), GracePeriod, this);
        var directories = finder.Directories(new PodDirectoryScanner(layout, this), Selection, Cancellation).Select(d => d.PodUid).ToHashSet(StringComparer.Ordinal);
        var links = finder.LegacyLinks(Selection, Cancellation).Select(l => l.NodePath).ToHashSet(StringComparer.Ordinal);
        return _records.Where(r => r.Kind == LogEntryKind.Legacy ? links.Contains(r.NodePath) : r.PodUid is { } uid && directories.Contains(uid)).ToList();
    }
}
