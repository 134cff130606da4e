namespace PodLogs.Core;

/// <summary>The verdict on one log entry (docs/kubelet-facts.md §1, issue #2).</summary>
public enum LinkStatus
{
    /// <summary>Intact: a link whose chain ends at a log file, or a regular log file.</summary>
    Healthy,
    /// <summary>The chain ends at nothing.</summary>
    Dangling,
    /// <summary>The runtime state expects an entry that is absent.</summary>
    Missing,
    /// <summary>Resolves, but to another container than the name or the runtime state says.</summary>
    Stale,
    /// <summary>Resolves outside the node's log and runtime roots.</summary>
    Unsafe,
    /// <summary>Resolves, but the runtime state is present and knows no owner.</summary>
    Orphaned,
    /// <summary>Not kubelet's: a directory where a file belongs, a loop, an unparseable name.</summary>
    Invalid,
}
