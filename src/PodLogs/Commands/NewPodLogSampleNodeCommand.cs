using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Samples;

namespace PodLogs.Commands;

/// <summary>
/// Writes the embedded sample node (the origin article's docker pods, a containerd pod, a static pod and
/// deliberate breakage) into an empty directory, to try the module on with -Root.
/// </summary>
[Cmdlet(VerbsCommon.New, "PodLogSampleNode", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DirectoryInfo))]
public sealed class NewPodLogSampleNodeCommand : PSCmdlet
{
    /// <summary>An empty or absent directory that will stand for the sample node's '/'.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void ProcessRecord()
    {
        var local = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(local, "Write the PodLogs sample node")) return;
        try
        {
            SampleNode.Create(local);
        }
        catch (Core.PodLogsException ex)
        {
            ThrowTerminatingError(PodLogsCmdlet.ToErrorRecord(ex.Failure, local));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(PodLogsCmdlet.ToErrorRecord(new Core.PodLogsFailure(ErrorIds.Samples.SampleNodeWriteFailed,
                ex is UnauthorizedAccessException ? Core.FailureCategory.PermissionDenied : Core.FailureCategory.WriteError,
                $"Cannot write the sample node to '{local}': {ex.Message}", local, ex), local));
        }
        WriteObject(new DirectoryInfo(local));
    }
}
