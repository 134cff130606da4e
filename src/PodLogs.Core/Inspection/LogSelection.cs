using System.Runtime.CompilerServices;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Which pods and containers a command looks at. Name tests are delegates so the cmdlet layer can
/// pass PowerShell wildcards without Core knowing PowerShell.
/// </summary>
public sealed record LogSelection
{
    public static readonly LogSelection All = new();

    public Func<string, bool>? Namespace { get; init; }
    public Func<string, bool>? PodName { get; init; }
    /// <summary>Exact pod uid (UUID or 32-hex).</summary>
    public string? PodUid { get; init; }
    public Func<string, bool>? ContainerName { get; init; }
    /// <summary>Normalised (lowercase, no scheme) full or short id.</summary>
    public string? ContainerIdPrefix { get; init; }

    public bool SelectsEveryPod => Namespace is null && PodName is null && PodUid is null;
    public bool IsUnfiltered => SelectsEveryPod && ContainerName is null && ContainerIdPrefix is null;

    /// <summary>A pod whose namespace or name is unknown (older layouts) matches only when no name filter is set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MatchesPod(string? ns, string? podName, string? podUid) =>
        (Namespace is null || ns is not null && Namespace(ns))
        && (PodName is null || podName is not null && PodName(podName))
        && (PodUid is null || string.Equals(podUid, PodUid, StringComparison.Ordinal));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MatchesContainer(string? containerName) => ContainerName is null || containerName is not null && ContainerName(containerName);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool MatchesContainerId(string? id) =>
        ContainerIdPrefix is null || id is not null && id.StartsWith(ContainerIdPrefix, StringComparison.Ordinal);

    /// <summary>
    /// <paramref name="truncated"/>: <paramref name="id"/> is what a cut legacy link name kept of the id, so a longer
    /// id given to select it (the whole id, as kubectl shows it) matches when it begins with that prefix.
    /// </summary>
    public bool MatchesContainerId(string? id, bool truncated) =>
        ContainerIdPrefix is null || id is not null && IdMatches(ContainerIdPrefix, id, truncated);

    /// <summary>The one rule for a -ContainerId value (normalised) and an entry's id; see <see cref="MatchesContainerId(string?, bool)"/>.</summary>
    public static bool IdMatches(string prefix, string id, bool truncated) =>
        id.StartsWith(prefix, StringComparison.Ordinal) || truncated && id.Length > 0 && prefix.StartsWith(id, StringComparison.Ordinal);

    public static string? NormalizeContainerId(string? value) => KubernetesNames.NormalizeContainerIdPrefix(value);
}
