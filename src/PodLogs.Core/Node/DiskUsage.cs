using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>
/// The disk a set of files takes: allocated blocks (<c>st_blocks * 512</c>, what <c>du</c> counts, so a sparse file counts
/// what it holds, not its length), each file once by device and inode, so hard links, and docker's json log reached
/// through N.log and again through the legacy link, count once (docs/kubelet-facts.md §11). Only regular files count: a link's own
/// few bytes and directories do not, as on every record's TotalBytes. Every path is reached through <see cref="NodeRoot"/>,
/// chroot-style under -Root (a /var/log/pods that is a link is followed there, never from the host's '/').
/// Not thread-safe: one tally per scan, or one per figure and <see cref="Add(DiskUsage)"/> to add them up.
/// </summary>
public sealed class DiskUsage(NodeRoot root)
{
    // A tally per figure per container instance (Measure-PodLog makes tens of thousands) holds a file or three: the first
    // few are kept in a small array searched in order, a dictionary only past that (benchmarks/README.md, MeasurePodLog).
    const int SmallLimit = 8;
    (ulong Device, ulong Inode, long Bytes)[]? _small;
    int _smallCount;
    Dictionary<(ulong Device, ulong Inode), long>? _files;
    /// <summary>Directories a tree walk entered: a bind mount of an ancestor inside the tree is not a way round forever.</summary>
    HashSet<(ulong Device, ulong Inode)>? _directories;

    /// <summary>Bytes allocated to the files counted, each once.</summary>
    public long Bytes { get; private set; }

    /// <summary>How many distinct files were counted.</summary>
    public int FileCount => _files?.Count ?? _smallCount;

    /// <summary>Whether the file <paramref name="status"/> describes was counted already.</summary>
    public bool Contains(in FileStatus status) => Contains(status.Device, status.Inode);

    bool Contains(ulong device, ulong inode)
    {
        if (_files is not null) return _files.ContainsKey((device, inode));
        for (var i = 0; i < _smallCount; i++)
            if (_small![i].Inode == inode && _small[i].Device == device) return true;
        return false;
    }

    /// <summary>Counts a regular file from its lstat (or a chain's end); true when it was not counted before.</summary>
    public bool Add(in FileStatus status) => status.Kind == FileKind.RegularFile && TryAdd(status.Device, status.Inode, status.AllocatedBytes);

    bool TryAdd(ulong device, ulong inode, long bytes)
    {
        if (_files is null)
        {
            if (Contains(device, inode)) return false;
            if (_smallCount < SmallLimit)
            {
                if (_small is null || _smallCount == _small.Length) Array.Resize(ref _small, _small is null ? 4 : SmallLimit);
                _small[_smallCount++] = (device, inode, bytes);
                Bytes += bytes;
                return true;
            }
            _files = new Dictionary<(ulong Device, ulong Inode), long>(SmallLimit * 2);
            foreach (var (d, i, b) in _small!) _files.Add((d, i), b);
            _small = null;
            _smallCount = 0;
        }
        if (!_files.TryAdd((device, inode), bytes)) return false;
        Bytes += bytes;
        return true;
    }

    /// <summary>Counts every file of <paramref name="other"/> this tally does not hold yet (a pod's total from its containers').</summary>
    public void Add(DiskUsage other)
    {
        if (other._files is { } files)
            foreach (var ((device, inode), bytes) in files) TryAdd(device, inode, bytes);
        else
            for (var i = 0; i < other._smallCount; i++) TryAdd(other._small![i].Device, other._small[i].Inode, other._small[i].Bytes);
    }

    /// <summary>The files of this tally none of <paramref name="counted"/> holds, and their bytes: a sum over figures without a tally made for it.</summary>
    internal (int FileCount, long Bytes) Excluding(ReadOnlySpan<DiskUsage> counted)
    {
        var (files, bytes) = (0, 0L);
        if (_files is { } map)
        {
            foreach (var ((device, inode), b) in map)
                if (!IsIn(counted, device, inode)) (files, bytes) = (files + 1, bytes + b);
        }
        else
        {
            for (var i = 0; i < _smallCount; i++)
                if (!IsIn(counted, _small![i].Device, _small[i].Inode)) (files, bytes) = (files + 1, bytes + _small[i].Bytes);
        }
        return (files, bytes);

        static bool IsIn(ReadOnlySpan<DiskUsage> tallies, ulong device, ulong inode)
        {
            foreach (var t in tallies)
                if (t.Contains(device, inode)) return true;
            return false;
        }
    }

    /// <summary>
    /// Counts the entry at <paramref name="nodePath"/> itself (its parents resolved under the root, its final component
    /// not followed): a regular file counts, a link does not. Returns errno (0 when the entry was reached).
    /// </summary>
    public int AddEntry(string nodePath)
    {
        if (root.LStat(nodePath, out var status) is { } stopped) return ErrnoOf(stopped);
        Add(status);
        return 0;
    }

    /// <summary>
    /// Counts the file the chain from <paramref name="nodePath"/> ends at, links followed under the root (a regular file
    /// at <paramref name="nodePath"/> is its own end). Returns errno (0 when the chain was followed to its end).
    /// </summary>
    public int AddChainEnd(string nodePath)
    {
        var end = root.Resolve(nodePath);
        if (!end.IsResolved) return ErrnoOf(end);
        Add(end.Status);
        return 0;
    }

    /// <summary>
    /// Counts the entry <paramref name="name"/> of a directory listed at <paramref name="listedAt"/>
    /// (<see cref="NodeRoot.ReadDirectory(string, out List{DirectoryEntry}, out string)"/>): one lstat, nothing resolved.
    /// Returns errno.
    /// </summary>
    public int AddListed(string listedAt, string name)
    {
        var errno = root.LStatListed(listedAt, name, out var status);
        if (errno == 0) Add(status);
        return errno;
    }

    /// <summary>
    /// Counts every regular file in the directory tree at <paramref name="nodePath"/> (its parents resolved under the
    /// root), never following a link inside it and never entering another mount (as <c>du -x</c>, bind mounts of the same
    /// filesystem included).
    /// Returns errno of the tree's own directory; <paramref name="unreadable"/> gets the directories below it that
    /// could not be listed.
    /// </summary>
    public int AddTree(string nodePath, Action<string, int>? unreadable = null)
    {
        if (root.LStat(nodePath, out var top) is { } stopped) return ErrnoOf(stopped);
        if (top.Kind != FileKind.Directory) return Posix.ENOTDIR;
        (_directories ??= []).Add((top.Device, top.Inode));
        return AddDirectory(nodePath, top.Device, unreadable, isTop: true);
    }

    int AddDirectory(string nodePath, ulong device, Action<string, int>? unreadable, bool isTop)
    {
        var errno = root.ReadDirectory(nodePath, out var entries, out var listedAt);
        if (errno != 0)
        {
            if (!isTop) unreadable?.Invoke(nodePath, errno);
            return errno;
        }
        foreach (var entry in entries)
        {
            if (root.LStatListed(listedAt, entry.Name, out var status) != 0) continue;
            if (status.Kind == FileKind.Directory)
            {
                if (status.Device == device && _directories!.Add((status.Device, status.Inode))
                    && Posix.IsMountRootAt(Posix.AtFdCwd, root.LocalPathListed(listedAt, entry.Name), out var mountRoot) == 0 && !mountRoot)
                    AddDirectory(NodePath.Combine(listedAt, entry.Name), device, unreadable, isTop: false);
            }
            else Add(status);
        }
        return 0;
    }

    static int ErrnoOf(Resolution stopped) => stopped.Errno != 0 ? stopped.Errno : Posix.ENOENT;
}
