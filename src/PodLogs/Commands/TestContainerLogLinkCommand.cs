using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;

namespace PodLogs.Commands;

/// <summary>
/// True only when something was checked, every selected log entry is Healthy (or has a status given to -Status)
/// and nothing went unread (with -Cluster, every log kubectl will read exists and the API answered): for
/// runbooks and Pester (<c>| Should -BeTrue</c>). -Detailed returns a summary that says why.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerLogLink", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(bool), typeof(ContainerLogLinkTestResult))]
public sealed class TestContainerLogLinkCommand : ClusterLinkCmdlet
{
    ContainerLogLinkTest? _test;

    /// <summary>Return one summary (Passed, Checked, StatusCounts, Unreadable, Failures, Errors) instead of the bool.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    /// <summary>The statuses that pass (default Healthy).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public LinkStatus[] Status { get; set; } = [LinkStatus.Healthy];

    /// <summary>Entries flagged IsTransient (kubelet puts them right by itself shortly) do not fail the test.</summary>
    [Parameter]
    public SwitchParameter IgnoreTransient { get; set; }

    protected override void BeginProcessing()
    {
        _test = new ContainerLogLinkTest(Status.Distinct().ToList(), IgnoreTransient);
        base.BeginProcessing();
    }

    protected override void ProcessRecord() => RunCore(() => Judge(Inspect()));

    protected override void EndProcessing()
    {
        RunCore(() =>
        {
            Judge(ExpectedButMissing());
            ReportSelectionMisses();
        });
        var result = _test!.Result(ErrorsWritten);
        if (result.Checked == 0) WriteWarning("No log entries matched the selection; nothing was tested, so the test fails.");
        if (Detailed) WriteObject(result);
        else WriteObject(result.Passed);
    }

    void Judge(IEnumerable<ContainerLogLink> records)
    {
        foreach (var record in records)
            if (!_test!.Observe(record))
                WriteVerbose(DisplayText.Escape($"{record.Status}: {record.NodePath}: {record.Reason}"));
    }
}
