using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Removal;

/// <summary>
/// Removes one planned entry relative to a descriptor of its directory, reached from -Root one component at a time with
/// O_NOFOLLOW (<see cref="BeneathRoot.Walk"/>): nothing is resolved again, so a directory swapped for a link since the plan
/// makes it fail (ParentIsLink), never act outside the tree. A link (or a leftover file) is first renamed aside under a temporary name and
/// removed only if what was moved is the planned link (else it is put back: EntryChanged), so a regular file swapped in
/// at the last moment is never unlinked. A tree is opened with O_NOFOLLOW, checked to be the planned directory, and
/// emptied through descriptors: links inside are removed as links, never followed, and no other filesystem mounted
/// inside is entered.
/// </summary>
public static class EntryRemover
{
    /// <summary>Where a test may act between the steps, to pace a race instead of hoping to hit it.</summary>
    internal enum InterleavePoint { BeforeMoveAside, BeforeEmptyTree }

    [ThreadStatic] internal static Action<InterleavePoint>? Interleave;

    /// <summary>What was removed: bytes of the regular files unlinked (each once) and the names unlinked.</summary>
    public readonly record struct Removed(long Bytes, int Entries);

    public static PodLogsFailure? Remove(NodeRoot root, RemovalStep step, out Removed removed)
    {
        removed = default;
        var errno = BeneathRoot.Walk(root.LocalRoot, NodePath.Parent(step.Located), out var dirfd);
        if (errno != 0)
            return errno switch
            {
                Posix.ELOOP or Posix.ENOTDIR => Failure(root, step, ErrorIds.Repair.ParentIsLink, FailureCategory.SecurityError,
                    $"A directory on the way to {step.NodePath} changed into a symbolic link or a file since it was planned; nothing was removed."),
                Posix.ENOENT => Failure(root, step, ErrorIds.Repair.ParentNotFound, FailureCategory.ObjectNotFound, $"A parent directory of {step.NodePath} is gone; nothing was removed."),
                _ => FromErrno(root, step, errno),
            };
        try
        {
            var name = NodePath.FileName(step.Located);
            return step.Kind == RemovalKind.DirectoryTree ? RemoveTree(root, dirfd, name, step, out removed) : RemoveOne(root, dirfd, name, step, out removed);
        }
        finally
        {
            Posix.Close(dirfd);
        }
    }

    /// <summary>A link, or a leftover file: moved aside, checked to be what was planned, then unlinked (else put back).</summary>
    static PodLogsFailure? RemoveOne(NodeRoot root, int dirfd, string name, RemovalStep step, out Removed removed)
    {
        removed = default;
        if (!IsPlanned(dirfd, name, step, out _)) return Changed(root, step);
        Interleave?.Invoke(InterleavePoint.BeforeMoveAside);
        var temp = Repair.LinkWriter.TempName();
        var errno = Posix.RenameAt2(dirfd, name, temp, Posix.RenameNoReplace);
        if (errno == Posix.ENOENT) return Changed(root, step);
        if (errno is Posix.ENOSYS or Posix.EINVAL)
            return Failure(root, step, ErrorIds.Repair.AtomicRenameUnsupported, FailureCategory.NotImplemented,
                $"Cannot remove {step.NodePath} safely: the filesystem does not support renameat2 with RENAME_NOREPLACE; nothing was removed.");
        if (errno != 0) return FromErrno(root, step, errno);
        if (IsPlanned(dirfd, temp, step, out var moved))
        {
            errno = Posix.UnlinkAt(dirfd, temp);
            if (errno == 0)
            {
                removed = new Removed(step.Kind == RemovalKind.Link ? 0 : moved.AllocatedBytes, 1);
                return null;
            }
        }
        // Not the planned link (swapped in between the check and the rename), or it could not be unlinked: put it back.
        if (Posix.RenameAt2(dirfd, temp, name, Posix.RenameNoReplace) == 0) return errno != 0 ? FromErrno(root, step, errno) : Changed(root, step);
        var hidden = NodePath.Combine(NodePath.Parent(step.NodePath), temp);
        return Failure(root, step, ErrorIds.Repair.EntryRestoreFailed, FailureCategory.WriteError,
            $"{step.NodePath} changed while the removal was acting, and what took its place could not be put back: it is now at {hidden}. Move it back with 'mv {hidden} {step.NodePath}' once nothing else is at {step.NodePath}.");
    }

    static bool IsPlanned(int dirfd, string name, RemovalStep step, out FileStatus st) =>
        Posix.LStatAt(dirfd, name, out st) == 0 && (st.Device, st.Inode) == (step.Device, step.Inode) && (step.Kind == RemovalKind.Link
            ? st.Kind == FileKind.SymbolicLink && Posix.ReadLinkAt(dirfd, name, out var target) == 0 && target == step.LinkTarget
            : st.Kind == FileKind.RegularFile && st.Size == step.Size);

    static PodLogsFailure? RemoveTree(NodeRoot root, int dirfd, string name, RemovalStep step, out Removed removed)
    {
        removed = default;
        var errno = Posix.OpenDirectoryForReadingAt(dirfd, name, out var tree);
        if (errno is Posix.ENOENT or Posix.ELOOP or Posix.ENOTDIR) return Changed(root, step);
        if (errno != 0) return FromErrno(root, step, errno);
        var usage = new DiskUsage(root);
        var entries = 0;
        try
        {
            if (Posix.FStat(tree, out var top) != 0 || (top.Device, top.Inode) != (step.Device, step.Inode)) return Changed(root, step);
            if (Posix.IsMountRootAt(dirfd, name, out var mounted) == 0 && mounted)
                return Failure(root, step, ErrorIds.Removal.RemovalFailed, FailureCategory.InvalidOperation,
                    $"{step.NodePath} is a mount point; PodLogs does not empty a mounted filesystem, and nothing was removed.");
            Interleave?.Invoke(InterleavePoint.BeforeEmptyTree);
            if (Empty(tree, top.Device, usage, ref entries, step.NodePath) is var (failedErrno, at) && failedErrno != 0)
            {
                removed = new Removed(usage.Bytes, entries);
                return failedErrno == SwappedInside
                    ? Failure(root, step, ErrorIds.Repair.EntryChanged, FailureCategory.ResourceExists,
                        $"{at} changed while the removal was emptying {step.NodePath}; it and what is left are not removed ({entries} entries were).")
                    : failedErrno == Posix.EXDEV ? Failure(root, step, ErrorIds.Removal.RemovalFailed, FailureCategory.InvalidOperation, $"{at} is a mount point inside {step.NodePath}; PodLogs does not remove across filesystems, and left it and its parents.")
                    : FromErrno(root, step, failedErrno, at);
            }
        }
        finally
        {
            Posix.Close(tree);
        }
        // The name still the emptied directory (an rmdir removes only an empty directory, never a link or a file).
        if (Posix.LStatAt(dirfd, name, out var now) != 0 || now.Kind != FileKind.Directory || (now.Device, now.Inode) != (step.Device, step.Inode))
        {
            removed = new Removed(usage.Bytes, entries);
            return Changed(root, step);
        }
        errno = Posix.RemoveDirectoryAt(dirfd, name);
        removed = new Removed(usage.Bytes, entries + (errno == 0 ? 1 : 0));
        return errno == 0 ? null : FromErrno(root, step, errno);
    }

    /// <summary>Not an errno: a directory inside the tree was swapped between its lstat and its open.</summary>
    const int SwappedInside = -1;

    /// <summary>Unlinks everything in the directory <paramref name="fd"/>; errno and the node path where it stopped, (0, "") when emptied.</summary>
    static (int Errno, string At) Empty(int fd, ulong device, DiskUsage usage, ref int entries, string nodePath)
    {
        var errno = DirectoryReader.ReadAt(fd, ".", out var list);
        if (errno != 0) return (errno, nodePath);
        foreach (var entry in list)
        {
            var at = NodePath.Combine(nodePath, entry.Name);
            errno = Posix.LStatAt(fd, entry.Name, out var st);
            if (errno == Posix.ENOENT) continue;
            if (errno != 0) return (errno, at);
            if (st.Kind == FileKind.Directory)
            {
                // Never into another mount, a bind mount of this same filesystem included: what is there is not the tree's.
                if (st.Device != device || Posix.IsMountRootAt(fd, entry.Name, out var mountRoot) != 0 || mountRoot) return (Posix.EXDEV, at);
                errno = Posix.OpenDirectoryForReadingAt(fd, entry.Name, out var child);
                if (errno != 0) return (errno, at);
                (int, string) inner;
                try
                {
                    // The same directory that was lstat'd (not one swapped in since), on the same filesystem.
                    if (Posix.FStat(child, out var opened) != 0 || (opened.Device, opened.Inode) != (st.Device, st.Inode)) return (SwappedInside, at);
                    inner = Empty(child, device, usage, ref entries, at);
                }
                finally
                {
                    Posix.Close(child);
                }
                if (inner.Item1 != 0) return inner;
                errno = Posix.RemoveDirectoryAt(fd, entry.Name);
            }
            else
            {
                errno = Posix.UnlinkAt(fd, entry.Name);
                if (errno == 0) usage.Add(st);
            }
            if (errno == Posix.ENOENT) continue;
            if (errno != 0) return (errno, at);
            entries++;
        }
        return (0, "");
    }

    static PodLogsFailure Changed(NodeRoot root, RemovalStep step) =>
        Failure(root, step, ErrorIds.Repair.EntryChanged, FailureCategory.ResourceExists,
            $"{step.NodePath} changed since it was planned (it is gone, or no longer the {step.Kind switch { RemovalKind.Link => "link to '" + step.LinkTarget + "'", RemovalKind.LeftoverFile => $"file of {step.Size} bytes", _ => "directory" }} that was checked); nothing was removed there.");

    static PodLogsFailure FromErrno(NodeRoot root, RemovalStep step, int errno, string? at = null) => errno switch
    {
        Posix.EACCES or Posix.EPERM => Failure(root, step, ErrorIds.Removal.RemovalPermissionDenied, FailureCategory.PermissionDenied, $"Cannot remove {at ?? step.NodePath}: {Posix.Describe(errno)}."),
        _ => Failure(root, step, ErrorIds.Removal.RemovalFailed, FailureCategory.WriteError, $"Cannot remove {at ?? step.NodePath}: {Posix.Describe(errno)}."),
    };

    static PodLogsFailure Failure(NodeRoot root, RemovalStep step, string id, FailureCategory category, string message) =>
        new(id, category, message, root.ToLocal(step.NodePath));
}
