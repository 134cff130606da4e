using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>One entry of the legacy links directory with what its name and its first hop say.</summary>
/// <param name="Listed">
/// The directory was reached without links, so <paramref name="TypeHint"/> and <paramref name="RawTarget"/> are what
/// the node root would find at <paramref name="NodePath"/> (see <see cref="SeedInto"/>).
/// </param>
public sealed record LegacyEntry(string NodePath, FileKind TypeHint, LegacyLinkName? Parsed, string? RawTarget, PodLogTarget? Target, bool Listed = false)
{
    /// <summary>
    /// Tells the node root what the listing and the readlink said, so inspecting the link makes no system call
    /// again. Done when the link is inspected, in its pod's entry scope: the index itself keeps nothing in the
    /// command-wide cache.
    /// </summary>
    public void SeedInto(NodeRoot root)
    {
        if (Listed) root.Seed(NodePath, TypeHint, RawTarget);
    }

    /// <summary>The link's file name (made when asked: entries wait for their pod through much of a scan, and names are long).</summary>
    public string Name => Paths.NodePath.FileName(NodePath);

    public string? Namespace { get; } = Parsed?.Namespace is { } ns && !Parsed.Value.IsCut ? ns : Target?.Namespace ?? Parsed?.Namespace;
    public string? PodName { get; } = Parsed is { IsCut: false } p ? p.PodName : Target?.PodName ?? Parsed?.PodName;
    public string? PodUid => Target is { } t && t.Namespace == Namespace && t.PodName == PodName ? t.PodUid : null;
}
