namespace PodLogs.Core;

/// <summary>One pod's log directory, computed like kubelet whether or not it exists.</summary>
public sealed class PodLogDirectory
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
    /// <summary>Bytes allocated to the regular files inside (not to what links point at).</summary>
    public long TotalBytes { get; init; }
    public DateTimeOffset? LastWriteTime { get; init; }

    public override string ToString() => NodePath;
}
