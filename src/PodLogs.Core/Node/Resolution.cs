using PodLogs.Core.Native;

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
