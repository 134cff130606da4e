using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>
/// The node's filesystem seen from here: -Root is the node's '/'. Translates node paths to local
/// ones and resolves node paths the way the node's kernel would if it were chrooted at -Root
/// (component by component with lstat/readlink; an absolute target restarts at the root; '..' stops
/// at the root; more than 40 links is a loop, like Linux's MAXSYMLINKS).
/// Safe to use from several threads: the caches are shared under one lock, system calls run outside it.
/// </summary>
public sealed class NodeRoot
{
    public const int MaxLinkHops = 40;
    static readonly LinkHop[] NoHops = [];

    readonly object _gate = new();
    readonly PathTable<Resolution> _directories = new();
    readonly PathTable<Entry> _entries = new();
    /// <summary>Per listed directory, the names its listing said are directories (see <see cref="SeedSubdirectories"/>).</summary>
    readonly PathTable<PathTable<string>> _listedSubdirectories = new();
    readonly string _prefix;

    /// <summary>What this command learnt about one path's last component (one object per path: a scan sees tens of thousands).</summary>
    internal sealed class Entry
    {
        /// <summary>lstat's answer, or the listing's type when <see cref="Seeded"/>; unknown until <see cref="HasStatus"/>.</summary>
        public bool HasStatus;
        public int StatusErrno;
        public FileStatus Status;
        public bool Seeded;
        /// <summary>readlink's answer, when asked.</summary>
        public bool HasTarget;
        public int TargetErrno;
        public string Target = "";
        /// <summary>Where the link's chain ends, when followed from a parent reached without links.</summary>
        public Resolution? Followed;
    }

    /// <summary>The entry for a path, made on first use (in this thread's entry scope when one is open); call under the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Entry EntryOf(string nodePath)
    {
        if (_entries[nodePath] is { } shared) return shared;
        var scope = CurrentScope;
        if (scope?.Entries[nodePath] is { } scoped) return scoped;
        var made = new Entry();
        (scope?.Entries ?? _entries).Set(nodePath, made);
        return made;
    }

    /// <summary>The entry for a path when there is one, in this thread's entry scope or the command's; call under the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Entry? FindEntry(string nodePath) => CurrentScope?.Entries[nodePath] ?? _entries[nodePath];

    /// <summary>The resolution of the directory <paramref name="path"/>[..<paramref name="length"/>], from this thread's entry scope or the command's cache; call under the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution? FindDirectory(string path, int length) => CurrentScope?.Directories.Find(path, 0, length) ?? _directories.Find(path, 0, length);

    [ThreadStatic] static EntryScope? t_scope;

    EntryScope? CurrentScope => t_scope is { } scope && scope.Root == this ? scope : null;

    /// <summary>
    /// Until disposed, what this thread learns about single files (listing types, lstat, readlink, followed chains)
    /// and what listings say about subdirectories is kept in a cache of its own, dropped with the scope, rather than
    /// for the whole command; what the command's cache already knows is still used. A scan opens one per pod: a
    /// pod's files are looked at again only while that pod is inspected (its N.log from its legacy links), and a
    /// command-wide cache of every file made each garbage collection during a scan copy and scan thousands of
    /// entries no one would read again.
    /// </summary>
    /// <remarks>Disposed once, on the opening thread; its tables are then kept for the thread's next scope (a scan opens a thousand).</remarks>
    internal EntryScope BeginEntryScope()
    {
        var scope = t_spare ?? new EntryScope();
        t_spare = null;
        scope.Open(this, t_scope);
        return t_scope = scope;
    }

    [ThreadStatic] static EntryScope? t_spare;

    internal sealed class EntryScope : IDisposable
    {
        EntryScope? _outer;

        internal NodeRoot? Root { get; private set; }
        internal PathTable<Entry> Entries { get; } = new();
        internal PathTable<Resolution> Directories { get; } = new();

        internal void Open(NodeRoot root, EntryScope? outer) => (Root, _outer) = (root, outer);

        public void Dispose()
        {
            if (Root is null) return;
            if (t_scope == this) t_scope = _outer;
            Entries.Clear();
            Directories.Clear();
            (Root, _outer) = (null, null);
            t_spare = this;
        }
    }

    public NodeRoot(string localRoot)
    {
        var full = Path.GetFullPath(localRoot);
        LocalRoot = full.Length > 1 ? full.TrimEnd('/') : full;
        if (LocalRoot.Length == 0) LocalRoot = "/";
        _prefix = LocalRoot == "/" ? "" : LocalRoot;
        NodeName = new Cluster.NodeNameLookup(LocalRoot);
    }

    /// <summary>The node's name for the records made under this root (found when first asked).</summary>
    public Cluster.NodeNameLookup NodeName { get; }

    /// <summary>The local directory that stands for the node's '/'.</summary>
    public string LocalRoot { get; }

    public bool IsHostRoot => _prefix.Length == 0;

    /// <summary>The local path of a clean node-absolute path (lexical; resolves nothing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string ToLocal(string nodePath) => nodePath == "/" ? LocalRoot : _prefix + nodePath;

    /// <summary>The node path of a local path under the root, or null when it is outside.</summary>
    public string? ToNode(string localPath)
    {
        var full = Path.GetFullPath(localPath);
        if (_prefix.Length == 0) return full;
        if (full == LocalRoot) return "/";
        return full.StartsWith(_prefix + "/", StringComparison.Ordinal) ? full[_prefix.Length..] : null;
    }

    /// <summary>Forgets cached directory resolutions (each command starts afresh).</summary>
    public void ClearCache()
    {
        lock (_gate)
        {
            _directories.Clear();
            _entries.Clear();
            _listedSubdirectories.Clear();
        }
    }

    /// <summary>
    /// lstat of a final component, once per command for links and listed entries (a scan looks at each entry from
    /// its pod and from its legacy link). What a chain ends at is not kept: it is looked up once, with the chain,
    /// and the chain is kept on its link (a cache entry per json log was most of this cache and never read again).
    /// </summary>
    /// <param name="entry">The path's entry, when it has one (always for a link): its chain and target are kept there.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int LStatEntry(string nodePath, out FileStatus status, out Entry? entry)
    {
        lock (_gate)
        {
            if ((entry = FindEntry(nodePath)) is { HasStatus: true })
            {
                status = entry.Status;
                return entry.StatusErrno;
            }
        }
        var errno = Posix.LStat(ToLocal(nodePath), out status);
        if (entry is null && errno == 0 && status.Kind != FileKind.SymbolicLink) return errno;
        lock (_gate)
        {
            entry ??= EntryOf(nodePath);
            (entry.HasStatus, entry.StatusErrno, entry.Status, entry.Seeded) = (true, errno, status, false);
        }
        return errno;
    }

    /// <summary>
    /// What a directory listing (getdents d_type) already said about an entry, so it is not lstat'd again:
    /// a link is then only readlink'd (EINVAL there falls back to lstat), or not at all when its
    /// <paramref name="linkTarget"/> was read with the listing; a directory under an already resolved parent is
    /// taken as resolved. Unknown types (DT_UNKNOWN) are not seeded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Seed(string nodePath, FileKind kind, string? linkTarget = null)
    {
        if (kind == FileKind.SymbolicLink)
        {
            lock (_gate)
            {
                var e = EntryOf(nodePath);
                if (!e.HasStatus) (e.HasStatus, e.Status, e.Seeded) = (true, new FileStatus(kind, 0, 0, 0, 0, default), true);
                if (linkTarget is not null && !e.HasTarget) (e.HasTarget, e.TargetErrno, e.Target) = (true, 0, linkTarget);
            }
        }
        else if (kind == FileKind.Directory && nodePath.LastIndexOf('/') is > 0 and var slash)
        {
            lock (_gate)
                if (FindDirectory(nodePath, nodePath.Length) is null && FindDirectory(nodePath, slash) is { IsResolved: true } p
                    && p.NodePath.Length == slash && nodePath.StartsWith(p.NodePath, StringComparison.Ordinal))
                    (CurrentScope?.Directories ?? _directories).Set(nodePath, new Resolution(ResolveOutcome.Resolved, nodePath, new FileStatus(kind, 0, 0, 0, 0, default), p.Hops));
        }
    }

    /// <summary>
    /// What a listing of a directory reached without links said about its subdirectories: a path through one of
    /// them resolves without an lstat of it. Unlike <see cref="Seed"/> this keeps only the names (docker's
    /// containers directory lists thousands, each passed through once), and <see cref="ListedSubdirectory(string, int, int)"/>
    /// gives back the listing's own string for a name.
    /// </summary>
    public void SeedSubdirectories(string dirNodePath, IReadOnlyCollection<string> names)
    {
        var byName = new PathTable<string>(names.Count);
        foreach (var name in names) byName.Set(name, name);
        lock (_gate) _listedSubdirectories.Set(dirNodePath, byName);
    }

    /// <summary>
    /// The listing's string for the subdirectory named by <paramref name="path"/>[<paramref name="start"/>..+<paramref name="length"/>],
    /// in the directory that <paramref name="path"/> names up to the '/' before it, when a listing said so; else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? ListedSubdirectory(string path, int start, int length) =>
        start > 1 ? ListedName(path, 0, start - 1, path, start, length) : null;

    /// <summary>The listing's string for the name <paramref name="text"/>[<paramref name="start"/>..+<paramref name="length"/>] in <paramref name="directory"/>, when its listing named that a directory; else null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? ListedSubdirectory(string directory, string text, int start, int length) =>
        ListedName(directory, 0, directory.Length, text, start, length);

    string? ListedName(string directory, int directoryStart, int directoryLength, string name, int nameStart, int nameLength)
    {
        lock (_gate)
            return _listedSubdirectories.Find(directory, directoryStart, directoryLength)?.Find(name, nameStart, nameLength);
    }

    /// <summary>readlink of a node path, once per command.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadLink(string nodePath, out string target) => ReadLink(nodePath, null, out target);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int ReadLink(string nodePath, Entry? known, out string target)
    {
        Entry e;
        lock (_gate)
        {
            e = known ?? EntryOf(nodePath);
            if (e.HasTarget)
            {
                target = e.Target;
                return e.TargetErrno;
            }
        }
        var errno = Posix.ReadLink(ToLocal(nodePath), out target);
        lock (_gate)
        {
            if (errno == Posix.EINVAL && e.Seeded)
            {
                // The listing said link, but it was replaced since: forget the seed, lstat for real.
                (e.HasStatus, e.Seeded) = (false, false);
                return errno;
            }
            (e.HasTarget, e.TargetErrno, e.Target) = (true, errno, target);
        }
        return errno;
    }

    /// <summary>
    /// Resolves a node-absolute path. With <paramref name="followFinal"/> false the last component is
    /// not followed (lstat semantics). Directory prefixes are cached for the life of this object.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Resolution Resolve(string nodePath, bool followFinal = true) => Resolve(nodePath, followFinal, 0);

    /// <summary>Resolves a node path that must name a directory.</summary>
    public Resolution ResolveDirectory(string nodePath) => ResolveDirectory(Normalize(nodePath), 0);

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
        var path = Normalize(nodePath);
        var slash = path.LastIndexOf('/');
        listedAt = path;
        if (slash <= 0) return DirectoryReader.Read(ToLocal(path), out entries);
        var parent = ResolveParent(path, slash, 0);
        if (parent.IsResolved) return DirectoryReader.Read(ToLocal(listedAt = Join(parent.NodePath, path, slash)), out entries);
        entries = [];
        return parent.Errno != 0 ? parent.Errno : Posix.ENOENT;
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
    /// The local paths of entries of a directory listed at <paramref name="listedAt"/>, and the bytes allocated to
    /// the regular files among them (one lstat each, nothing resolved).
    /// </summary>
    public (List<string> Local, long Bytes) MeasureListed(string listedAt, IReadOnlyList<string> names)
    {
        var local = new List<string>(names.Count);
        long bytes = 0;
        foreach (var name in names)
        {
            var path = LocalPathListed(listedAt, name);
            local.Add(path);
            if (Posix.LStat(path, out var s) == 0 && s.Kind == FileKind.RegularFile) bytes += s.AllocatedBytes;
        }
        return (local, bytes);
    }

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

    /// <summary>
    /// lstat of a node path's final component, reached chroot-style (links in the parents followed): null when it was
    /// reached, with <paramref name="status"/> its lstat; else the resolution that stopped on the way. The same as
    /// <c>Resolve(nodePath, followFinal: false)</c> without making a resolution for an entry that is there.
    /// </summary>
    public Resolution? LStat(string nodePath, out FileStatus status) => LStat(nodePath, out status, out _);

    /// <param name="located">Where the entry is, its parents resolved: the node path its own hop has in a chain.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Resolution? LStat(string nodePath, out FileStatus status, out string located)
    {
        var path = Normalize(nodePath);
        var slash = path.LastIndexOf('/');
        if (path == "/" || path.AsSpan(slash + 1) is "..")
        {
            var directory = ResolveDirectory(path, 0);
            (status, located) = (directory.Status, directory.NodePath);
            return directory.IsResolved ? null : directory;
        }
        return Locate(path, slash, 0, out located, out status, out _, out _, out _);
    }

    /// <summary>
    /// Reaches the final component of a normalized path: its parent resolved (<paramref name="parent"/> is null when
    /// a listing vouched for it), the entry lstat'd. Null when reached, else the resolution that stopped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution? Locate(string path, int slash, int depth, out string candidate, out FileStatus status, out Entry? entry,
        out Resolution? parent, out IReadOnlyList<LinkHop> parentHops)
    {
        // In a listed directory (a docker container's), the path is known to be spelled as it resolves: no
        // resolution of the parent is made unless the entry is a link to follow from there.
        var listedParentHops = ListedDirectoryHops(path, slash);
        (parent, candidate, status, entry) = (null, path, default, null);
        if (listedParentHops is null)
        {
            parent = ResolveParent(path, slash, depth);
            parentHops = parent.Hops;
            if (!parent.IsResolved) return parent;
            candidate = Join(parent.NodePath, path, slash);
        }
        else parentHops = listedParentHops;
        var errno = LStatEntry(candidate, out status, out entry);
        return errno != 0 ? Failure(errno, candidate, parentHops) : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution Resolve(string nodePath, bool followFinal, int depth)
    {
        var path = Normalize(nodePath);
        if (path == "/") return ResolveDirectory(path, depth);
        var slash = path.LastIndexOf('/');
        if (path.AsSpan(slash + 1) is "..") return ResolveDirectory(path, depth);
        if (Locate(path, slash, depth, out var candidate, out var status, out var entry, out var parent, out var parentHops) is { } stopped) return stopped;
        if (status.Kind != FileKind.SymbolicLink || !followFinal)
            return new Resolution(ResolveOutcome.Resolved, candidate, status, parentHops);
        parent ??= ListedDirectory(path, slash, parentHops);
        // A followed chain is resolved once per command: a legacy link's chain reuses its N.log's.
        Resolution? known;
        lock (_gate) known = entry!.Followed;
        if (known is not null && parent.Hops.Count == 0 && depth + known.Hops.Count <= MaxLinkHops) return known;
        var followed = FollowLink(candidate, entry, parent, depth, directory: false);
        if (followed.Errno == Posix.EINVAL && followed.Hops.Count == parent.Hops.Count)
        {
            bool stale;
            lock (_gate) stale = !entry.HasStatus;
            if (stale) return Resolve(nodePath, followFinal, depth); // a stale seed: retried with a real lstat
        }
        if (parent.Hops.Count == 0 && followed.Outcome != ResolveOutcome.Loop)
            lock (_gate) entry.Followed = followed;
        return followed;
    }

    /// <summary>The directory a path's last component is in: <paramref name="path"/> up to <paramref name="slash"/>, looked up without cutting it out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution ResolveParent(string path, int slash, int depth)
    {
        if (slash == 0) return ResolveDirectory("/", depth);
        Resolution? cached;
        lock (_gate) cached = FindDirectory(path, slash);
        if (cached is not null && depth + cached.Hops.Count <= MaxLinkHops) return cached;
        return ListedDirectoryHops(path, slash) is { } hops ? ListedDirectory(path, slash, hops) : ResolveDirectory(path[..slash], depth);
    }

    static Resolution ListedDirectory(string path, int end, IReadOnlyList<LinkHop> hops) =>
        new(ResolveOutcome.Resolved, path[..end], new FileStatus(FileKind.Directory, 0, 0, 0, 0, default), hops);

    /// <summary>
    /// When a listing of its parent, reached without links, named <paramref name="path"/>[..<paramref name="end"/>] a
    /// directory: the links followed to reach that parent (so the directory resolves to itself); else null.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    IReadOnlyList<LinkHop>? ListedDirectoryHops(string path, int end)
    {
        if (end <= 0) return null;
        var slash = path.LastIndexOf('/', end - 1);
        if (slash <= 0) return null;
        Resolution? parent;
        lock (_gate)
        {
            if (_listedSubdirectories.Count == 0 || _listedSubdirectories.Find(path, 0, slash)?.Find(path, slash + 1, end - slash - 1) is null
                || (parent = FindDirectory(path, slash)) is null)
                return null;
        }
        return parent.IsResolved && parent.NodePath.Length == slash && path.StartsWith(parent.NodePath, StringComparison.Ordinal) ? parent.Hops : null;
    }

    Resolution ResolveDirectory(string path, int depth)
    {
        if (depth > MaxLinkHops) return new Resolution(ResolveOutcome.Loop, path, default, NoHops, Posix.ELOOP);
        if (path == "/")
        {
            Posix.LStat(LocalRoot, out var rootStatus);
            return new Resolution(ResolveOutcome.Resolved, "/", rootStatus, NoHops);
        }
        Resolution? cached;
        lock (_gate) cached = FindDirectory(path, path.Length);
        if (cached is not null && depth + cached.Hops.Count <= MaxLinkHops) return cached;

        var slash = path.LastIndexOf('/');
        var parent = ResolveParent(path, slash, depth);
        Resolution result;
        if (!parent.IsResolved) result = parent;
        else if (path.AsSpan(slash + 1) is "..")
        {
            var up = NodePath.Parent(parent.NodePath);
            Posix.LStat(ToLocal(up), out var upStatus);
            result = new Resolution(ResolveOutcome.Resolved, up, upStatus, parent.Hops);
        }
        else
        {
            var candidate = Join(parent.NodePath, path, slash);
            var errno = Posix.LStat(ToLocal(candidate), out var status);
            if (errno != 0) result = Failure(errno, candidate, parent.Hops);
            else if (status.Kind == FileKind.SymbolicLink) result = FollowLink(candidate, null, parent, depth, directory: true);
            else if (status.Kind != FileKind.Directory)
                result = new Resolution(ResolveOutcome.NotADirectory, candidate, status, parent.Hops, Posix.ENOTDIR);
            else result = new Resolution(ResolveOutcome.Resolved, candidate, status, parent.Hops);
        }
        if (result.Outcome != ResolveOutcome.Loop)
            lock (_gate) _directories.Set(path, result);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution FollowLink(string linkNodePath, Entry? entry, Resolution parent, int depth, bool directory)
    {
        if (depth + parent.Hops.Count + 1 > MaxLinkHops)
            return new Resolution(ResolveOutcome.Loop, linkNodePath, default, parent.Hops, Posix.ELOOP);
        var errno = ReadLink(linkNodePath, entry, out var target);
        if (errno != 0) return Failure(errno, linkNodePath, parent.Hops);
        var next = NodePath.IsAbsolute(target) ? target : NodePath.Combine(parent.NodePath, target);
        var nextDepth = depth + parent.Hops.Count + 1;
        var rest = directory ? ResolveDirectory(Normalize(next), nextDepth) : Resolve(next, true, nextDepth);
        var hops = new LinkHop[parent.Hops.Count + 1 + rest.Hops.Count];
        for (var i = 0; i < parent.Hops.Count; i++) hops[i] = parent.Hops[i];
        hops[parent.Hops.Count] = new LinkHop(linkNodePath, target);
        for (var i = 0; i < rest.Hops.Count; i++) hops[parent.Hops.Count + 1 + i] = rest.Hops[i];
        return rest with { Hops = hops };
    }

    /// <summary>The resolved parent joined with the last component of <paramref name="original"/>, which is reused when it already spells exactly that (no link in the parents).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static string Join(string parent, string original, int slash) =>
        (parent == "/" ? slash == 0 : parent.Length == slash && original.StartsWith(parent, StringComparison.Ordinal))
            ? original
            : NodePath.Combine(parent, original[(slash + 1)..]);

    static Resolution Failure(int errno, string at, IReadOnlyList<LinkHop> hops) => errno switch
    {
        Posix.ENOENT => new Resolution(ResolveOutcome.NotFound, at, default, hops, errno),
        Posix.ENOTDIR => new Resolution(ResolveOutcome.NotADirectory, at, default, hops, errno),
        Posix.EACCES or Posix.EPERM => new Resolution(ResolveOutcome.AccessDenied, at, default, hops, errno),
        Posix.ELOOP => new Resolution(ResolveOutcome.Loop, at, default, hops, errno),
        _ => new Resolution(ResolveOutcome.Error, at, default, hops, errno),
    };

    /// <summary>Absolute, no empty or '.' components, no trailing '/'; '..' kept (it must be resolved, not erased).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static string Normalize(string path)
    {
        if (!path.StartsWith('/')) path = "/" + path;
        if (!path.Contains("//") && !path.Contains("/./") && !path.EndsWith('/') && !path.EndsWith("/.")) return path;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
        return "/" + string.Join('/', parts);
    }
}
