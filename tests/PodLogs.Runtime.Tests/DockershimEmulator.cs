using Docker.DotNet.Models;
using PodLogs.Core.Paths;

namespace PodLogs.Runtime.Tests;

/// <summary>A container as kubelet named it.</summary>
public sealed record PodContainer(string Namespace, string PodName, string PodUid, string ContainerName, int Attempt, string Id)
{
    public string LogFile => KubeletPaths.BuildContainerLogFile(KubeletPaths.DefaultPodLogsDirectory, Namespace, PodName, PodUid, ContainerName, Attempt);
    public string LegacyLink => KubeletPaths.LegacyLinkPath(KubeletPaths.DefaultContainerLogsDirectory, PodName, Namespace, ContainerName, Id);
}

/// <summary>
/// Creates containers exactly as dockershim did — kubelet's labels, names
/// <c>k8s_&lt;container&gt;_&lt;pod&gt;_&lt;ns&gt;_&lt;uid&gt;_&lt;attempt&gt;</c> — starts them so docker writes real json-file logs,
/// links <c>N.log</c> to docker's LogPath (<c>createContainerLogSymlink</c>) and the legacy link to N.log
/// (kubelet's <c>startContainer</c>, only when the target exists).
/// </summary>
public sealed class DockershimEmulator(DockerDaemon docker)
{
    /// <param name="logConfig">The container's own LogConfig (docker run --log-opt); null: the daemon's defaults.</param>
    public PodContainer Start(string ns, string pod, string uid, string container, int attempt, string command = "i=0; while true; do echo line $i; i=$((i+1)); sleep 1; done", bool link = true,
        LogConfig? logConfig = null)
    {
        var logFile = KubeletPaths.BuildContainerLogFile(KubeletPaths.DefaultPodLogsDirectory, ns, pod, uid, container, attempt);
        var created = docker.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"k8s_{container}_{pod}_{ns}_{uid}_{attempt}",
            Image = DockerDaemon.Image,
            Cmd = ["/bin/sh", "-c", command],
            Labels = new Dictionary<string, string>
            {
                [DockershimNames.ContainerTypeLabel] = "container",
                [DockershimNames.PodNameLabel] = pod,
                [DockershimNames.PodNamespaceLabel] = ns,
                [DockershimNames.PodUidLabel] = uid,
                [DockershimNames.ContainerNameLabel] = container,
                [DockershimNames.LogPathLabel] = logFile,
                [DockershimNames.RestartCountLabel] = attempt.ToString(),
            },
            HostConfig = new HostConfig { NetworkMode = "none", LogConfig = logConfig },
        }).GetAwaiter().GetResult();
        docker.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()).GetAwaiter().GetResult();
        var result = new PodContainer(ns, pod, uid, container, attempt, created.ID);
        if (link) Link(result);
        return result;
    }

    /// <summary>What dockershim and kubelet do right after start: N.log → LogPath, then the legacy link → N.log.</summary>
    public void Link(PodContainer c)
    {
        var logPath = docker.Client.Containers.InspectContainerAsync(c.Id).GetAwaiter().GetResult().LogPath;
        Directory.CreateDirectory(Path.GetDirectoryName(c.LogFile)!);
        if (File.Exists(c.LogFile) || new FileInfo(c.LogFile).LinkTarget is not null) File.Delete(c.LogFile);
        File.CreateSymbolicLink(c.LogFile, logPath);
        if (File.Exists(c.LogFile) && new FileInfo(c.LegacyLink).LinkTarget is null)
        {
            Directory.CreateDirectory(KubeletPaths.DefaultContainerLogsDirectory);
            File.CreateSymbolicLink(c.LegacyLink, c.LogFile);
        }
    }

    public void Stop(PodContainer c) =>
        docker.Client.Containers.StopContainerAsync(c.Id, new ContainerStopParameters { WaitBeforeKillSeconds = 0 }).GetAwaiter().GetResult();

    public void Remove(PodContainer c) =>
        docker.Client.Containers.RemoveContainerAsync(c.Id, new ContainerRemoveParameters { Force = true }).GetAwaiter().GetResult();

    /// <summary>A restart as kubelet does it: the old instance exits, a new container with attempt + 1 starts and is linked.</summary>
    public PodContainer Restart(PodContainer c)
    {
        Stop(c);
        return Start(c.Namespace, c.PodName, c.PodUid, c.ContainerName, c.Attempt + 1);
    }
}
