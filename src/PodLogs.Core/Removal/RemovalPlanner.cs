using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Removal;

/// <summary>
/// Checks what a caller asks to remove against the node as it is now, the way <c>RepairPlanner</c> checks a repair: the
/// entry must be spelled under a log root (the pod logs directory, the legacy links directory, docker's containers
/// directory) and lie there with no link among its directories below that root, must not be or hold a log root, and must
/// be what the request says — a link, a directory, or one of kubelet's rotation leftovers in a container's log directory
/// (the only regular file removed on its own: a <c>.tmp</c>, or a plain segment whose <c>.gz</c> holds the same bytes).
/// Records which file each one is, so the executor removes nothing that changed since.
/// </summary>
public sealed class RemovalPlanner(NodeLayout layout)
{
    public RemovalPlan Plan(IEnumerable<RemovalRequest> requests)
    {
        var root = layout.Root;
        root.ClearCache();
        var steps = new List<RemovalStep>();
        var refusals = new List<PodLogsFailure>();
        var planned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            if (!planned.Add(request.NodePath)) continue;
            var (step, refusal) = PlanOne(request);
            if (step is not null) steps.Add(step);
            if (refusal is not null) refusals.Add(refusal);
        }
        return new RemovalPlan(steps, refusals);
    }

    NodeDirectory[] LogRoots => [layout.PodLogsDirectory, layout.ContainerLogsDirectory, layout.DockerContainersDirectory];

    (RemovalStep?, PodLogsFailure?) PlanOne(RemovalRequest request)
    {
        var root = layout.Root;
        var path = request.NodePath;
        if (!NodePath.IsAbsolute(path) || NodePath.Clean(path) != path)
            return Refuse(path, ErrorIds.Removal.OutsideLogRoots, FailureCategory.InvalidArgument,
                $"'{path}' is not a clean node-absolute path; PodLogs removes only entries it names under the log roots ({layout.DescribeRoots()}).");
        if (LogRoots.FirstOrDefault(r => NodePath.IsUnder(r.Configured, path) || NodePath.IsUnder(r.Canonical, path)) is { } held)
            return Refuse(path, ErrorIds.Removal.LogRootNotRemovable, FailureCategory.InvalidOperation,
                $"{path} is, or holds, the log root {held.Configured}; PodLogs removes entries below the log roots, never a root itself.");
        // The innermost root whose either spelling holds the path, and the components below it.
        var (logRoot, spelling) = LogRoots.SelectMany(r => new[] { (Root: r, Spelling: r.Configured), (Root: r, Spelling: r.Canonical) })
            .Where(x => NodePath.IsUnder(path, x.Spelling)).OrderByDescending(x => x.Spelling.Length).FirstOrDefault();
        if (logRoot is null)
            return Refuse(path, ErrorIds.Removal.OutsideLogRoots, FailureCategory.SecurityError,
                $"{path} is not under the log roots ({layout.DescribeRoots()}); PodLogs removes nothing outside them.");
        var expected = NodePath.Combine(logRoot.Canonical, path[(spelling == "/" ? 1 : spelling.Length + 1)..]);

        if (root.LStat(path, out var status, out var located) is { } stopped)
            return stopped.Outcome switch
            {
                ResolveOutcome.NotFound => Refuse(path, ErrorIds.Selection.LogEntryNotFound, FailureCategory.ObjectNotFound, $"{path} is not there (removed meanwhile?); nothing to remove."),
                ResolveOutcome.Loop or ResolveOutcome.NotADirectory => ParentIsLink(path, stopped.NodePath),
                ResolveOutcome.AccessDenied => Refuse(path, ErrorIds.Removal.RemovalPermissionDenied, FailureCategory.PermissionDenied, $"Cannot reach {path}: {Posix.Describe(stopped.Errno)}."),
                _ => Refuse(path, ErrorIds.Removal.RemovalFailed, FailureCategory.ReadError, $"Cannot reach {path}: {Posix.Describe(stopped.Errno)}."),
            };
        // A link among the directories below the log root (a pod directory that is a link, say): where the entry really is
        // was not checked by anyone, and the executor walks without following links anyway.
        if (located != expected || !layout.IsInsideRoots(located)) return ParentIsLink(path, located);

        switch (request.Kind, status.Kind)
        {
            case (RemovalKind.Link, FileKind.SymbolicLink):
                var errno = root.ReadLink(located, out var target);
                if (errno != 0) return Refuse(path, ErrorIds.Removal.RemovalFailed, FailureCategory.ReadError, $"Cannot read the link {path}: {Posix.Describe(errno)}.");
                return (new RemovalStep(request, RemovalKind.Link, path, located, logRoot, status.Device, status.Inode, target, 0), null);
            case (RemovalKind.DirectoryTree, FileKind.Directory):
                var usage = new DiskUsage(root);
                usage.AddTree(located);
                return (new RemovalStep(request, RemovalKind.DirectoryTree, path, located, logRoot, status.Device, status.Inode, null, usage.Bytes), null);
            case (RemovalKind.LeftoverFile, FileKind.RegularFile):
                if (LeftoverRefusal(path, located) is { } why)
                    return Refuse(path, ErrorIds.Removal.NotALeftover, FailureCategory.InvalidOperation, $"{path} is left alone: {why}.");
                return (new RemovalStep(request, RemovalKind.LeftoverFile, path, located, logRoot, status.Device, status.Inode, null, status.AllocatedBytes, status.Size), null);
            case (_, FileKind.RegularFile):
                return Refuse(path, ErrorIds.Removal.RegularFileNotRemoved, FailureCategory.SecurityError,
                    $"{path} is a regular file; PodLogs removes a regular log file only inside a whole pod directory it removes, never on its own.");
            default:
                return Refuse(path, ErrorIds.Repair.EntryInTheWay, FailureCategory.ResourceExists,
                    $"{path} is a {Describe(status.Kind)}, not the {(request.Kind == RemovalKind.Link ? "symbolic link" : "directory")} to remove; it is left alone.");
        }
    }

    /// <summary>Why a regular file is not one of kubelet's leftovers of a container log's rotation (null when it is one).</summary>
    string? LeftoverRefusal(string path, string located)
    {
        var directory = NodePath.Parent(located);
        var name = NodePath.FileName(located);
        if (NodePath.Parent(NodePath.Parent(directory)) != layout.PodLogsDirectory.Canonical)
            return "it is not in a container's log directory (<pod logs>/<pod>/<container>/)";
        if (!KubeletPaths.TryParseContainerLogFileName(name, out var parsed) || parsed.IsLive)
            return "it is not a rotated segment of a container log (N.log.<suffix>)";
        if (name.EndsWith(KubeletPaths.TmpSuffix, StringComparison.Ordinal)) return null;
        if (name.EndsWith(KubeletPaths.GzSuffix, StringComparison.Ordinal)) return "it is a compressed segment of the log, not a leftover";
        return CompressedCopy.Mismatch(layout.Root, directory, name, name + KubeletPaths.GzSuffix) is { } mismatch
            ? $"it is a rotated segment, and its compressed copy is not a whole copy of it ({mismatch}), so it may hold the only copy of those lines"
            : null;
    }

    (RemovalStep?, PodLogsFailure?) ParentIsLink(string path, string at) =>
        Refuse(path, ErrorIds.Repair.ParentIsLink, FailureCategory.SecurityError,
            $"A directory on the way to {path} below its log root is a symbolic link or not a directory (it leads to {at}); PodLogs removes nothing through a linked directory.");

    (RemovalStep?, PodLogsFailure?) Refuse(string path, string id, FailureCategory category, string message) =>
        (null, new PodLogsFailure(id, category, message, layout.Root.ToLocal(NodePath.IsAbsolute(path) ? path : "/" + path)));

    internal static string Describe(FileKind kind) => kind switch
    {
        FileKind.SymbolicLink => "symbolic link",
        FileKind.Directory => "directory",
        FileKind.RegularFile => "regular file",
        FileKind.Fifo => "FIFO",
        FileKind.Socket => "socket",
        FileKind.CharacterDevice or FileKind.BlockDevice => "device",
        _ => "special file",
    };
}
