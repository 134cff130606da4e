namespace PodLogs.Core;

/// <summary>Which container instance a stream of log lines comes from (null parts are unknown, as for a file named by -LiteralPath).</summary>
public sealed record ContainerLogOrigin(string? Namespace, string? PodName, string? PodUid, string? ContainerName, int? RestartCount, string? ContainerId)
{
    /// <summary>The local directory that stood for the node's '/' (null for a file named by -LiteralPath).</summary>
    public string? Root { get; init; }
    public Cluster.NodeNameLookup? NodeName { get; init; }
    /// <summary>The <c>[pod/container]</c> mark of this stream's lines, when the command marks them.</summary>
    public string? Prefix { get; init; }
}
