namespace PodLogs.Core.Inspection;

/// <summary>Why an entry of a pod directory is not kubelet's.</summary>
public enum ForeignEntry
{
    None,
    /// <summary>An entry of the pod directory that is not a directory named as a container.</summary>
    NotContainerDirectory,
    /// <summary>A link under PodLogs' own temporary name, left by an interrupted repair.</summary>
    InterruptedRepairLink,
    /// <summary>A file of a container directory not named <c>&lt;restartCount&gt;.log</c> (or a rotated sibling).</summary>
    NotLogFileName,
}
