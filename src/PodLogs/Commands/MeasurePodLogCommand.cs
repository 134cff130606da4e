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
                var usages = measurer.Measure(_records);
                foreach (var usage in By == UsageGrouping.Instance ? usages : measurer.Aggregate(usages, By))
                    WriteObject(usage);
            }
            ReportSelectionMisses();
        });
}
