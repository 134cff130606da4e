namespace PodLogs.Core.Paths;

/// <summary>A legacy link's name parsed from the right, as kubelet reads it back.</summary>
/// <param name="ContainerIdPart">What is left of the id: the whole 64 hex, a cut prefix of at least 6 hex (as
/// <c>getContainerIDFromLegacyLogSymlink</c> reads it back), or empty when less survived.</param>
public readonly record struct LegacyLinkName(string? PodName, string? Namespace, string? ContainerName, string ContainerIdPart, bool IsCut);
