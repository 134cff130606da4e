using System.Management.Automation;
using System.Runtime.CompilerServices;
using PodLogs.Core;

namespace PodLogs.Commands;

/// <summary>
/// Returns every hop of the selected containers' log chains — each <c>N.log</c> instance and each legacy
/// link — with a status and a reason; with -Cluster, also the logs kubectl will look for and not find.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLogLink", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(ContainerLogLink))]
public sealed class GetContainerLogLinkCommand : ClusterLinkCmdlet
{
    /// <summary>Only entries with one of these statuses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public LinkStatus[]? Status { get; set; }

    protected override void ProcessRecord() => RunCore(() => Emit(Inspect()));

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            Emit(ExpectedButMissing());
            ReportSelectionMisses();
        });

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    void Emit(IEnumerable<ContainerLogLink> records)
    {
        foreach (var record in records)
            if (Status is null || Status.Contains(record.Status))
                WriteObject(record);
    }
}
