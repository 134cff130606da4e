namespace PodLogs.Core;

/// <summary>The verdict on one log entry (layout doc §1, issue #2).</summary>
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

/// <summary>Which of kubelet's two entries a record describes.</summary>
public enum LogEntryKind
{
    /// <summary><c>&lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c> (or an older layout's equivalent).</summary>
    PodLog,
    /// <summary><c>/var/log/containers/&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;.log</c>.</summary>
    Legacy,
}

/// <summary>Which kubelet generation laid out a pod directory (layout doc §2).</summary>
public enum PodLogLayout
{
    /// <summary>Kubernetes 1.14+: <c>&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>.</summary>
    Current,
    /// <summary>Kubernetes 1.10–1.13: <c>&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>.</summary>
    UidDirectory,
    /// <summary>Kubernetes 1.5–1.9: <c>&lt;uid&gt;/&lt;container&gt;_&lt;N&gt;.log</c>.</summary>
    UidFlat,
}

/// <summary>What kind of entry stands at a path, as lstat sees it.</summary>
public enum LinkType
{
    None,
    SymbolicLink,
    File,
    Directory,
    Other,
}

/// <summary>A container's state as its runtime reports it.</summary>
public enum ContainerState
{
    Unknown,
    Created,
    Running,
    Exited,
}

/// <summary>What a repair did to one entry.</summary>
public enum RepairAction
{
    Created,
    Replaced,
}
