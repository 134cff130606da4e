using System.Management.Automation;
using PodLogs.Core;

namespace PodLogs.Commands;

/// <summary>True when every selected log entry is Healthy: for runbooks and Pester (<c>| Should -BeTrue</c>).</summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerLogLink", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(bool))]
public sealed class TestContainerLogLinkCommand : ContainerSelectionCmdlet
{
    bool _healthy = true;
    int _count;

    protected override void ProcessRecord() =>
        RunCore(() =>
        {
            foreach (var record in HasInput ? InspectInputPod(InputObject!) : InspectSelection())
            {
                _count++;
                if (record.Status == LinkStatus.Healthy) continue;
                _healthy = false;
                WriteVerbose($"{record.Status}: {record.NodePath}: {record.Reason}");
            }
        });

    protected override void EndProcessing()
    {
        if (_count == 0) WriteWarning("No log entries matched the selection; nothing was tested.");
        WriteObject(_healthy);
    }
}
