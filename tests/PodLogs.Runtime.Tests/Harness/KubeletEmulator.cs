using Grpc.Core;
using PodLogs.Core.Paths;
using PodLogs.Runtime.Cri.V1;

namespace PodLogs.Runtime.Tests.Harness;

/// <summary>A pod the emulated kubelet runs: its sandbox and the config kubelet passes again with every container.</summary>
internal sealed record EmulatedPod(string Namespace, string Name, string Uid, string SandboxId, PodSandboxConfig Config)
{
    /// <summary>Node path of the pod's log directory (<c>BuildPodLogsDirectory</c>).</summary>
    public string LogDirectory => Config.LogDirectory;
}

/// <summary>One container instance (one attempt) the emulated kubelet started.</summary>
/// <param name="LogNodePath">Node path of <c>&lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;attempt&gt;.log</c>.</param>
/// <param name="LegacyLinkNodePath">Node path of <c>/var/log/containers/&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;.log</c>.</param>
/// <param name="LegacyLinkCreated">False when kubelet's Symlink would have failed (EEXIST) or N.log was absent.</param>
internal sealed record EmulatedContainer(EmulatedPod Pod, string Name, int Attempt, string Id, ContainerConfig Config,
    string LogNodePath, string LegacyLinkNodePath, bool LegacyLinkCreated);

/// <summary>What an emulated container runs (busybox sh).</summary>
public sealed record ContainerProgram(string[] Command)
{
    /// <summary>Prints <c>line 1</c> … <c>line N</c> on stdout and <c>stderr 1</c> on stderr, then sleeps (running) or exits.</summary>
    public static ContainerProgram PrintLines(int count, bool keepRunning = true) => new(["/bin/sh", "-c",
        $"i=1; while [ $i -le {count} ]; do echo \"line $i\"; i=$((i+1)); done; echo 'stderr 1' >&2" + (keepRunning ? "; exec sleep 2147483647" : "")]);

    /// <summary>Prints a numbered line every <paramref name="intervalSeconds"/> for ever (for rotation).</summary>
    public static ContainerProgram PrintForever(double intervalSeconds = 0.05) => new(["/bin/sh", "-c",
        $"i=1; while :; do echo \"line $i\"; i=$((i+1)); sleep {intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}; done"]);
}

/// <summary>
/// Plays kubelet's part on top of the CRI client, with kubelet's path rules from <see cref="KubeletPaths"/>:
/// RunPodSandbox with <c>log_directory = &lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;</c> (created first, as
/// kubelet does), CreateContainer with <c>log_path = &lt;container&gt;/&lt;attempt&gt;.log</c> and kubelet's labels,
/// StartContainer, then the legacy link <c>/var/log/containers/&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;.log</c>
/// holding the node-absolute N.log path, only if N.log exists and with a plain symlink (EEXIST is only noted).
/// Restart = stop the old instance, create and start attempt + 1; rotation = rename N.log to
/// N.log.YYYYMMDD-hhmmss, then ReopenContainerLog (renamed back if the reopen fails).
/// Node paths are given to containerd as they are (it runs with <c>D/node/var/log</c> on <c>/var/log</c>);
/// this process reaches them under <see cref="NodeRoot"/>.
/// </summary>
internal sealed class KubeletEmulator(RuntimeService.RuntimeServiceClient client, string nodeRoot)
{
    public const string PodLogsDirectory = KubeletPaths.DefaultPodLogsDirectory;
    public const string ContainerLogsDirectory = KubeletPaths.DefaultContainerLogsDirectory;
    static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    public RuntimeService.RuntimeServiceClient Client { get; } = client;
    public string NodeRoot { get; } = nodeRoot;
    public string ToLocal(string nodePath) => NodeRoot + nodePath;

    static DateTime Deadline => DateTime.UtcNow + CallTimeout;

    /// <param name="kubernetesLabels">False makes a pod no kubelet made (no io.kubernetes.* labels).</param>
    public async Task<EmulatedPod> RunPodAsync(string ns, string name, string? uid = null, bool kubernetesLabels = true)
    {
        uid ??= Guid.NewGuid().ToString();
        var logDirectory = KubeletPaths.BuildPodLogsDirectory(PodLogsDirectory, ns, name, uid);
        // kubelet's createPodSandbox: MkdirAll(logDir, 0755) before RunPodSandbox.
        Directory.CreateDirectory(ToLocal(logDirectory));
        var config = new PodSandboxConfig
        {
            Metadata = new PodSandboxMetadata { Name = name, Namespace = ns, Uid = uid, Attempt = 0 },
            // Host network (no CNI here) and no hostname (a host-network pod must not set one).
            LogDirectory = logDirectory,
            Linux = new LinuxPodSandboxConfig
            {
                SecurityContext = new LinuxSandboxSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
        if (kubernetesLabels)
        {
            config.Labels.Add(DockershimNames.PodNameLabel, name);
            config.Labels.Add(DockershimNames.PodNamespaceLabel, ns);
            config.Labels.Add(DockershimNames.PodUidLabel, uid);
        }
        var response = await Client.RunPodSandboxAsync(new RunPodSandboxRequest { Config = config }, deadline: Deadline);
        return new EmulatedPod(ns, name, uid, response.PodSandboxId, config);
    }

    /// <param name="labels">Overrides kubelet's container labels (null: kubelet's own; empty: none).</param>
    public async Task<EmulatedContainer> StartContainerAsync(EmulatedPod pod, string name, int attempt = 0, ContainerProgram? program = null,
        IReadOnlyDictionary<string, string>? labels = null)
    {
        program ??= ContainerProgram.PrintLines(5);
        var config = new ContainerConfig
        {
            Metadata = new ContainerMetadata { Name = name, Attempt = (uint)attempt },
            Image = new ImageSpec { Image = ContainerdHarness.BusyboxImage },
            LogPath = KubeletPaths.BuildContainerLogsPath(name, attempt),
            Linux = new LinuxContainerConfig
            {
                SecurityContext = new LinuxContainerSecurityContext
                {
                    NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Node, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod },
                },
            },
        };
        config.Command.AddRange(program.Command);
        foreach (var (key, value) in labels ?? new Dictionary<string, string>
        {
            [DockershimNames.PodNameLabel] = pod.Name,
            [DockershimNames.PodNamespaceLabel] = pod.Namespace,
            [DockershimNames.PodUidLabel] = pod.Uid,
            [DockershimNames.ContainerNameLabel] = name,
        })
            config.Labels[key] = value;
        config.Annotations.Add("io.kubernetes.container.restartCount", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var created = await Client.CreateContainerAsync(new CreateContainerRequest { PodSandboxId = pod.SandboxId, Config = config, SandboxConfig = pod.Config }, deadline: Deadline);
        await Client.StartContainerAsync(new StartContainerRequest { ContainerId = created.ContainerId }, deadline: Deadline);

        var logFile = NodePath.Combine(pod.LogDirectory, config.LogPath);
        var link = KubeletPaths.LegacyLinkPath(ContainerLogsDirectory, pod.Name, pod.Namespace, name, created.ContainerId);
        var linked = false;
        // kubelet's startContainer: Stat(containerLog); if it exists, Symlink(containerLog, legacySymlink); an error is only logged.
        if (File.Exists(ToLocal(logFile)))
        {
            try
            {
                File.CreateSymbolicLink(ToLocal(link), logFile);
                linked = true;
            }
            catch (IOException) { }
        }
        return new EmulatedContainer(pod, name, attempt, created.ContainerId, config, logFile, link, linked);
    }

    /// <summary>The container died and kubelet starts the next attempt (restartCount + 1) with a new id, file and link.</summary>
    public async Task<EmulatedContainer> RestartAsync(EmulatedContainer previous, ContainerProgram? program = null)
    {
        await Client.StopContainerAsync(new StopContainerRequest { ContainerId = previous.Id, Timeout = 0 }, deadline: Deadline);
        return await StartContainerAsync(previous.Pod, previous.Name, previous.Attempt + 1, program);
    }

    /// <summary>kubelet's rotateLatestLog: rename N.log to N.log.&lt;local YYYYMMDD-hhmmss&gt;, then ReopenContainerLog. Returns the rotated node path.</summary>
    /// <param name="at">The rotation's time stamp (now by default): kubelet's names have one-second resolution, so a test
    /// rotating more than once a second gives distinct ones.</param>
    public async Task<string> RotateAsync(EmulatedContainer container, DateTime? at = null)
    {
        var rotated = container.LogNodePath + "." + (at ?? DateTime.Now).ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        File.Move(ToLocal(container.LogNodePath), ToLocal(rotated));
        try
        {
            await Client.ReopenContainerLogAsync(new ReopenContainerLogRequest { ContainerId = container.Id }, deadline: Deadline);
        }
        catch (RpcException)
        {
            File.Move(ToLocal(rotated), ToLocal(container.LogNodePath));
            throw;
        }
        return rotated;
    }

    public async Task<ContainerStatus> StatusAsync(string containerId) =>
        (await Client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = containerId }, deadline: Deadline)).Status;

    public async Task<ContainerStatus> WaitForStateAsync(string containerId, ContainerState state, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var status = await StatusAsync(containerId);
            if (status.State == state) return status;
            if (DateTime.UtcNow > until) throw new TimeoutException($"Container {containerId} is {status.State}, not {state}, after waiting.");
            await Task.Delay(50);
        }
    }

    /// <summary>The lines of a node file once it holds at least <paramref name="count"/> complete lines.</summary>
    public async Task<string[]> WaitForLinesAsync(string nodePath, int count, Func<string, bool>? where = null, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            string[] lines = [];
            if (File.Exists(ToLocal(nodePath)))
            {
                var text = await File.ReadAllTextAsync(ToLocal(nodePath));
                var end = text.LastIndexOf('\n');
                lines = end < 0 ? [] : text[..end].Split('\n');
                if (lines.Count(where ?? (_ => true)) >= count) return lines;
            }
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"{nodePath} holds {lines.Length} lines, fewer than {count} wanted, after waiting.");
            await Task.Delay(50);
        }
    }

    public async Task RemovePodAsync(EmulatedPod pod)
    {
        await Client.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod.SandboxId }, deadline: Deadline);
        await Client.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod.SandboxId }, deadline: Deadline);
    }
}
