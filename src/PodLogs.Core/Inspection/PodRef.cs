using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>A pod as found on disk (or computed): identity, layout and where its directory is.</summary>
public sealed record PodRef(string? Namespace, string? PodName, string? PodUid, PodLogLayout Layout, string NodePath, bool Exists)
{
    public bool NameTooLong => Namespace is not null && PodName is not null && PodUid is not null
        && KubeletPaths.IsPodDirectoryNameTooLong(Namespace, PodName, PodUid);
}
