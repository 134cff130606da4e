using PodLogs.Core.Node;

namespace PodLogs.Core;

/// <summary>
/// The disk one container instance's logs take (or, with -By, a container's, pod's, namespace's or node's): allocated
/// blocks as <c>du</c> counts them, each file once by device and inode, and whether its rotation keeps it within limits.
/// </summary>
public sealed class PodLogUsage
{
    /// <summary>What this record adds up: one instance, or a -By group.</summary>
    public UsageGrouping By { get; init; }
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? PodUid { get; init; }
    public string? ContainerName { get; init; }
    public int? RestartCount { get; init; }
    public string? ContainerId { get; init; }
    public ContainerState? State { get; init; }
    /// <summary>How many container instances the record adds up (1 for an instance).</summary>
    public int InstanceCount { get; init; } = 1;
    /// <summary>The file being written: N.log, or the docker json log it links to.</summary>
    public long ActiveBytes { get; init; }
    /// <summary>Uncompressed rotated segments: <c>N.log.&lt;ts&gt;</c> and docker's <c>-json.log.N</c>.</summary>
    public long RotatedBytes { get; init; }
    /// <summary>Compressed rotated segments (<c>.gz</c>).</summary>
    public long CompressedBytes { get; init; }
    /// <summary>kubelet's leftovers: <c>.tmp</c> files and an uncompressed segment whose <c>.gz</c> exists.</summary>
    public long LeftoverBytes { get; init; }
    /// <summary>Distinct files counted.</summary>
    public int FileCount { get; init; }
    /// <summary>All of the above, each file once.</summary>
    public long TotalBytes { get; init; }
    /// <summary>
    /// Deleted log files a process still holds open (the disk they take is freed only when it closes them), each once;
    /// not in TotalBytes. Null when open handles were not scanned.
    /// </summary>
    public long? DeletedOpenBytes { get; init; }
    public RotationOwner? RotatedBy { get; init; }
    /// <summary>Where the owner was found (a config file, a flag, a default).</summary>
    public string? RotatedBySource { get; init; }
    public long? MaxBytes { get; init; }
    public int? MaxFiles { get; init; }
    public RotationState? RotationState { get; init; }
    /// <summary>With OverLimit: how far the active file is past MaxBytes.</summary>
    public long? OverLimitBytes { get; init; }
    /// <summary>The local directory that stood for the node's '/' (-Root).</summary>
    public string Root { get; init; } = "/";
    /// <summary>The node's name as kubelet knows it, found when first read; null when nothing under the root names it.</summary>
    public string? NodeName => NodeNameLookup?.Value;

    internal Cluster.NodeNameLookup? NodeNameLookup { get; init; }
    internal UsageTally? Tally { get; init; }
}
