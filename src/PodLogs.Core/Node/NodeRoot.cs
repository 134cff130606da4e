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
public sealed partial class NodeRoot
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
}
