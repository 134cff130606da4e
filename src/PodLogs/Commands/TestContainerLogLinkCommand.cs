using System.Management.Automation;
using PodLogs.Core;

namespace PodLogs.Commands;

/// <summary>
/// True when every selected log entry is Healthy (and, with -Cluster, every log kubectl will read exists):
/// for runbooks and Pester (<c>| Should -BeTrue</c>).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerLogLink", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(bool))]
public sealed class TestContainerLogLinkCommand : ClusterLinkCmdlet
{
    bool _healthy = true;
    int _count;

    protected override void ProcessRecord() => RunCore(() => Judge(Inspect()));

    protected override void EndProcessing()
    {
        RunCore(() => Judge(ExpectedButMissing()));
        if (_count == 0) WriteWarning("No log entries matched the selection; nothing was tested.");
        WriteObject(_healthy);
    }

    void Judge(IEnumerable<ContainerLogLink> records)
    {
        foreach (var record in records)
        {
            _count++;
            if (record.Status == LinkStatus.Healthy) continue;
            _healthy = false;
            WriteVerbose($"{record.Status}: {record.NodePath}: {record.Reason}");
        }
    }
}
