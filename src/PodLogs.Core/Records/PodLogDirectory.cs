namespace PodLogs.Core;

/// <summary>One pod's log directory, computed like kubelet whether or not it exists.</summary>
public sealed record PodLogDirectory
{
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public required string PodUid { get; init; }
    /// <summary>A 32-hex uid: kubelet's hash of a static pod's manifest.</summary>
    public bool IsStaticPod { get; init; }
    public PodLogLayout Layout { get; init; }
    /// <summary>The local directory that stood for the node's '/' (-Root) when this record was made.</summary>
    public string Root { get; init; } = "/";
    /// <summary>The local path (under -Root).</summary>
    public required string FullName { get; init; }
    /// <summary>The path on the node.</summary>
    public required string NodePath { get; init; }
    public bool Exists { get; init; }
    /// <summary>The name is over 255 bytes: kubelet cannot create it and the pod has no logs (kubernetes#80042).</summary>
    public bool NameTooLong { get; init; }
    public IReadOnlyList<string> Containers { get; init; } = [];
    /// <summary>
    /// Bytes allocated to the regular files inside (live and rotated logs), each inode once; links count 0 and what they
    /// point at is <see cref="TargetBytes"/>. The same meaning as every record's TotalBytes (the entry and its rotated files).
    /// </summary>
    public long TotalBytes { get; init; }
    /// <summary>
    /// Bytes of the files this directory's links point to outside it (docker's json logs): removing the
    /// directory would not free them. Each file once, and never one the directory also holds (that is in TotalBytes).
    /// Measured by <c>-Orphaned</c>; null when not measured.
    /// </summary>
    public long? TargetBytes { get; init; }
    /// <summary>When anything in the directory last changed: itself, its container directories, the files and links in them (not link targets).</summary>
    public DateTimeOffset? LastWriteTime { get; init; }
    /// <summary>How long ago <see cref="LastWriteTime"/> was, when the record was made.</summary>
    public TimeSpan? Age { get; init; }
    /// <summary>
    /// With <c>-Cluster</c> or <c>-Orphaned</c>: whether a pod on this node in the Kubernetes API owns the
    /// directory (a static pod by its mirror pod's config hash); null when the API was not asked.
    /// </summary>
    public bool? InCluster { get; init; }
    /// <summary>The API object's uid (a static pod's mirror pod has its own, unlike its directory).</summary>
    public string? ClusterPodUid { get; init; }
    /// <summary>The pod's phase in the API (Pending, Running, Succeeded, Failed, Unknown).</summary>
    public string? Phase { get; init; }
    /// <summary>No pod on this node in the API owns the directory, and nothing in it changed during the grace period before the list was taken.</summary>
    public bool IsOrphaned { get; init; }
    /// <summary>
    /// The node's name as kubelet knows it (its client certificate's CN, --hostname-override, else the hostname
    /// under -Root), found once per command when first read; null when nothing under the root names it.
    /// Group records gathered from many nodes by it.
    /// </summary>
    public string? NodeName => NodeNameLookup?.Value;

    internal Cluster.NodeNameLookup? NodeNameLookup { get; init; }

    /// <summary>The directory under -Root (<see cref="FullName"/>), never the node path: a record bound to a path parameter by its text must not name this machine's own file.</summary>
    public override string ToString() => FullName;
}
