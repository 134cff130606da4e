namespace PodLogs.Core;

/// <summary>
/// A legacy link in <c>/var/log/containers</c> whose pod no longer exists on this node in the API
/// (issue #4 Deliver 4). Shares <c>FullName</c>, <c>TotalBytes</c>, <c>TargetBytes</c> and <c>Age</c> with
/// <see cref="PodLogDirectory"/>, so one pipeline can total or review both.
/// </summary>
public sealed record OrphanedLegacyLink
{
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? ContainerName { get; init; }
    /// <summary>The id (or, after kubelet's 251-byte cut, the part of it) the link's name carries.</summary>
    public string? ContainerId { get; init; }
    /// <summary>The uid of the pod directory the link points into, when it does.</summary>
    public string? PodUid { get; init; }
    public string Root { get; init; } = "/";
    public required string FullName { get; init; }
    public required string NodePath { get; init; }
    /// <summary>The raw link text.</summary>
    public string? Target { get; init; }
    /// <summary>0 for a link (its own few bytes are not counted, and it has no rotated files); the bytes of a regular file standing in its place. The same meaning as every record's TotalBytes; the log behind the link is <see cref="TargetBytes"/>.</summary>
    public long TotalBytes { get; init; }
    /// <summary>Bytes of the file the link resolves to (removing the link frees none of them); 0 for a regular file in the link's place (its bytes are <see cref="TotalBytes"/>).</summary>
    public long TargetBytes { get; init; }
    public DateTimeOffset? LastWriteTime { get; init; }
    public TimeSpan? Age { get; init; }
    public string Reason { get => _reason; init => _reason = DisplayText.Escape(value); }
    string _reason = "";
    /// <summary>
    /// The node's name as kubelet knows it (its client certificate's CN, --hostname-override, else the hostname
    /// under -Root), found once per command when first read; null when nothing under the root names it.
    /// Group records gathered from many nodes by it.
    /// </summary>
    public string? NodeName => NodeNameLookup?.Value;

    internal Cluster.NodeNameLookup? NodeNameLookup { get; init; }
    /// <summary>The link under -Root (<see cref="FullName"/>), never the node path: a record bound to a path parameter by its text must not name this machine's own file.</summary>
    public override string ToString() => FullName;
}
