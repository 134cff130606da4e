using PodLogs.Core.Native;

namespace PodLogs.Core.Node;

/// <summary>
/// Directories under -Root opened for writing into: from a descriptor of the root, one component at a time
/// with O_NOFOLLOW, never by a local path the kernel would resolve again (issue #11). A directory swapped for a
/// link at any moment makes the open fail; it never leads outside the tree.
/// </summary>
public static class BeneathRoot
{
    /// <summary>
    /// Opens the directory <paramref name="nodePath"/> names (an O_PATH descriptor for *at calls). The path is
    /// resolved afresh under the root (the node's own links, such as /var/log -> /data/log, are followed there, and
    /// no cached resolution of an earlier step is used), then the resolved path is walked from the root's
    /// descriptor: a component that became a link since is ELOOP or ENOTDIR. Returns errno;
    /// <paramref name="resolvedNodePath"/> is where the walk went (or stopped).
    /// </summary>
    public static int OpenDirectory(NodeRoot root, string nodePath, out int fd, out string resolvedNodePath)
    {
        fd = -1;
        root.ClearCache();
        var resolved = root.ResolveDirectory(nodePath);
        resolvedNodePath = resolved.NodePath;
        if (!resolved.IsResolved) return resolved.Errno != 0 ? resolved.Errno : Posix.ENOENT;
        return Walk(root.LocalRoot, resolved.NodePath, out fd);
    }

    /// <summary>
    /// Walks <paramref name="resolvedNodePath"/>, a directory a check already resolved (no links, no '..'), from a
    /// descriptor of <paramref name="localRoot"/>, one component at a time with O_NOFOLLOW, and returns an O_PATH
    /// descriptor of it (errno otherwise). Nothing is resolved again: a component swapped for a link since the check
    /// is ELOOP or ENOTDIR, never a way out of the tree. Uses no shared state (a follower's watcher calls it).
    /// </summary>
    public static int Walk(string localRoot, string resolvedNodePath, out int fd)
    {
        fd = -1;
        var errno = Posix.OpenRootDirectory(localRoot, out var current);
        if (errno != 0) return errno;
        foreach (var component in resolvedNodePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var next = -1;
            errno = component is "." or ".." ? Posix.EINVAL : Posix.OpenDirectoryAt(current, component, out next);
            Posix.Close(current);
            if (errno != 0) return errno;
            current = next;
        }
        fd = current;
        return 0;
    }
}
