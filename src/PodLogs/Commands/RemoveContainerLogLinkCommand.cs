using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Removal;

namespace PodLogs.Commands;

/// <summary>
/// Removes dead links and kubelet's rotation leftovers, as kubelet's garbage collection would have (issue #13 item 4):
/// dangling legacy links of containers that are not running, N.log links no container of the runtime owns, PodLogs' own
/// temporaries of an interrupted write, and leftover <c>.tmp</c> and plain segments beside their whole <c>.gz</c>. Never a
/// live or rotated log file, never a running container's link, nothing changed within -GracePeriod.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerLogLink", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(LogRemovalResult))]
public sealed class RemoveContainerLogLinkCommand : ContainerSelectionCmdlet
{
    /// <summary>Nothing changed within this span before now is removed (a link being written, a compression under way).</summary>
    [Parameter]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A procfs to find processes holding removed leftovers open (a local path); without it, the host's /proc only under -Root '/'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProcPath { get; set; }

    protected override void BeginProcessing()
    {
        if (OrphanFinder.CheckGracePeriod(GracePeriod) is { } refused) ThrowTerminatingError(ToErrorRecord(refused, GracePeriod));
        base.BeginProcessing();
    }

    protected override void ProcessRecord()
    {
        AcceptInputRoot();
        if (!HasInput) return;
        foreach (var item in ExpandList(InputObject!)) CollectInput(AsEntry(item), IsLogRootPath, "nothing is removed by a path taken from input");
    }

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            var layout = Inspector.Layout;
            var selected = HasInput ? SelectCollected("there is nothing to remove") : InspectSelection().ToList();
            var cleanup = new LinkCleanup(layout, Inspector.Runtime, new RemovalGrace(GracePeriod, DateTimeOffset.UtcNow), this);
            var (requests, refusals) = cleanup.Decide(selected, NamedByInput);
            foreach (var refusal in refusals) WriteError(ToErrorRecord(refusal));
            if (requests.Count > 0)
            {
                var plan = new RemovalPlanner(layout).Plan(requests);
                var leftovers = requests.Any(r => r.Kind == RemovalKind.LeftoverFile);
                var held = leftovers && ScanLogHandles(layout, ProcPath, "Whether a process still holds a removed leftover open is not known") is { } handles
                    ? new HeldOpenFiles(handles) : null;
                foreach (var result in new RemovalExecutor(layout, this, held).Execute(plan, ShouldProcess, Cancellation))
                    WriteObject(result);
            }
            else if (refusals.Count == 0) WriteVerbose("No dead link or leftover to remove among the entries selected.");
            ReportSelectionMisses();
        });

    /// <summary>Get-PodLogDirectory -Orphaned's legacy links (also after Export-Clixml or remoting) name their entry by path, as a Legacy one.</summary>
    static PSObject AsEntry(PSObject item)
    {
        if (item.Properties["Kind"] is not null || !item.TypeNames.Any(t => t.EndsWith("PodLogs.Core." + nameof(OrphanedLegacyLink), StringComparison.Ordinal))) return item;
        var entry = item.Copy();
        entry.Properties.Add(new PSNoteProperty("Kind", nameof(LogEntryKind.Legacy)));
        return entry;
    }

    /// <summary>Input paths only select among the inspected entries: they must be clean and in the pod logs or legacy links directory.</summary>
    bool IsLogRootPath(string nodePath, string kind)
    {
        if (!NodePath.IsAbsolute(nodePath) || NodePath.Clean(nodePath) != nodePath) return false;
        var layout = Inspector.Layout;
        return kind switch
        {
            nameof(LogEntryKind.Legacy) => NodePath.Parent(nodePath) == layout.ContainerLogsDirectory.Configured,
            nameof(LogEntryKind.PodLog) => NodePath.IsUnder(nodePath, layout.PodLogsDirectory.Configured) && nodePath != layout.PodLogsDirectory.Configured,
            _ => false,
        };
    }
}
