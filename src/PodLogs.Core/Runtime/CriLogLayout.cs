using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using static PodLogs.Core.Inspection.VerdictText;

namespace PodLogs.Core.Runtime;

/// <summary>
/// containerd and CRI-O: the runtime writes N.log itself, a regular file (containerd <c>container_create.go</c>, CRI-O's
/// conmon), and kubelet's log manager asks it to reopen a running container's missing file (<c>processContainer</c>);
/// a link into docker's data root is a leftover of a node that ran docker before (docs/kubelet-facts.md §4, §5).
/// </summary>
public sealed class CriLogLayout : IRuntimeLogLayout
{
    public static CriLogLayout Instance { get; } = new();

    CriLogLayout() { }

    public RuntimeKind Kind => RuntimeKind.Cri;
    public bool LiveLogIsLink => false;

    public bool ExpectsLog(RuntimeContainer c) => c.State != ContainerState.Created;

    public string OwnLogOf(NodeLayout layout, RuntimeContainer c) => RuntimeSnapshot.ExpectedLogFile(layout, c);

    public Verdict? LiveFile(in EntryFacts f) => f.Owner is null && f.RuntimeKnowsEveryContainer
        ? new(LinkStatus.Orphaned, $"no container writes this file any more ({f.RuntimeName} does not know one: removed?); remove it when its log is no longer needed")
        : null;

    public string? DanglingLiveLink(in EntryFacts f) => f.TargetIntoDockerRoot
        ? $"a leftover link into docker's data root from before this node's runtime became {f.RuntimeName}; remove it"
        : null;

    public Verdict OwnedLiveLink(in EntryFacts f, RuntimeContainer owner) =>
        UnownedLiveLink(f) ?? new(LinkStatus.Stale, $"a link stands where {Describe(owner)} writes its log file itself");

    public Verdict? UnownedLiveLink(in EntryFacts f) => f.TargetIntoDockerRoot
        ? new(LinkStatus.Orphaned, $"a leftover link into docker's data root from before this node's runtime became {f.RuntimeName}; nothing writes there any more: remove it when its log is no longer needed")
        : null;

    public Verdict? OwnedLegacyLink(in EntryFacts f, RuntimeContainer owner) => null;

    public Verdict? UnownedLegacyLink(in EntryFacts f) => f.RuntimeKnowsEveryContainer && f.NameId is not null
        ? new(LinkStatus.Orphaned, $"its container is gone (kubelet keeps one dead instance; {f.RuntimeName} no longer knows container {Short(f.NameId)}); remove the link when its log is no longer needed")
        : null;

    public Verdict MissingLiveLog(in EntryFacts f, RuntimeContainer c) => c.State == ContainerState.Running
        // kubelet's log manager calls ReopenContainerLog when a running container's file is missing (processContainer).
        ? new(LinkStatus.Missing, $"no {c.RestartCount}.log yet; kubelet asks the runtime to reopen it within containerLogMonitorInterval (10s by default): {Describe(c)}") { IsTransient = true }
        : new(LinkStatus.Missing, $"the log is gone; the runtime does not write it again for a container that is not running: {Describe(c)}");
}
