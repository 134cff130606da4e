using System.Runtime.CompilerServices;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>A directory the node's software writes logs or runtime state into, in both spellings.</summary>
/// <param name="Configured">The node path as configured: what kubelet and the runtime write into links.</param>
/// <param name="Canonical">The same directory with every link resolved (equal to Configured when no link is involved).</param>
public sealed record NodeDirectory(string Configured, string Canonical)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Contains(string resolvedNodePath) =>
        NodePath.IsUnder(resolvedNodePath, Canonical) || NodePath.IsUnder(resolvedNodePath, Configured);
}
