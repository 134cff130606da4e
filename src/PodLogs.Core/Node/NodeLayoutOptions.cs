namespace PodLogs.Core.Node;

/// <summary>What the user said about the node; null means "as the node's configuration says".</summary>
public sealed record NodeLayoutOptions
{
    public string Root { get; init; } = "/";
    public string? PodLogsDirectory { get; init; }
    public string? ContainerLogsDirectory { get; init; }
    public string? DockerDataRoot { get; init; }
    public string? KubeletConfigPath { get; init; }
    /// <summary>Read docker's daemon.json for its data root (commands that never look at docker's state skip it).</summary>
    public bool WantsDockerDataRoot { get; init; } = true;
    /// <summary>Read kubelet's container runtime endpoint too (a runtime source will be chosen).</summary>
    public bool WantsRuntimeEndpoint { get; init; }
    /// <summary>The command works on the node under the root: warn when the root has neither kubelet log directory.</summary>
    public bool ExpectsNode { get; init; } = true;
}
