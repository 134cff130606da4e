namespace PodLogs.Core;

/// <summary>
/// One open descriptor of a process on a container log file (issue #13 item 3): who holds it, which log it is, and whether the
/// file is already deleted (its blocks stay allocated until the holder closes it: docs/kubelet-facts.md §11).
/// </summary>
public sealed record LogHandle
{
    public int ProcessId { get; init; }
    /// <summary>/proc/&lt;pid&gt;/comm (the kernel's 15-character task name), escaped for display.</summary>
    public string ProcessName { get => _processName; init => _processName = DisplayText.Escape(value); }
    string _processName = "";
    /// <summary>The descriptor number N of /proc/&lt;pid&gt;/fd/N.</summary>
    public int FileDescriptor { get; init; }
    /// <summary>The holder's own pod, when its cgroup is one of kubelet's pod cgroups (the runtime maps it to a name).</summary>
    public string? HolderPodUid { get; init; }
    /// <summary>The namespace of the holder's own pod, when a pod directory on the node has its uid.</summary>
    public string? HolderNamespace { get; init; }
    /// <summary>The name of the holder's own pod, when a pod directory on the node has its uid.</summary>
    public string? HolderPodName { get; init; }
    /// <summary>The holder's own container (64 hex), when its cgroup names one.</summary>
    public string? HolderContainerId { get; init; }
    public string Root { get; init; } = "/";
    /// <summary>The node path of the file, without the kernel's " (deleted)" mark.</summary>
    public required string Path { get; init; }
    /// <summary>The file has no name left: the kernel marks the link " (deleted)" and the file has no other link.</summary>
    public bool Deleted { get; init; }
    /// <summary>Allocated bytes (st_blocks × 512) of the open file, read through the descriptor link without opening it.</summary>
    public long Bytes { get; init; }
    /// <summary>The file's length (st_size).</summary>
    public long Size { get; init; }
    public ulong Device { get; init; }
    public ulong Inode { get; init; }
    /// <summary>The log's pod and container, as far as its path says (a pod directory's N.log, a legacy link's name, docker's json log).</summary>
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? PodUid { get; init; }
    public string? ContainerName { get; init; }
    public int? RestartCount { get; init; }
    /// <summary>The log's container id, when the path names it (a legacy link name, docker's containers directory).</summary>
    public string? ContainerId { get; init; }

    public override string ToString() => $"{ProcessId} {ProcessName} {Path}{(Deleted ? " (deleted)" : "")}";
}
