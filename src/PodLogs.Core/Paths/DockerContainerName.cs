namespace PodLogs.Core.Paths;

/// <summary>What a dockershim / cri-dockerd container name says.</summary>
public readonly record struct DockerContainerName(string ContainerName, string PodName, string Namespace, string PodUid, int RestartCount);
