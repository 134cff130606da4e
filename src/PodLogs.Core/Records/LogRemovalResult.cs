using PodLogs.Core.Removal;

namespace PodLogs.Core;

/// <summary>
/// One entry Remove-PodLogDirectory or Remove-ContainerLogLink removed (issue #13 item 4): what it was, whose, why it was
/// judged dead, and the disk it gave back.
/// </summary>
public sealed record LogRemovalResult
{
    public RemovalKind Kind { get; init; }
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? PodUid { get; init; }
    public string? ContainerName { get; init; }
    public int? RestartCount { get; init; }
    public string Root { get; init; } = "/";
    /// <summary>The removed entry under -Root.</summary>
    public required string FullName { get; init; }
    public required string NodePath { get; init; }
    /// <summary>A removed link's text.</summary>
    public string? Target { get; init; }
    /// <summary>
    /// Allocated to the regular files unlinked, each once; 0 for a link. A file with another name elsewhere, or held open
    /// by a process (<see cref="HeldOpenBy"/>), is freed only when that goes too.
    /// </summary>
    public long Bytes { get; init; }
    /// <summary>Of <see cref="Bytes"/>, those of files some process still holds open: freed only when it closes them.</summary>
    public long HeldOpenBytes { get; init; }
    /// <summary>Processes that held a removed file open when the node was scanned ("name (pid)"); empty when none, or when no handle scan was possible.</summary>
    public IReadOnlyList<string> HeldOpenBy { get; init; } = [];
    /// <summary>Names unlinked, directories included.</summary>
    public int Entries { get; init; }
    public string Reason { get => _reason; init => _reason = DisplayText.Escape(value); }
    string _reason = "";
    /// <summary>The node's name as kubelet knows it (see <see cref="ContainerLogLink.NodeName"/>).</summary>
    public string? NodeName => NodeNameLookup?.Value;

    internal Cluster.NodeNameLookup? NodeNameLookup { get; init; }
    public override string ToString() => FullName;
}
