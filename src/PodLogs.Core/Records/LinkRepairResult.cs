namespace PodLogs.Core;

/// <summary>One action a repair took (under -WhatIf nothing is taken and nothing is emitted; ShouldProcess says what would be done).</summary>
public sealed class LinkRepairResult
{
    public RepairAction Action { get; init; }
    public LogEntryKind Kind { get; init; }
    public required string FullName { get; init; }
    public required string NodePath { get; init; }
    /// <summary>The node-absolute text written into the link, as kubelet or dockershim would have written it.</summary>
    public required string Target { get; init; }
    /// <summary>What the link said before (Replaced only).</summary>
    public string? PreviousTarget { get; init; }
    /// <summary>The runtime state the target was computed from.</summary>
    public required string Source { get; init; }
    public required string ContainerId { get; init; }
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? ContainerName { get; init; }
    public int? RestartCount { get; init; }
    /// <summary>
    /// The node's name as kubelet knows it (its client certificate's CN, --hostname-override, else the hostname
    /// under -Root), found once per command when first read; null when nothing under the root names it.
    /// Group records gathered from many nodes by it.
    /// </summary>
    public string? NodeName => NodeNameLookup?.Value;

    internal Cluster.NodeNameLookup? NodeNameLookup { get; init; }

    /// <summary>The pod's uid, so a result piped on selects its pod and instance like any other record.</summary>
    public string? PodUid { get; init; }
    /// <summary>The local directory that stood for the node's '/' (-Root) when the link was written.</summary>
    public string Root { get; init; } = "/";

    /// <summary>The link under -Root (<see cref="FullName"/>), never the node path: a record bound to a path parameter by its text must not name this machine's own file.</summary>
    public override string ToString() => FullName;
}
