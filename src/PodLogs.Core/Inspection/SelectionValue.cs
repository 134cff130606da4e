namespace PodLogs.Core.Inspection;

/// <summary>One value given to a selection parameter, and how it matches.</summary>
/// <param name="IsPattern">A wildcard pattern: matching nothing is an answer (as <c>Get-Process -Name nosuch*</c>), not an error.</param>
/// <param name="Matches">Whether a name (or uid, or id) on the node matches this value.</param>
public sealed record SelectionValue(SelectionParameter Parameter, string Value, bool IsPattern, Func<string, bool> Matches)
{
    /// <summary>A -PodUid value (lowercased), matched exactly.</summary>
    public static SelectionValue Uid(string uid) => new(SelectionParameter.PodUid, uid, false, v => string.Equals(v, uid, StringComparison.Ordinal));

    /// <summary>A -ContainerId value: <paramref name="prefix"/> is its normalised form, matched as a prefix of the full id.</summary>
    public static SelectionValue ContainerIdPrefix(string given, string prefix) =>
        new(SelectionParameter.ContainerId, given, false, v => LogSelection.IdMatches(prefix, v, truncated: false))
        {
            MatchesCutId = cut => LogSelection.IdMatches(prefix, cut, truncated: true),
        };

    /// <summary>For a -ContainerId value: whether it selects an entry whose id is what a cut legacy link name kept.</summary>
    public Func<string, bool>? MatchesCutId { get; init; }

    public bool IsPodLevel => Parameter is SelectionParameter.Namespace or SelectionParameter.PodName or SelectionParameter.PodUid;
}
