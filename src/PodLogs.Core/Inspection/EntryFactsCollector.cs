using System.Runtime.CompilerServices;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Gathers the facts (<see cref="EntryFacts"/>) the verdict rules need from what the walk found: the runtime's
/// view of the entry, and where its chain ends and whose log that is. Reads only what is shared read-only.
/// </summary>
sealed class EntryFactsCollector(NodeLayout layout, RuntimeSnapshot? runtime)
{
    readonly string _logRoots = layout.DescribeRoots();
    NodeRoot Root => layout.Root;

    public EntryFacts PodLog(PodRef pod, string container, string nodePath, string liveName, RuntimeContainer? owner, FileKind type) => Of(LogEntryKind.PodLog, nodePath, owner) with
    {
        EntryType = type,
        ContainerName = container,
        LiveName = liveName,
        PodDirectory = pod.NodePath,
        PodDirectoryGone = !pod.Exists,
        PodNameTooLong = pod.NameTooLong,
    };

    public EntryFacts Of(LogEntryKind kind, string nodePath, RuntimeContainer? owner) => new()
    {
        Kind = kind,
        NodePath = nodePath,
        Owner = owner,
        Runtime = runtime?.LogLayout,
        RuntimeName = runtime?.SourceName,
        RuntimeKnowsEveryContainer = runtime?.KnowsEveryContainer ?? false,
        LogRoots = _logRoots,
    };

    /// <summary>The facts of a followed chain: each hop's end, whose docker json log it reaches, and what the runtime knows of that.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public EntryFacts WithChain(in EntryFacts facts, Resolution res, string? target, RuntimeContainer? owner)
    {
        var jsonId = res.IsResolved ? DockerJsonId(res.NodePath) : DockerJsonId(NodePath.Clean(ChainEnd(res)));
        var other = owner is null && jsonId is not null ? runtime?.FindById(jsonId) : null;
        return facts with
        {
            Chain = res.Outcome,
            HopCount = res.Hops.Count,
            ChainEnd = res.NodePath,
            ChainEndType = res.Status.Kind,
            ChainEndInsideRoots = res.IsResolved && layout.IsInsideRoots(res.NodePath),
            ChainEndInDockerRoot = res.IsResolved && layout.DockerDataRoot.Contains(res.NodePath),
            Target = target,
            TargetIntoDockerRoot = IntoDockerRoot(target),
            JsonLogId = jsonId,
            JsonLogOwner = other,
            JsonLogOwnerLogFile = other is null ? null : runtime!.LogFileOf(other),
            // Read only for a broken chain, the one verdict that asks (is there a json log to relink to?).
            OwnerJsonLogExists = !res.IsResolved && owner?.DockerJsonLogPath is { } json && Root.Resolve(json).IsResolved,
        };
    }

    /// <summary>The container id a docker json log path names: the string docker's listing made for it when there is one (a scan keeps thousands).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    string? DockerJsonId(string nodePath)
    {
        var start = DockershimNames.ContainerIdOffsetInJsonLogPath(layout.DockerDataRoot.Canonical, nodePath);
        if (start < 0) start = DockershimNames.ContainerIdOffsetInJsonLogPath(layout.DockerDataRoot.Configured, nodePath);
        if (start < 0) return null;
        return Root.ListedSubdirectory(nodePath, start, DockershimNames.ContainerIdLength) ?? nodePath.Substring(start, DockershimNames.ContainerIdLength);
    }

    /// <summary>Whether a raw link text points into docker's data root (either spelling).</summary>
    bool IntoDockerRoot(string? target) =>
        target is not null && NodePath.IsAbsolute(target) && layout.DockerDataRoot.Contains(NodePath.Clean(target));

    /// <summary>Where the last hop pointed (the path that was not found).</summary>
    static string ChainEnd(Resolution res)
    {
        if (res.Hops.Count == 0) return res.NodePath;
        var last = res.Hops[^1];
        return NodePath.IsAbsolute(last.Target) ? last.Target : NodePath.Combine(NodePath.Parent(last.NodePath), last.Target);
    }
}
