using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Everything the verdict rules (<see cref="VerdictRules"/>) look at for one entry, gathered by the walk: what the
/// entry is, where its chain of links ends, and what the runtime says. Plain data: the rules read no file.
/// </summary>
public readonly record struct EntryFacts
{
    // What the entry is.
    public LogEntryKind Kind { get; init; }
    /// <summary>The entry's path on the node.</summary>
    public string NodePath { get; init; }
    /// <summary>Not kubelet's by its name or place, whatever it is (<see cref="ForeignEntry.None"/> for kubelet's entries).</summary>
    public ForeignEntry Foreign { get; init; }
    /// <summary>What stands at the path, not followed; <see cref="FileKind.None"/> when nothing does.</summary>
    public FileKind EntryType { get; init; }
    public string? ContainerName { get; init; }
    /// <summary>The live file's name: <c>N.log</c>, or <c>&lt;container&gt;_N.log</c> in the 1.5–1.9 layout.</summary>
    public string? LiveName { get; init; }

    // The pod directory the entry belongs to.
    public string? PodDirectory { get; init; }
    /// <summary>The pod directory is absent (kubelet removed it, or never made it).</summary>
    public bool PodDirectoryGone { get; init; }
    /// <summary>The pod directory name is over 255 bytes (kubernetes#80042).</summary>
    public bool PodNameTooLong { get; init; }

    // The legacy link's name (legacy entries only).
    /// <summary>The name parsed from the right (<c>&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;.log</c>), when it parses.</summary>
    public LegacyLinkName? LegacyName { get; init; }
    /// <summary>The pod log its first hop names, when it names one.</summary>
    public PodLogTarget? PointsAt { get; init; }
    /// <summary>The whole container id the name holds (an uncut name).</summary>
    public string? NameId { get; init; }
    /// <summary>What a cut name kept of the id.</summary>
    public string? NamePrefix { get; init; }
    /// <summary>The name holds bytes that are not UTF-8.</summary>
    public bool NameNotUtf8 { get; init; }
    /// <summary>The name ends in <c>.log</c> (kubelet's GC looks only at those).</summary>
    public bool NameEndsInLog { get; init; }
    /// <summary>The link's first hop as a clean node path.</summary>
    public string? FirstHop { get; init; }

    // Each hop, when the entry is a link that was followed.
    /// <summary>How following the chain ended; null when it was not followed.</summary>
    public ResolveOutcome? Chain { get; init; }
    public int HopCount { get; init; }
    /// <summary>Where following stopped: the chain's end, or the path that was not found.</summary>
    public string? ChainEnd { get; init; }
    /// <summary>What the chain ends at (resolved chains).</summary>
    public FileKind ChainEndType { get; init; }
    /// <summary>The chain ends inside the node's log roots.</summary>
    public bool ChainEndInsideRoots { get; init; }
    /// <summary>The log roots, as reasons name them.</summary>
    public string? LogRoots { get; init; }
    /// <summary>The entry's own link text.</summary>
    public string? Target { get; init; }
    /// <summary>The link text points into docker's data root.</summary>
    public bool TargetIntoDockerRoot { get; init; }
    /// <summary>The chain ends inside docker's data root.</summary>
    public bool ChainEndInDockerRoot { get; init; }
    /// <summary>The container whose docker json log the chain ends at (or pointed at, when it is gone).</summary>
    public string? JsonLogId { get; init; }

    // What the runtime says.
    /// <summary>The runtime's log layout; null without runtime state.</summary>
    public IRuntimeLogLayout? Runtime { get; init; }
    /// <summary>The runtime source's name, as reasons name it (DockerFiles, Cri, …).</summary>
    public string? RuntimeName { get; init; }
    /// <summary>The source lists every container (not only running ones), so an unknown owner means none.</summary>
    public bool RuntimeKnowsEveryContainer { get; init; }
    /// <summary>The container the runtime says owns this path.</summary>
    public RuntimeContainer? Owner { get; init; }
    /// <summary>The N.log kubelet builds for <see cref="Owner"/>.</summary>
    public string? OwnerLogFile { get; init; }
    /// <summary><see cref="OwnerLogFile"/> resolves (asked for a missing legacy link).</summary>
    public bool OwnerLogFileExists { get; init; }
    /// <summary>The owner's docker json log resolves (asked for a dangling N.log link).</summary>
    public bool OwnerJsonLogExists { get; init; }
    /// <summary>The container the runtime knows by <see cref="JsonLogId"/>, when the entry has no owner.</summary>
    public RuntimeContainer? JsonLogOwner { get; init; }
    /// <summary>The N.log kubelet builds for <see cref="JsonLogOwner"/>.</summary>
    public string? JsonLogOwnerLogFile { get; init; }
}
