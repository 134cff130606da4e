using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>Listing directories under the root where their parents resolve, and reaching their entries from there.</summary>
public sealed partial class NodeRoot
{
    /// <summary>
    /// Lists the directory a node path names, its parents resolved under the root first: given the local path, the
    /// kernel would follow a link among them (a symlinked /var/log/pods, say) from the host's '/', not the node's.
    /// The directory itself is not followed when it is a link (ELOOP), as ever. Returns errno (that of the parents'
    /// resolution when it stopped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadDirectory(string nodePath, out List<DirectoryEntry> entries) => ReadDirectory(nodePath, out entries, out _);

    /// <param name="listedAt">
    /// Where the directory was listed: its node path with its parents resolved (the path itself when no link is among
    /// them). Its entries are reached from there (<see cref="LStatListed"/>, <see cref="LocalPathListed"/>) without a
    /// resolution each.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadDirectory(string nodePath, out List<DirectoryEntry> entries, out string listedAt)
    {
        var errno = ListingPath(nodePath, out listedAt);
        if (errno == 0) return DirectoryReader.Read(ToLocal(listedAt), out entries);
        entries = [];
        return errno;
    }

    /// <summary>
    /// <see cref="DirectoryReader.StatMatching"/> for the directory a node path names, its parents resolved under the root
    /// as <see cref="ReadDirectory(string, out List{DirectoryEntry}, out string)"/> does: the lstat of each entry
    /// <paramref name="filter"/> keeps, relative to the directory listed. Returns errno.
    /// </summary>
    public int StatMatching(string nodePath, ReadOnlySpan<byte> key, EntryNameFilter filter, List<(int Tag, FileStatus Status)> found)
    {
        var errno = ListingPath(nodePath, out var listedAt);
        return errno != 0 ? errno : DirectoryReader.StatMatching(ToLocal(listedAt), key, filter, found);
    }

    /// <summary>Where the directory a node path names is listed: its parents resolved under the root. Returns errno (that of the parents' resolution when it stopped).</summary>
    int ListingPath(string nodePath, out string listedAt)
    {
        var path = Normalize(nodePath);
        var slash = path.LastIndexOf('/');
        listedAt = path;
        if (slash <= 0) return 0;
        var parent = ResolveParent(path, slash, 0);
        if (!parent.IsResolved) return parent.Errno != 0 ? parent.Errno : Posix.ENOENT;
        listedAt = Join(parent.NodePath, path, slash);
        return 0;
    }

    /// <summary>Lists a directory that was resolved (<see cref="ResolveDirectory(string)"/>), where it resolved; ENOENT when it did not.</summary>
    public int ReadDirectory(Resolution directory, out List<DirectoryEntry> entries)
    {
        entries = [];
        if (!directory.IsResolved) return directory.Errno != 0 ? directory.Errno : Posix.ENOENT;
        return DirectoryReader.Read(ToLocal(directory.NodePath), out entries);
    }

    /// <summary>
    /// lstat of the entry <paramref name="name"/> of a directory listed at <paramref name="listedAt"/> (see
    /// <see cref="ReadDirectory(string, out List{DirectoryEntry}, out string)"/>): one system call, no resolution, as the
    /// listing's parents were resolved already. Returns errno.
    /// </summary>
    public int LStatListed(string listedAt, string name, out FileStatus status) => Posix.LStat(LocalPathListed(listedAt, name), out status);

    /// <summary>The local path of the entry <paramref name="name"/> of a directory listed at <paramref name="listedAt"/>: where it is, no link left for the kernel to follow from the host's '/'.</summary>
    public string LocalPathListed(string listedAt, string name) => ToLocal(NodePath.Combine(Normalize(listedAt), name));

    /// <summary>
    /// The local path of where a resolution ended: the file a chain reaches, with no link left in it for the kernel
    /// to follow from the host's '/'. What the log reader's opener is handed.
    /// </summary>
    /// <exception cref="ArgumentException">The resolution stopped before its end.</exception>
    public string LocalPathOf(Resolution resolved) =>
        resolved.IsResolved ? ToLocal(resolved.NodePath) : throw new ArgumentException($"{resolved.NodePath} was not resolved ({resolved.Outcome}).", nameof(resolved));

    /// <summary>Opens a resolved directory (O_DIRECTORY|O_NOFOLLOW) for calls relative to it; returns errno.</summary>
    public int OpenDirectory(Resolution directory, out int fd)
    {
        fd = -1;
        if (!directory.IsResolved) return directory.Errno != 0 ? directory.Errno : Posix.ENOENT;
        return Posix.OpenDirectory(ToLocal(directory.NodePath), out fd);
    }
}
