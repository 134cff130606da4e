using System.Security.Cryptography;
using PodLogs.Core.Native;
using PodLogs.Core.Node;

namespace PodLogs.Core.Repair;

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
    /// Opens the log root from a descriptor of -Root (<see cref="BeneathRoot.OpenDirectory"/>), then
    /// <paramref name="components"/> below it one at a time with O_NOFOLLOW, creating missing ones (mode 0755)
    /// only where <paramref name="mayCreate"/> allows. No step reuses a resolution cached by an earlier one, so
    /// an ancestor swapped for a link during a repair makes it fail (ParentIsLink), never write outside the tree.
    /// </summary>
    public static WriteFailure? OpenDirectory(NodeRoot root, string logRootNodePath, IReadOnlyList<string> components, Func<int, bool> mayCreate, out int fd,
        bool mayCreateLogRoot = false)
    {
        fd = -1;
        var errno = BeneathRoot.OpenDirectory(root, logRootNodePath, out var current, out var stoppedAt);
        if (errno == Posix.ENOENT && mayCreateLogRoot && stoppedAt == logRootNodePath)
        {
            // Kubelet creates /var/log/containers at start-up (MkdirAll); recreate it the same way if it was wiped.
            if (BeneathRoot.OpenDirectory(root, Paths.NodePath.Parent(logRootNodePath), out var parentFd, out _) == 0)
            {
                Posix.MkdirAt(parentFd, Paths.NodePath.FileName(logRootNodePath), 0b111_101_101);
                Posix.Close(parentFd);
                errno = BeneathRoot.OpenDirectory(root, logRootNodePath, out current, out stoppedAt);
            }
        }
        if (errno == Posix.ENOENT)
            return new WriteFailure(ErrorIds.Repair.LogRootNotFound, FailureCategory.ObjectNotFound, $"{logRootNodePath} does not exist under the root.");
        if (errno is Posix.ELOOP or Posix.ENOTDIR)
            return new WriteFailure(ErrorIds.Repair.ParentIsLink, FailureCategory.SecurityError,
                $"{stoppedAt} changed into a symbolic link or a file while the repair was acting; nothing was written below {logRootNodePath}.");
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
            if (errno != 0)
            {
                var isLink = errno == Posix.ENOTDIR && Posix.LStatAt(current, components[i], out var st) == 0 && st.Kind == FileKind.SymbolicLink;
                Posix.Close(current);
                return isLink
                    ? new WriteFailure(ErrorIds.Repair.ParentIsLink, FailureCategory.SecurityError, $"{path} is a symbolic link; PodLogs does not write through linked directories below {logRootNodePath}.")
                    : FromErrno(errno, path);
            }
            Posix.Close(current);
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
            ? new WriteFailure(ErrorIds.Repair.EntryChanged, FailureCategory.ResourceExists, $"{nodePath} appeared while the repair was acting; nothing was changed.")
            : FromErrno(errno, nodePath);
    }

    /// <summary>
    /// Replaces the link <paramref name="name"/>, which must still say <paramref name="expectedTarget"/>,
    /// with one to <paramref name="target"/>, atomically.
    /// </summary>
    public static WriteFailure? Replace(int dirfd, string name, string expectedTarget, string target, string nodePath)
    {
        var changed = new WriteFailure(ErrorIds.Repair.EntryChanged, FailureCategory.ResourceExists,
            $"{nodePath} changed while the repair was acting (it no longer links to '{expectedTarget}'); nothing was changed.");
        if (!IsLinkTo(dirfd, name, expectedTarget)) return changed;
        var temp = TempName();
        var errno = Posix.SymlinkAt(target, dirfd, temp);
        if (errno != 0) return FromErrno(errno, nodePath);
        Interleave?.Invoke(InterleavePoint.BeforeExchange);
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
        Interleave?.Invoke(InterleavePoint.BeforeSwapBack);
        if (Posix.RenameAt2(dirfd, temp, name, Posix.RenameExchange) == 0)
        {
            if (IsLinkTo(dirfd, temp, target)) Posix.UnlinkAt(dirfd, temp);
            return changed;
        }
        // The swap back failed (their entry's name was taken away meanwhile): move theirs back under its name if it
        // is free, and never leave it hidden under our temporary name without saying where it is.
        Interleave?.Invoke(InterleavePoint.BeforeRestore);
        if (Posix.RenameAt2(dirfd, temp, name, Posix.RenameNoReplace) == 0) return changed;
        var hidden = Paths.NodePath.Combine(Paths.NodePath.Parent(nodePath), temp);
        return new WriteFailure(ErrorIds.Repair.EntryRestoreFailed, FailureCategory.WriteError,
            $"{nodePath} changed while the repair was acting, and what took its place could not be put back: it is now at {hidden}. Move it back with 'mv {hidden} {nodePath}' once nothing else is at {nodePath}.");
    }

    /// <summary>Where a test may act between the steps of <see cref="Replace"/>, to pace a race instead of hoping to hit it.</summary>
    internal enum InterleavePoint { BeforeExchange, BeforeSwapBack, BeforeRestore }

    [ThreadStatic] internal static Action<InterleavePoint>? Interleave;

    /// <summary>
    /// True for a name <see cref="Replace"/> and <see cref="Create"/> give their temporary links
    /// (<c>.podlogs-</c>, 16 lowercase hex, <c>.lnk</c>). Only a symbolic link under such a name is a PodLogs temporary.
    /// </summary>
    public static bool IsTemporaryLinkName(string name) =>
        name.Length == TempPrefix.Length + 16 + 4 && name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(".lnk", StringComparison.Ordinal)
        && name.AsSpan(TempPrefix.Length, 16).IndexOfAnyExcept("0123456789abcdef") < 0;

    static bool IsLinkTo(int dirfd, string name, string target) =>
        Posix.LStatAt(dirfd, name, out var st) == 0 && st.Kind == FileKind.SymbolicLink
        && Posix.ReadLinkAt(dirfd, name, out var actual) == 0 && actual == target;

    /// <summary>A fresh name <see cref="IsTemporaryLinkName"/> recognises: the removal moves entries aside under it too.</summary>
    internal static string TempName() => $"{TempPrefix}{Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant()}.lnk";

    static WriteFailure FromErrno(int errno, string nodePath) => errno switch
    {
        Posix.EACCES or Posix.EPERM => new WriteFailure(ErrorIds.Repair.RepairPermissionDenied, FailureCategory.PermissionDenied, $"Cannot write {nodePath}: {Posix.Describe(errno)}."),
        Posix.ENOSYS or Posix.EINVAL => new WriteFailure(ErrorIds.Repair.AtomicRenameUnsupported, FailureCategory.NotImplemented,
            $"Cannot write {nodePath} atomically: the filesystem does not support renameat2 with RENAME_NOREPLACE/RENAME_EXCHANGE."),
        Posix.ELOOP or Posix.ENOTDIR => new WriteFailure(ErrorIds.Repair.ParentIsLink, FailureCategory.SecurityError, $"A parent of {nodePath} is a symbolic link or not a directory; nothing was written."),
        Posix.ENOENT => new WriteFailure(ErrorIds.Repair.ParentNotFound, FailureCategory.ObjectNotFound, $"A parent directory of {nodePath} does not exist."),
        _ => new WriteFailure(ErrorIds.Repair.RepairFailed, FailureCategory.WriteError, $"Cannot write {nodePath}: {Posix.Describe(errno)}."),
    };
}
