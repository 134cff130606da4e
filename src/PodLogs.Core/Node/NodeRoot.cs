using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

public enum ResolveOutcome
{
    Resolved,
    NotFound,
    NotADirectory,
    Loop,
    AccessDenied,
    Error,
}

/// <summary>
/// Where a node-absolute path ends when resolved chroot-style under -Root.
/// <see cref="NodePath"/> is the final path when resolved, else the path where resolution stopped.
/// </summary>
public sealed record Resolution(ResolveOutcome Outcome, string NodePath, FileStatus Status, IReadOnlyList<LinkHop> Hops, int Errno = 0)
{
    public bool IsResolved => Outcome == ResolveOutcome.Resolved;
}

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
    readonly Dictionary<PathKey, Resolution> _directories = new();
    readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    readonly string _prefix;

    /// <summary>What this command learnt about one path's last component (one object per path: a scan sees tens of thousands).</summary>
    sealed class Entry
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

    /// <summary>The entry for a path, made on first use; call under the lock.</summary>
    Entry EntryOf(string nodePath)
    {
        if (!_entries.TryGetValue(nodePath, out var e)) _entries[nodePath] = e = new Entry();
        return e;
    }

    public NodeRoot(string localRoot)
    {
        var full = Path.GetFullPath(localRoot);
        LocalRoot = full.Length > 1 ? full.TrimEnd('/') : full;
        if (LocalRoot.Length == 0) LocalRoot = "/";
        _prefix = LocalRoot == "/" ? "" : LocalRoot;
    }

    /// <summary>The local directory that stands for the node's '/'.</summary>
    public string LocalRoot { get; }

    public bool IsHostRoot => _prefix.Length == 0;

    /// <summary>The local path of a clean node-absolute path (lexical; resolves nothing).</summary>
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
        }
    }

    /// <summary>lstat of a final component, once per command (a scan looks at each entry from its pod and from its legacy link).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    int LStatEntry(string nodePath, out FileStatus status)
    {
        Entry e;
        lock (_gate)
        {
            e = EntryOf(nodePath);
            if (e.HasStatus)
            {
                status = e.Status;
                return e.StatusErrno;
            }
        }
        var errno = Posix.LStat(ToLocal(nodePath), out status);
        lock (_gate) (e.HasStatus, e.StatusErrno, e.Status, e.Seeded) = (true, errno, status, false);
        return errno;
    }

    /// <summary>
    /// What a directory listing (getdents d_type) already said about an entry, so it is not lstat'd again:
    /// a link is then only readlink'd (EINVAL there falls back to lstat), a directory under an already
    /// resolved parent is taken as resolved. Unknown types (DT_UNKNOWN) are not seeded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Seed(string nodePath, FileKind kind)
    {
        if (kind == FileKind.SymbolicLink)
        {
            lock (_gate)
                if (EntryOf(nodePath) is { HasStatus: false } e) (e.HasStatus, e.Status, e.Seeded) = (true, new FileStatus(kind, 0, 0, 0, 0, default), true);
        }
        else if (kind == FileKind.Directory && nodePath.LastIndexOf('/') is > 0 and var slash)
        {
            lock (_gate)
                if (!_directories.ContainsKey(new PathKey(nodePath)) && _directories.TryGetValue(new PathKey(nodePath, slash), out var p)
                    && p.IsResolved && p.NodePath.Length == slash && nodePath.StartsWith(p.NodePath, StringComparison.Ordinal))
                    _directories[new PathKey(nodePath)] = new Resolution(ResolveOutcome.Resolved, nodePath, new FileStatus(kind, 0, 0, 0, 0, default), p.Hops);
        }
    }

    /// <summary>readlink of a node path, once per command.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int ReadLink(string nodePath, out string target)
    {
        Entry e;
        lock (_gate)
        {
            e = EntryOf(nodePath);
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
    public Resolution Resolve(string nodePath, bool followFinal = true) => Resolve(nodePath, followFinal, 0);

    /// <summary>Resolves a node path that must name a directory.</summary>
    public Resolution ResolveDirectory(string nodePath) => ResolveDirectory(Normalize(nodePath), 0);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution Resolve(string nodePath, bool followFinal, int depth)
    {
        var path = Normalize(nodePath);
        if (path == "/") return ResolveDirectory(path, depth);
        var slash = path.LastIndexOf('/');
        if (path.AsSpan(slash + 1) is "..") return ResolveDirectory(path, depth);
        var parent = ResolveParent(path, slash, depth);
        if (!parent.IsResolved) return parent;
        var candidate = Join(parent.NodePath, path, slash);
        var errno = LStatEntry(candidate, out var status);
        if (errno != 0) return Failure(errno, candidate, parent.Hops);
        if (status.Kind != FileKind.SymbolicLink || !followFinal)
            return new Resolution(ResolveOutcome.Resolved, candidate, status, parent.Hops);
        // A followed chain is resolved once per command: a legacy link's chain reuses its N.log's.
        Resolution? known;
        lock (_gate) known = EntryOf(candidate).Followed;
        if (known is not null && parent.Hops.Count == 0 && depth + known.Hops.Count <= MaxLinkHops) return known;
        var followed = FollowLink(candidate, parent, depth, directory: false);
        if (followed.Errno == Posix.EINVAL && followed.Hops.Count == parent.Hops.Count)
        {
            bool stale;
            lock (_gate) stale = !EntryOf(candidate).HasStatus;
            if (stale) return Resolve(nodePath, followFinal, depth); // a stale seed: retried with a real lstat
        }
        if (parent.Hops.Count == 0 && followed.Outcome != ResolveOutcome.Loop)
            lock (_gate) EntryOf(candidate).Followed = followed;
        return followed;
    }

    /// <summary>The directory a path's last component is in: <paramref name="path"/> up to <paramref name="slash"/>, looked up without cutting it out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution ResolveParent(string path, int slash, int depth)
    {
        if (slash == 0) return ResolveDirectory("/", depth);
        Resolution? cached;
        lock (_gate) _directories.TryGetValue(new PathKey(path, slash), out cached);
        if (cached is not null && depth + cached.Hops.Count <= MaxLinkHops) return cached;
        return ResolveDirectory(path[..slash], depth);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution ResolveDirectory(string path, int depth)
    {
        if (depth > MaxLinkHops) return new Resolution(ResolveOutcome.Loop, path, default, NoHops, Posix.ELOOP);
        if (path == "/")
        {
            Posix.LStat(LocalRoot, out var rootStatus);
            return new Resolution(ResolveOutcome.Resolved, "/", rootStatus, NoHops);
        }
        Resolution? cached;
        lock (_gate) _directories.TryGetValue(new PathKey(path), out cached);
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
            else if (status.Kind == FileKind.SymbolicLink) result = FollowLink(candidate, parent, depth, directory: true);
            else if (status.Kind != FileKind.Directory)
                result = new Resolution(ResolveOutcome.NotADirectory, candidate, status, parent.Hops, Posix.ENOTDIR);
            else result = new Resolution(ResolveOutcome.Resolved, candidate, status, parent.Hops);
        }
        if (result.Outcome != ResolveOutcome.Loop)
            lock (_gate) _directories[new PathKey(path)] = result;
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    Resolution FollowLink(string linkNodePath, Resolution parent, int depth, bool directory)
    {
        if (depth + parent.Hops.Count + 1 > MaxLinkHops)
            return new Resolution(ResolveOutcome.Loop, linkNodePath, default, parent.Hops, Posix.ELOOP);
        var errno = ReadLink(linkNodePath, out var target);
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

    /// <summary>A node path given as the first <c>length</c> characters of a string, so a parent directory is looked up without cutting it out.</summary>
    readonly struct PathKey(string text, int length) : IEquatable<PathKey>
    {
        public PathKey(string path) : this(path, path.Length) { }
        ReadOnlySpan<char> Span => text.AsSpan(0, length);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Equals(PathKey other) => Span.SequenceEqual(other.Span);
        public override bool Equals(object? obj) => obj is PathKey other && Equals(other);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override int GetHashCode() => string.GetHashCode(Span, StringComparison.Ordinal);
    }
}
