namespace PodLogs.Core;

/// <summary>Whether a container instance's log is kept within the limits its rotation owner sets (kubelet-facts.md §11).</summary>
public enum RotationState
{
    /// <summary>The active file is under the size limit and no more segments are kept than the limit allows.</summary>
    WithinLimit,
    /// <summary>The active file is larger than the limit: its owner has not rotated it yet (OverLimitBytes says by how much).</summary>
    OverLimit,
    /// <summary>More segments (active and rotated) than the owner's file limit keeps.</summary>
    TooManyFiles,
    /// <summary>No owner rotates this log: it grows until the disk is full.</summary>
    NotRotated,
    /// <summary>The container is not running: kubelet no longer rotates its log (k8s #90334).</summary>
    Exited,
}
