using PodLogs.Core.Inspection;
using PodLogs.Core.Node;

namespace PodLogs.Core.Runtime;

/// <summary>
/// What a runtime's logs look like on the node, and so what "intact" and "expected" mean: the one place docker
/// (dockershim, cri-dockerd: N.log is a link to docker's json log) and the CRI runtimes (containerd, CRI-O: N.log is a
/// regular file the runtime writes) differ, for the verdict rules (<see cref="VerdictRules"/>), the repair planner and
/// the chain check (<see cref="Repair.LogChainEnd"/>). Layout doc §1, §4.
/// </summary>
public interface IRuntimeLogLayout
{
    RuntimeKind Kind { get; }

    /// <summary>N.log is a link PodLogs may write (docker); else a file the runtime writes itself, which no repair makes.</summary>
    bool LiveLogIsLink { get; }

    /// <summary>Whether this instance should have an N.log (and kubelet a legacy link to it).</summary>
    bool ExpectsLog(RuntimeContainer c);

    /// <summary>The file that is the container's own log: where its N.log's chain must end.</summary>
    string OwnLogOf(NodeLayout layout, RuntimeContainer c);

    /// <summary>The verdict on a regular file at N.log when the runtime objects to it; null when it is the runtime's log.</summary>
    Verdict? LiveFile(in EntryFacts f);

    /// <summary>Why an N.log link leads nowhere, when the runtime has its own words for it; else null.</summary>
    string? DanglingLiveLink(in EntryFacts f);

    /// <summary>The verdict on an N.log link with a sound chain whose path the runtime's <paramref name="owner"/> claims.</summary>
    Verdict OwnedLiveLink(in EntryFacts f, RuntimeContainer owner);

    /// <summary>The verdict on an N.log link with a sound chain that no container claims, when the runtime decides it; else null.</summary>
    Verdict? UnownedLiveLink(in EntryFacts f);

    /// <summary>The verdict on a legacy link that points at its <paramref name="owner"/>'s N.log through a sound chain, when the runtime objects; else null (healthy).</summary>
    Verdict? OwnedLegacyLink(in EntryFacts f, RuntimeContainer owner);

    /// <summary>The verdict on a legacy link with a sound chain that no container claims, when the runtime decides it; else null (healthy).</summary>
    Verdict? UnownedLegacyLink(in EntryFacts f);

    /// <summary>The verdict on <paramref name="c"/>'s absent N.log (the pod directory note is added by the caller).</summary>
    Verdict MissingLiveLog(in EntryFacts f, RuntimeContainer c);

    /// <summary>The layout of a runtime kind.</summary>
    static IRuntimeLogLayout For(RuntimeKind kind) => kind == RuntimeKind.Docker ? DockerLogLayout.Instance : CriLogLayout.Instance;
}
