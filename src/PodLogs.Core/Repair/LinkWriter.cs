using System.Security.Cryptography;
using PodLogs.Core.Native;
using PodLogs.Core.Node;

namespace PodLogs.Core.Repair;

/// <summary>Why a write did not happen.</summary>
public sealed record WriteFailure(string ErrorId, FailureCategory Category, string Message);

/// <summary>
/// Writes links atomically, relative to a directory descriptor reached without following links below
/// the log root: create = symlink under a temporary name, then renameat2(RENAME_NOREPLACE); replace =
/// renameat2(RENAME_EXCHANGE), then check that what was swapped out is the link that was inspected
/// (else swap back). Temporary names (<c>.podlogs-&lt;random&gt;.lnk</c>) have no '.log' and no leading digit,
/// so kubelet's restart-count scan, its rotation glob and log shippers never pick them up.
/// Never deletes or overwrites anything but a link it has just verified.
/// </summary>
public static class LinkWriter
{
    public const string TempPrefix = ".podlogs-";

    /// <summary>
    /// Opens <paramref name="components"/> below the resolved log root one at a time with O_NOFOLLOW,
    /// creating missing ones (mode 0755) only where <paramref name="mayCreate"/> allows.
    /// </summary>
    public static WriteFailure? OpenDirectory(NodeRoot root, string logRootNodePath, IReadOnlyList<string> components, Func<int, bool> mayCreate, out int fd,
        bool mayCreateLogRoot = false)
    {
        fd = -1;
        var rootDir = root.ResolveDirectory(logRootNodePath);
        if (rootDir.Outcome == ResolveOutcome.NotFound && mayCreateLogRoot && rootDir.NodePath == logRootNodePath)
        {
            // Kubelet creates /var/log/containers at start-up (MkdirAll); recreate it the same way if it was wiped.
            var parent = root.ResolveDirectory(Paths.NodePath.Parent(logRootNodePath));
            if (root.OpenDirectory(parent, out var parentFd) == 0)
            {
                Posix.MkdirAt(parentFd, Paths.NodePath.FileName(logRootNodePath), 0b111_101_101);
                Posix.Close(parentFd);
                root.ClearCache();
                rootDir = root.ResolveDirectory(logRootNodePath);
            }
        }
        if (!rootDir.IsResolved)
            return new WriteFailure("LogRootNotFound", FailureCategory.ObjectNotFound, $"{logRootNodePath} does not exist under the root.");
        var errno = root.OpenDirectory(rootDir, out var current);
        if (errno != 0) return FromErrno(errno, logRootNodePath);
        var path = logRootNodePath;
        for (var i = 0; i < components.Count; i++)
        {
            path = Paths.NodePath.Combine(path, components[i]);
            errno = Posix.OpenDirectoryAt(current, components[i], out var next);
            if (errno == Posix.ENOENT && mayCreate(i))
            {
                errno = Posix.MkdirAt(current, components[i], 0b111_101_101);
                if (errno is 0 or Posix.EEXIST) errno = Posix.OpenDirectoryAt(current, components[i], out next);
            }
            // What stands in the way is looked at relative to its directory, as it was opened.
            var isLink = errno == Posix.ENOTDIR && Posix.LStatAt(current, components[i], out var st) == 0 && st.Kind == FileKind.SymbolicLink;
            Posix.Close(current);
            if (errno != 0)
            {
                if (isLink)
                    return new WriteFailure("ParentIsLink", FailureCategory.SecurityError, $"{path} is a symbolic link; PodLogs does not write through linked directories below {logRootNodePath}.");
                return FromErrno(errno, path);
            }
            current = next;
        }
        fd = current;
        return null;
    }

    /// <summary>Creates <paramref name="name"/> → <paramref name="target"/>; fails if anything is there already.</summary>
    public static WriteFailure? Create(int dirfd, string name, string target, string nodePath)
    {
        var temp = TempName();
        var errno = Posix.SymlinkAt(target, dirfd, temp);
        if (errno != 0) return FromErrno(errno, nodePath);
        errno = Posix.RenameAt2(dirfd, temp, name, Posix.RenameNoReplace);
        if (errno == 0) return null;
        Posix.UnlinkAt(dirfd, temp);
        return errno == Posix.EEXIST
            ? new WriteFailure("EntryChanged", FailureCategory.ResourceExists, $"{nodePath} appeared while the repair was acting; nothing was changed.")
            : FromErrno(errno, nodePath);
    }

    /// <summary>
    /// Replaces the link <paramref name="name"/>, which must still say <paramref name="expectedTarget"/>,
    /// with one to <paramref name="target"/>, atomically.
    /// </summary>
    public static WriteFailure? Replace(int dirfd, string name, string expectedTarget, string target, string nodePath)
    {
        var changed = new WriteFailure("EntryChanged", FailureCategory.ResourceExists,
            $"{nodePath} changed while the repair was acting (it no longer links to '{expectedTarget}'); nothing was changed.");
        if (!IsLinkTo(dirfd, name, expectedTarget)) return changed;
        var temp = TempName();
        var errno = Posix.SymlinkAt(target, dirfd, temp);
        if (errno != 0) return FromErrno(errno, nodePath);
        errno = Posix.RenameAt2(dirfd, temp, name, Posix.RenameExchange);
        if (errno != 0)
        {
            Posix.UnlinkAt(dirfd, temp);
            return FromErrno(errno, nodePath);
        }
        if (IsLinkTo(dirfd, temp, expectedTarget))
        {
            Posix.UnlinkAt(dirfd, temp);
            return null;
        }
        // Someone swapped the entry between our check and the exchange: put theirs back, drop ours.
        Posix.RenameAt2(dirfd, temp, name, Posix.RenameExchange);
        if (IsLinkTo(dirfd, temp, target)) Posix.UnlinkAt(dirfd, temp);
        return changed;
    }

    static bool IsLinkTo(int dirfd, string name, string target) =>
        Posix.LStatAt(dirfd, name, out var st) == 0 && st.Kind == FileKind.SymbolicLink
        && Posix.ReadLinkAt(dirfd, name, out var actual) == 0 && actual == target;

    static string TempName() => $"{TempPrefix}{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}.lnk";

    static WriteFailure FromErrno(int errno, string nodePath) => errno switch
    {
        Posix.EACCES or Posix.EPERM => new WriteFailure("RepairPermissionDenied", FailureCategory.PermissionDenied, $"Cannot write {nodePath}: {Posix.Describe(errno)}."),
        Posix.ENOSYS or Posix.EINVAL => new WriteFailure("AtomicRenameUnsupported", FailureCategory.NotImplemented,
            $"Cannot write {nodePath} atomically: the filesystem does not support renameat2 with RENAME_NOREPLACE/RENAME_EXCHANGE."),
        Posix.ELOOP or Posix.ENOTDIR => new WriteFailure("ParentIsLink", FailureCategory.SecurityError, $"A parent of {nodePath} is a symbolic link or not a directory; nothing was written."),
        Posix.ENOENT => new WriteFailure("ParentNotFound", FailureCategory.ObjectNotFound, $"A parent directory of {nodePath} does not exist."),
        _ => new WriteFailure("RepairFailed", FailureCategory.WriteError, $"Cannot write {nodePath}: {Posix.Describe(errno)}."),
    };
}
