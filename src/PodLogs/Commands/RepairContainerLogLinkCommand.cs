using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;
using PodLogs.Core.Repair;

namespace PodLogs.Commands;

/// <summary>
/// Recreates missing and stale links the way dockershim/cri-dockerd and kubelet make them, atomically,
/// from the runtime's state; refuses, with a stable ErrorId, whatever it cannot do safely.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "ContainerLogLink", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LinkRepairResult))]
public sealed class RepairContainerLogLinkCommand : ContainerSelectionCmdlet
{
    /// <summary>Recreate a pod directory kubelet already removed (its pod was deleted) when the runtime still has the container.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        AcceptInputRoot();
        if (!HasInput) return;
        foreach (var item in ExpandList(InputObject!)) CollectInput(item, IsKubeletEntryPath, "nothing is written to paths taken from input");
    }

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            var selected = HasInput ? SelectCollected("the runtime expects nothing at that path; nothing to repair") : InspectSelection().ToList();
            // Entries named one by one are refused when the repair does not handle them; whole pods are not.
            var plan = new RepairPlanner(Inspector).Plan(selected, Force, NamedByInput);
            foreach (var result in new RepairExecutor(Inspector.Layout, this).Execute(plan, ShouldProcess, Cancellation))
                WriteObject(result);
            ReportSelectionMisses();
        });

    /// <summary>Input paths only select: they must be clean and where kubelet keeps that kind of entry.</summary>
    bool IsKubeletEntryPath(string nodePath, string kind)
    {
        if (!NodePath.IsAbsolute(nodePath) || NodePath.Clean(nodePath) != nodePath) return false;
        var layout = Inspector.Layout;
        return kind switch
        {
            nameof(LogEntryKind.Legacy) => KubeletPaths.IsLegacyLinkPath(layout.ContainerLogsDirectory.Configured, nodePath),
            nameof(LogEntryKind.PodLog) => PodLogTarget.Parse(layout, nodePath) is not null && NodePath.IsUnder(nodePath, layout.PodLogsDirectory.Configured),
            _ => false,
        };
    }
}
