using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Repair;

/// <summary>
/// Where a chain must end for the repair to write a link into it (issue #11): the repair writes only chains its
/// own inspection would call Healthy. From its first hop the chain must end at a regular file, and that file
/// must be the container's own log — docker's json log in the container's own directory (not a link out of it),
/// or the N.log a CRI runtime writes itself (not a link at all). Checked when planning and again when acting.
/// </summary>
public static class LogChainEnd
{
    /// <summary>
    /// Null when <paramref name="start"/> leads to <paramref name="c"/>'s own log; else why not, in words the caller
    /// ends with what it did not do (<paramref name="consequence"/>).
    /// </summary>
    public static WriteFailure? Check(NodeLayout layout, RuntimeKind runtime, RuntimeContainer c, string start, string consequence)
    {
        var end = layout.Root.Resolve(start);
        if (!end.IsResolved) return null;
        var who = RepairPlanner.Who(c);
        if (end.Status.Kind != FileKind.RegularFile)
            return new WriteFailure(ErrorIds.Repair.LogTargetNotRegularFile, FailureCategory.SecurityError,
                $"{start} ends at {end.NodePath}, which is a {VerdictText.Describe(end.Status.Kind)}, not the log file of {who}; {consequence}.");
        var log = IRuntimeLogLayout.For(runtime).OwnLogOf(layout, c);
        var logDirectory = layout.Root.ResolveDirectory(NodePath.Parent(log));
        if (logDirectory.IsResolved && end.NodePath == NodePath.Combine(logDirectory.NodePath, NodePath.FileName(log))) return null;
        return new WriteFailure(ErrorIds.Repair.LogTargetNotOwnLog, FailureCategory.SecurityError,
            $"{start} ends at {end.NodePath}, not at the log of {who} ({log}): another file would pass for this container's log; {consequence}.");
    }
}
