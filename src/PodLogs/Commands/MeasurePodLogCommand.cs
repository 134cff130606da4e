using System.Management.Automation;
using PodLogs.Core;
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
                var measurer = new UsageMeasurer(layout, RotationPolicy.Load(layout, this, KubeletConfigPath), Inspector.Runtime);
                var usages = measurer.Measure(_records, ScanHandles(layout));
                foreach (var usage in By == UsageGrouping.Instance ? usages : measurer.Aggregate(usages, By))
                    WriteObject(usage);
            }
            ReportSelectionMisses();
        });

    /// <summary>Open handles, from the host's /proc under -Root '/' or from -ProcPath; else none (DeletedOpenBytes stays null).</summary>
    List<LogHandle>? ScanHandles(NodeLayout layout)
    {
        if (ProcPath is null && !layout.Root.IsHostRoot)
        {
            WriteVerbose("DeletedOpenBytes is not measured: under a -Root other than '/', give -ProcPath (the node's procfs) to scan open log handles.");
            return null;
        }
        var local = ProcPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProcPath);
        return LogHandleScanner.Scan(layout, local, this);
    }
}
