namespace PodLogs.Core.Runtime;

/// <summary>Which runtime wrote the node's logs: decides what shape an intact N.log has.</summary>
public enum RuntimeKind
{
    /// <summary>dockershim or cri-dockerd: N.log is a link into docker's data root.</summary>
    Docker,
    /// <summary>containerd or CRI-O: N.log is a regular file the runtime writes.</summary>
    Cri,
}
