using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>Chroot-style resolution of node paths: component by component, links followed under the root.</summary>
public sealed partial class NodeRoot
{
    /// <summary>
    /// Resolves a node-absolute path. With <paramref name="followFinal"/> false the last component is
    /// not followed (lstat semantics). Directory prefixes are cached for the life of this object.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Resolution Resolve(string nodePath, bool followFinal = true) => Resolve(nodePath, followFinal, 0);

    /// <summary>Resolves a node path that must name a directory.</summary>
    public Resolution ResolveDirectory(string nodePath) => ResolveDirectory(Normalize(nodePath), 0);

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
