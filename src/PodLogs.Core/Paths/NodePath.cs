using System.Runtime.CompilerServices;

namespace PodLogs.Core.Paths;

/// <summary>Lexical operations on node-absolute paths (always '/'-separated, whatever -Root is).</summary>
public static class NodePath
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Combine(string first, string second) =>
        first.EndsWith('/') ? string.Concat(first, second.TrimStart('/')) : string.Concat(first, "/", second.TrimStart('/'));

    public static string Combine(string first, params string[] rest)
    {
        // As Combine(Combine(first, a), b)…, in one string.
        var length = first.Length;
        foreach (var part in rest) length += part.Length + 1;
        var buffer = length <= 512 ? stackalloc char[length] : new char[length];
        first.CopyTo(buffer);
        var n = first.Length;
        foreach (var part in rest)
        {
            if (n == 0 || buffer[n - 1] != '/') buffer[n++] = '/';
            var trimmed = part.AsSpan().TrimStart('/');
            trimmed.CopyTo(buffer[n..]);
            n += trimmed.Length;
        }
        return new string(buffer[..n]);
    }

    /// <summary>
    /// Cleans an absolute path lexically like Go's <c>filepath.Clean</c>: no empty or '.' components,
    /// '..' resolved, never above '/'. Only for paths we build or compare, never to resolve links.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Clean(string path)
    {
        if (IsClean(path)) return path;
        var stack = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (stack.Count > 0) stack.RemoveAt(stack.Count - 1);
                continue;
            }
            stack.Add(part);
        }
        return "/" + string.Join('/', stack);
    }

    /// <summary>Already what <see cref="Clean"/> returns: absolute, no empty, '.' or '..' components, no trailing '/'.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static bool IsClean(string path)
    {
        if (path.Length == 0 || path[0] != '/') return false;
        if (path.Length == 1) return true;
        if (path[^1] == '/') return false;
        for (var start = 1; start <= path.Length;)
        {
            var end = path.IndexOf('/', start);
            if (end < 0) end = path.Length;
            var len = end - start;
            if (len == 0 || (len == 1 && path[start] == '.') || (len == 2 && path[start] == '.' && path[start + 1] == '.')) return false;
            start = end + 1;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsAbsolute(string path) => path.StartsWith('/');

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it (both clean).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsUnder(string path, string directory) =>
        directory == "/" || path == directory
        || (path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal));

    public static string Parent(string path)
    {
        var i = path.LastIndexOf('/');
        return i <= 0 ? "/" : path[..i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];
}
