namespace PodLogs.Core.Paths;

/// <summary>A file in a container's log directory: the live <c>N.log</c> or a rotated sibling of it.</summary>
public readonly record struct ContainerLogFileName(int RestartCount, string? RotationSuffix)
{
    public bool IsLive => RotationSuffix is null;
}
