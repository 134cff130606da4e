namespace PodLogs.Core;

/// <summary>A container's state as its runtime reports it.</summary>
public enum ContainerState
{
    Unknown,
    Created,
    Running,
    Exited,
}
