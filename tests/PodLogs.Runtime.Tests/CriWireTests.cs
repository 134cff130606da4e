using PodLogs.Core.Paths;
using PodLogs.Runtime.Cri.V1;
using PodLogs.Runtime.Tests.Harness;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Our runtime_v1.proto against a real containerd: a wrong field number would leave a value empty
/// (or in the wrong field), so each value set through one message must come back through another.
/// </summary>
[Collection(ContainerdCollection.Name)]
public sealed class CriWireTests(ContainerdHarness containerd)
{
    [Fact]
    public async Task Version_names_containerd_and_the_v1_api()
    {
        var version = await containerd.Client.VersionAsync(new VersionRequest { Version = "0.1.0" });
        Assert.Equal("0.1.0", version.Version);                 // 1
        Assert.Equal("containerd", version.RuntimeName);         // 2
        Assert.Matches(@"^v?\d+\.\d+", version.RuntimeVersion);  // 3
        Assert.Equal("v1", version.RuntimeApiVersion);           // 4
    }

    [Fact]
    public async Task Container_identity_attempt_labels_log_path_state_and_times_round_trip()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var pod = await containerd.Kubelet.RunPodAsync("wire", "round-trip", "0f6e6a9c-5b7d-4d8e-9f1a-2b3c4d5e6f70");
        var c = await containerd.Kubelet.StartContainerAsync(pod, "app", attempt: 3);

        var listed = Assert.Single((await containerd.Client.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { PodSandboxId = pod.SandboxId },   // ContainerFilter.pod_sandbox_id = 3
        })).Containers);
        Assert.Equal(c.Id, listed.Id);                                        // Container.id = 1
        Assert.Equal(pod.SandboxId, listed.PodSandboxId);                     // 2
        Assert.Equal("app", listed.Metadata.Name);                            // 3 → ContainerMetadata.name = 1
        Assert.Equal(3u, listed.Metadata.Attempt);                            // ContainerMetadata.attempt = 2
        Assert.Equal(ContainerState.ContainerRunning, listed.State);          // 6
        Assert.True(listed.CreatedAt > 0);                                    // 7
        Assert.Equal("round-trip", listed.Labels[DockershimNames.PodNameLabel]); // 8
        Assert.Equal("3", listed.Annotations["io.kubernetes.container.restartCount"]); // 9
        Assert.Contains("local/busybox", listed.Image.Image);                 // 4 → ImageSpec.image = 1

        var status = await containerd.Kubelet.StatusAsync(c.Id);
        Assert.Equal(c.Id, status.Id);                                        // ContainerStatus.id = 1
        Assert.Equal("app", status.Metadata.Name);                            // 2
        Assert.Equal(3u, status.Metadata.Attempt);
        Assert.Equal(ContainerState.ContainerRunning, status.State);          // 3
        var created = DateTimeOffset.UnixEpoch.AddTicks(status.CreatedAt / 100);   // 4
        var started = DateTimeOffset.UnixEpoch.AddTicks(status.StartedAt / 100);   // 5
        Assert.InRange(created, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.InRange(started, created, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(0, status.FinishedAt);                                   // 6
        Assert.Equal(new Dictionary<string, string>
        {
            [DockershimNames.PodNameLabel] = "round-trip",
            [DockershimNames.PodNamespaceLabel] = "wire",
            [DockershimNames.PodUidLabel] = "0f6e6a9c-5b7d-4d8e-9f1a-2b3c4d5e6f70",
            [DockershimNames.ContainerNameLabel] = "app",
        }, status.Labels);                                                    // 12
        Assert.Equal("3", status.Annotations["io.kubernetes.container.restartCount"]); // 13
        // 15: containerd joins PodSandboxConfig.log_directory (3) and ContainerConfig.log_path (11).
        Assert.Equal("/var/log/pods/wire_round-trip_0f6e6a9c-5b7d-4d8e-9f1a-2b3c4d5e6f70/app/3.log", status.LogPath);
        Assert.Equal(c.LogNodePath, status.LogPath);

        await containerd.Client.StopContainerAsync(new StopContainerRequest { ContainerId = c.Id, Timeout = 0 });
        var exited = await containerd.Kubelet.WaitForStateAsync(c.Id, ContainerState.ContainerExited);
        Assert.True(exited.FinishedAt >= exited.StartedAt);                   // 6
        Assert.Equal(137, exited.ExitCode);                                   // 7 (SIGKILL)
        Assert.NotEmpty(exited.Reason);                                       // 10

        var sandbox = Assert.Single((await containerd.Client.ListPodSandboxAsync(new ListPodSandboxRequest
        {
            Filter = new PodSandboxFilter { Id = pod.SandboxId },             // PodSandboxFilter.id = 1
        })).Items);
        Assert.Equal(pod.SandboxId, sandbox.Id);                              // PodSandbox.id = 1
        Assert.Equal("round-trip", sandbox.Metadata.Name);                    // 2 → PodSandboxMetadata.name = 1
        Assert.Equal("0f6e6a9c-5b7d-4d8e-9f1a-2b3c4d5e6f70", sandbox.Metadata.Uid); // uid = 2
        Assert.Equal("wire", sandbox.Metadata.Namespace);                     // namespace = 3
        Assert.Equal(0u, sandbox.Metadata.Attempt);                           // attempt = 4
        Assert.Equal(PodSandboxState.SandboxReady, sandbox.State);            // 3
        Assert.True(sandbox.CreatedAt > 0);                                   // 4
        Assert.Equal("wire", sandbox.Labels[DockershimNames.PodNamespaceLabel]); // 5

        await containerd.Kubelet.RemovePodAsync(pod);
        Assert.Empty((await containerd.Client.ListPodSandboxAsync(new ListPodSandboxRequest { Filter = new PodSandboxFilter { Id = pod.SandboxId } })).Items);
    }

    [Fact]
    public async Task A_sandbox_attempt_and_state_filter_round_trip()
    {
        var pod = await containerd.Kubelet.RunPodAsync("wire", "state-filter");
        var running = await containerd.Kubelet.StartContainerAsync(pod, "runs");
        var exits = await containerd.Kubelet.StartContainerAsync(pod, "exits", program: ContainerProgram.PrintLines(1, keepRunning: false));
        await containerd.Kubelet.WaitForStateAsync(exits.Id, ContainerState.ContainerExited);

        // ContainerFilter.state = 2 → ContainerStateValue.state = 1; label_selector = 4.
        var onlyExited = await containerd.Client.ListContainersAsync(new ListContainersRequest
        {
            Filter = new ContainerFilter { State = new ContainerStateValue { State = ContainerState.ContainerExited }, LabelSelector = { [DockershimNames.PodUidLabel] = pod.Uid } },
        });
        Assert.Equal([exits.Id], onlyExited.Containers.Select(x => x.Id));
        var byId = await containerd.Client.ListContainersAsync(new ListContainersRequest { Filter = new ContainerFilter { Id = running.Id } });  // id = 1
        Assert.Equal([running.Id], byId.Containers.Select(x => x.Id));

        await containerd.Kubelet.RemovePodAsync(pod);
    }
}
