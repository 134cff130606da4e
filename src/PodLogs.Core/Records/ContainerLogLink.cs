namespace PodLogs.Core;

/// <summary>One entry of a container's log chain: a pod log instance or a legacy link, with its verdict.</summary>
public sealed class ContainerLogLink
{
    public LogEntryKind Kind { get; init; }
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? PodUid { get; init; }
    public string? ContainerName { get; init; }
    public int? RestartCount { get; init; }
    /// <summary>The container this entry belongs to, when the name, the target or the runtime says.</summary>
    public string? ContainerId { get; init; }
    public ContainerState State { get; init; }
    /// <summary>The local directory that stood for the node's '/' (-Root) when this record was made.</summary>
    public string Root { get; init; } = "/";
    /// <summary>The local path of the entry itself (under -Root).</summary>
    public required string FullName { get; init; }
    /// <summary>The entry's path on the node.</summary>
    public required string NodePath { get; init; }
    public bool Exists { get; init; }
    public LinkType LinkType { get; init; }
    /// <summary>The raw link text, as written on the node.</summary>
    public string? Target { get; init; }
    /// <summary>Where the whole chain ends, as a node path (for a regular file, the entry itself).</summary>
    public string? ResolvedTarget { get; init; }
    /// <summary>Each link followed, in order.</summary>
    public IReadOnlyList<LinkHop> Chain { get; init; } = [];
    public LinkStatus Status { get; init; }
    /// <summary>Why the entry has its status, in words a person can act on (names in it escaped: <see cref="DisplayText"/>).</summary>
    public string Reason
    {
        // Most of a node's entries are healthy and their reasons never read: those are put together when asked.
        get => _reason ??= DisplayText.Escape(_reasonTail is null ? _reasonHead : string.Concat(_reasonHead, _reasonTail.AsSpan(0, Math.Min(_reasonTail.Length, _reasonTailLength))));
        internal set => (_reason, _reasonHead, _reasonTail) = (DisplayText.Escape(value), value, null);
    }

    string? _reason;
    string _reasonHead = "";
    string? _reasonTail;
    int _reasonTailLength;

    /// <summary>A reason that is <paramref name="head"/> followed by at most <paramref name="tailLength"/> characters of <paramref name="tail"/>, made when read.</summary>
    internal void SetReason(string head, string tail, int tailLength = int.MaxValue) =>
        (_reason, _reasonHead, _reasonTail, _reasonTailLength) = (null, head, tail, tailLength);
    /// <summary>The legacy name lost part of the container id to kubelet's 251-byte cut.</summary>
    public bool IsTruncated { get; init; }
    /// <summary>Kubelet will put this right by itself shortly; <see cref="Reason"/> says why.</summary>
    public bool IsTransient { get; init; }
    /// <summary>The pod directory name is over 255 bytes: kubelet writes no logs for this pod.</summary>
    public bool NameTooLong { get; init; }
    /// <summary>The restart count was inferred from the log files (containerd's bundles), not reported by the runtime.</summary>
    public bool RestartCountInferred { get; init; }
    public PodLogLayout Layout { get; init; }
    /// <summary>Rotated siblings of N.log (<c>N.log.YYYYMMDD-hhmmss</c>, <c>.gz</c>), local paths, oldest first; kubelet's leftovers are in <see cref="LeftoverFiles"/>.</summary>
    public IReadOnlyList<string> RotatedFiles { get; init; } = [];
    /// <summary>
    /// Bytes allocated to the entry's regular files: N.log when it is a regular file, its rotated siblings and kubelet's
    /// leftovers beside it (<see cref="RotatedFiles"/>, <see cref="LeftoverFiles"/>), each file once; a link counts 0 (its
    /// own few bytes are not counted) and what it points at is <see cref="TargetBytes"/>. The same meaning on every record,
    /// so totals over records count each file once.
    /// </summary>
    public long TotalBytes { get; init; }
    /// <summary>Where the runtime facts came from (for example DockerFiles), or null without runtime state.</summary>
    public string? Source { get; init; }
    /// <summary>
    /// The node's name as kubelet knows it (its client certificate's CN, --hostname-override, else the hostname
    /// under -Root), found once per command when first read; null when nothing under the root names it.
    /// Group records gathered from many nodes by it.
    /// </summary>
    public string? NodeName => NodeNameLookup?.Value;

    internal Cluster.NodeNameLookup? NodeNameLookup { get; init; }

    /// <summary>The container the runtime says owns this path (used by repair; not shown).</summary>
    internal Runtime.RuntimeContainer? Owner { get; init; }

    /// <summary>The lstat of the regular file the entry is, or its chain ends at inside the log roots, as inspected (Measure-PodLog counts it without a second stat).</summary>
    internal Native.FileStatus? EndStatus { get; init; }

    /// <summary>A copy with another reason (records stay immutable to callers).</summary>
    internal ContainerLogLink WithReason(string reason)
    {
        var copy = (ContainerLogLink)MemberwiseClone();
        copy.Reason = reason;
        return copy;
    }

    /// <summary>The entry under -Root (<see cref="FullName"/>), never the node path: a record bound to a path parameter by its text must not name this machine's own file.</summary>
    public override string ToString() => FullName;

    /// <summary>For a link whose chain resolves: bytes allocated to the file it ends at (docker's json log, or N.log for a legacy link), which removing the link does not free; else null.</summary>
    public long? TargetBytes { get; init; }

    /// <summary>
    /// Files beside N.log that kubelet's <c>cleanupUnusedLogs</c> removes before its next rotation: <c>N.log.&lt;ts&gt;.tmp</c>
    /// (an unfinished compression) and a plain <c>N.log.&lt;ts&gt;</c> whose <c>.gz</c> also exists (a kubelet that died
    /// between compressing and deleting). Local paths; not in <see cref="RotatedFiles"/>, never read as part of the log,
    /// but they take disk (counted in <see cref="TotalBytes"/>).
    /// </summary>
    public IReadOnlyList<string> LeftoverFiles { get; init; } = [];
}
