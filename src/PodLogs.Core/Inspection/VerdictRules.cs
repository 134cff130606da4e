using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;
using static PodLogs.Core.Inspection.VerdictText;

namespace PodLogs.Core.Inspection;

/// <summary>
/// The status and reason of an entry, from its facts alone (no file is read): the rules every runtime shares.
/// What differs between docker and the CRI runtimes is asked of <see cref="EntryFacts.Runtime"/>
/// (<see cref="IRuntimeLogLayout"/>). Null means no verdict can be made (the chain stopped at the reader's own
/// limits: permission, I/O), and a non-root user must not be told a healthy link is broken.
/// </summary>
public static class VerdictRules
{
    public static Verdict? Decide(in EntryFacts f) =>
        f.Foreign != ForeignEntry.None ? Foreign(f)
        : f.Kind == LogEntryKind.Legacy ? LegacyLink(f)
        : PodLog(f);

    static Verdict Foreign(in EntryFacts f) => new(LinkStatus.Invalid, $"not kubelet's, left alone: {NodePath.FileName(f.NodePath)} " + f.Foreign switch
    {
        ForeignEntry.NotContainerDirectory => "is not a container log directory kubelet would make",
        ForeignEntry.InterruptedRepairLink => "is a temporary link left by an interrupted PodLogs repair",
        _ => "is not a name kubelet gives a container log ('<restartCount>.log')",
    });

    /// <summary>A container instance's live N.log: a regular file, a link, something else, or nothing beside its rotated files.</summary>
    static Verdict? PodLog(in EntryFacts f)
    {
        switch (f.EntryType)
        {
            case FileKind.None:
                if (f.Owner is { } owner && f.Runtime?.ExpectsLog(owner) == true) return MissingPodLog(f, owner);
                return new(LinkStatus.Orphaned, $"only rotated files remain, no live {f.LiveName}: the container instance is gone; remove them when their logs are no longer needed");
            case FileKind.RegularFile:
                return f.Runtime?.LiveFile(f)
                    ?? new(LinkStatus.Healthy, f.Owner is null ? "a regular log file written by the runtime" : $"the log file {Describe(f.Owner)} writes");
            case FileKind.SymbolicLink:
                return PodLogLink(f);
            case FileKind.Directory:
                return new(LinkStatus.Invalid, $"a directory stands where {f.ContainerName}'s log file {f.LiveName} belongs; not kubelet's, left alone");
            default:
                return new(LinkStatus.Invalid, $"a {Describe(f.EntryType)} stands where {f.ContainerName}'s log file {f.LiveName} belongs; not kubelet's, left alone");
        }
    }

    static Verdict? PodLogLink(in EntryFacts f)
    {
        if (IsUnreadable(f)) return null;
        if (Chain(f) is { } failed)
        {
            if (failed.Status != LinkStatus.Dangling) return failed;
            var head = f.Runtime is null ? "the link leads nowhere"
                : f.Runtime.DanglingLiveLink(f)
                    ?? (f.Owner is { } owner
                        ? $"the link leads nowhere, though {Describe(owner)} still exists"
                        : "the link leads nowhere and no container owns this path (docker rm?): the log is gone; remove the link");
            return new(LinkStatus.Dangling, $"{head} ({failed.Reason})");
        }
        if (f.Runtime is not null && f.Owner is { } o) return f.Runtime.OwnedLiveLink(f, o);
        if (f.Runtime?.UnownedLiveLink(f) is { } v) return v;
        if (f.Runtime is not null && f.JsonLogId is { } jsonId)
            return f.JsonLogOwner is { } other
                ? new(LinkStatus.Stale, $"links to another container's log: {Describe(other)}, whose own log is {f.JsonLogOwnerLogFile}")
                : new(LinkStatus.Orphaned, $"its container is gone (docker no longer knows container {Short(jsonId)}: removed?); remove the link when its log is no longer needed");
        return f.JsonLogId is null
            ? new(LinkStatus.Healthy, "resolves to ", f.ChainEnd)
            : new(LinkStatus.Healthy, "links to the json log of container ", f.JsonLogId, ShortIdLength);
    }

    /// <summary>A link of the legacy directory (<c>/var/log/containers</c>), or the one kubelet should have made.</summary>
    static Verdict? LegacyLink(in EntryFacts f)
    {
        if (f.EntryType == FileKind.None) return MissingLegacy(f);
        if (f.EntryType != FileKind.SymbolicLink)
            return new(LinkStatus.Invalid, $"a {Describe(f.EntryType)} stands where kubelet puts a link; not kubelet's, left alone");
        if (f.LegacyName is null && f.PointsAt is null)
            return new(LinkStatus.Invalid, "the name is not '<pod>_<namespace>_<container>-<id>.log' and the target is no pod log: not kubelet's");
        if (IsUnreadable(f)) return null;
        if (f.NameNotUtf8)
            return new(LinkStatus.Invalid, $"not kubelet's, left alone: {NodePath.FileName(f.NodePath)} is not valid UTF-8 (kubelet's names are DNS names)");
        if (!f.NameEndsInLog)
            return new(LinkStatus.Invalid, "the name does not end in '.log': not one of kubelet's legacy links (kubelet's GC looks only at *.log), left alone");
        var owner = f.Owner;
        var expected = f.OwnerLogFile;
        if (Chain(f) is { } failed)
        {
            if (failed.Status != LinkStatus.Dangling) return failed;
            var head = owner is not null
                ? f.FirstHop == expected
                    ? $"its target {owner.RestartCount}.log is broken; repairing that restores this link: {Describe(owner)}"
                    : $"the link leads nowhere; Repair-ContainerLogLink relinks it to {expected}: {Describe(owner)}"
                : f.Runtime is not null ? "its container is gone (docker rm?) and so is the log; kubelet's GC removes such links" : "the link leads nowhere";
            return new(LinkStatus.Dangling, $"{head} ({failed.Reason})");
        }
        if (owner is not null)
        {
            if (f.FirstHop != expected)
                return new(LinkStatus.Stale, $"points to the wrong log; Repair-ContainerLogLink relinks it to {expected}: {Describe(owner)} (it points to {f.FirstHop})"
                    + (f.LegacyName is { IsCut: true } && f.NameId is null ? " (the name lost the whole id, so it must point at the newest instance)" : ""));
            return f.Runtime?.OwnedLegacyLink(f, owner) ?? new(LinkStatus.Healthy, "links to ", expected!);
        }
        if (f.PointsAt is { } target && f.LegacyName is { IsCut: false } named
            && (named.Namespace != target.Namespace || named.PodName != target.PodName || named.ContainerName != target.ContainerName))
            return new(LinkStatus.Stale, $"links to another container's log: its name is for {named.Namespace}/{named.PodName} container {named.ContainerName}, but it points to the log of {target.Namespace}/{target.PodName} container {target.ContainerName}");
        if (f.NameId is not null && f.JsonLogId is not null && f.NameId != f.JsonLogId)
            return new(LinkStatus.Stale, $"links to another container's log: its name is for container {Short(f.NameId)}, but the chain ends at container {Short(f.JsonLogId)}'s log");
        if (f.NamePrefix is not null && f.JsonLogId is not null && !f.JsonLogId.StartsWith(f.NamePrefix, StringComparison.Ordinal))
            return new(LinkStatus.Stale, $"links to another container's log: its cut name is for a container whose id begins {f.NamePrefix}, but the chain ends at container {Short(f.JsonLogId)}'s log");
        return f.Runtime?.UnownedLegacyLink(f) ?? new(LinkStatus.Healthy, "resolves to ", f.ChainEnd);
    }

    /// <summary>An N.log the runtime expects and that is absent.</summary>
    static Verdict MissingPodLog(in EntryFacts f, RuntimeContainer c)
    {
        if (f.PodNameTooLong)
            return new(LinkStatus.Missing, $"the pod directory name is over {KubeletPaths.MaxFileNameBytes} bytes: kubelet cannot create it and this pod has no logs (kubernetes#80042)") { NameTooLong = true };
        return f.Runtime!.MissingLiveLog(f, c).WithNote(PodDirectoryNote(f));
    }

    /// <summary>A legacy link kubelet would have made for the runtime's instance, and that is absent.</summary>
    static Verdict MissingLegacy(in EntryFacts f)
    {
        var c = f.Owner!;
        return new(LinkStatus.Missing, f.OwnerLogFileExists
            ? $"no legacy link; Repair-ContainerLogLink creates it: {Describe(c)}"
            : $"no legacy link, and its target is missing too (repairing that comes first): {Describe(c)}, target {f.OwnerLogFile}");
    }

    /// <summary>Why a repair of the pod's N.log needs -Force, when its directory is gone.</summary>
    public static string PodDirectoryNote(in EntryFacts f) =>
        f.PodDirectoryGone ? $"; the pod directory {f.PodDirectory} does not exist (kubelet removes it when the pod is deleted), so a repair needs -Force" : "";

    static bool IsUnreadable(in EntryFacts f) => f.Chain is ResolveOutcome.AccessDenied or ResolveOutcome.Error;

    /// <summary>
    /// The shared part of a chain's verdict: loops, ends at nothing, directories, outside the roots. Null when the chain is
    /// sound. Called once <see cref="IsUnreadable"/> is ruled out: every other outcome is handled here.
    /// </summary>
    static Verdict? Chain(in EntryFacts f)
    {
        switch (f.Chain)
        {
            case ResolveOutcome.Loop:
                return new(LinkStatus.Invalid, $"a link loop: more than {NodeRoot.MaxLinkHops} links followed from {f.NodePath}");
            case ResolveOutcome.NotFound:
                return new(LinkStatus.Dangling, $"hop {f.HopCount}: {f.ChainEnd} does not exist");
            case ResolveOutcome.NotADirectory:
                return new(LinkStatus.Dangling, $"hop {f.HopCount}: {NodePath.Parent(f.ChainEnd!)} is not a directory");
        }
        if (!f.ChainEndInsideRoots)
            return new(LinkStatus.Unsafe, $"resolves outside the node's log roots, to {f.ChainEnd} (roots: {f.LogRoots})");
        if (f.ChainEndType == FileKind.Directory)
            return new(LinkStatus.Invalid, $"resolves to a directory, not to a log file: {f.ChainEnd}");
        if (f.ChainEndType != FileKind.RegularFile)
            return new(LinkStatus.Invalid, $"resolves to a {Describe(f.ChainEndType)}, not to a log file: {f.ChainEnd}");
        return null;
    }
}
