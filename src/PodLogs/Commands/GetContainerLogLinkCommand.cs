using System.Management.Automation;
using PodLogs.Core;

namespace PodLogs.Commands;

/// <summary>
/// Returns every hop of the selected containers' log chains — each <c>N.log</c> instance and each legacy
/// link — with a status and a reason.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLogLink", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(ContainerLogLink))]
public sealed class GetContainerLogLinkCommand : ContainerSelectionCmdlet
{
    /// <summary>Only entries with one of these statuses.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public LinkStatus[]? Status { get; set; }

    protected override void ProcessRecord() =>
        RunCore(() =>
        {
            foreach (var record in HasInput ? InspectInputPod(InputObject!) : InspectSelection())
                if (Status is null || Status.Contains(record.Status))
                    WriteObject(record);
        });
}
