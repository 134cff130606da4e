using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Logs;

/// <summary>
/// The directory a log file is in, as a check resolved it under -Root: <paramref name="DirectoryNodePath"/> has no links
/// and no '..' (NodeRoot.Resolve's result). The reader and the follower open files in it by walking it from a
/// descriptor of <paramref name="LocalRoot"/>, component by component with O_NOFOLLOW, then openat the file's name
/// with O_NOFOLLOW (issue #11): never by a local path string the kernel would resolve again.
/// </summary>
public sealed record LogDoor(string LocalRoot, string DirectoryNodePath)
{
    /// <summary>The door of the directory a file that <paramref name="root"/> resolved is in.</summary>
    public static LogDoor Of(NodeRoot root, Resolution resolved)
    {
        if (!resolved.IsResolved) throw new ArgumentException($"{resolved.NodePath} was not resolved ({resolved.Outcome}).", nameof(resolved));
        var slash = resolved.NodePath.LastIndexOf('/');
        return new LogDoor(root.LocalRoot, slash <= 0 ? "/" : resolved.NodePath[..slash]);
    }
}
