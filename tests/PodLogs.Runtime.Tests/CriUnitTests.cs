using PodLogs.Core;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri;
using PodLogs.Runtime.Cri.V1;
using CoreState = PodLogs.Core.ContainerState;
using CriState = PodLogs.Runtime.Cri.V1.ContainerState;

namespace PodLogs.Runtime.Tests;

/// <summary>Endpoint parsing and the CRI → RuntimeContainer mapping, with no runtime.</summary>
public sealed class CriUnitTests
{
    const string Id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa99887766554433221100";
    const string Uid = "7d3c2f1e-0a9b-4c8d-8e7f-6a5b4c3d2e1f";

    [Theory]
    [InlineData("unix:///run/containerd/containerd.sock", "/run/containerd/containerd.sock")]
    [InlineData("/run/containerd/containerd.sock", "/run/containerd/containerd.sock")]
    [InlineData("unix:///var/run/crio/crio.sock", "/var/run/crio/crio.sock")]
    [InlineData("UNIX:///run//cri-dockerd.sock", "/run/cri-dockerd.sock")]
    [InlineData("unix:///run/k3s/containerd/../containerd/containerd.sock", "/run/k3s/containerd/containerd.sock")]
    public void Endpoints_are_unix_socket_node_paths(string endpoint, string path)
    {
        Assert.Equal(path, PodLogs.Core.Node.NodeSocket.ParseUnixPath(endpoint));
        Assert.Equal(path, new CriRuntimeSource(endpoint, TimeSpan.FromSeconds(1)).SocketNodePath);
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:10010")]
    [InlineData("npipe:////./pipe/containerd-containerd")]
    [InlineData("run/containerd/containerd.sock")]
    [InlineData("unix://run/containerd.sock")]
    [InlineData("")]
    public void Other_endpoints_are_refused_with_the_expected_form(string endpoint)
    {
        var ex = Assert.Throws<ArgumentException>(() => RuntimeSources.CreateCri(endpoint, TimeSpan.FromSeconds(1)));
        Assert.Contains("unix:///run/containerd/containerd.sock", ex.Message);
    }

    [Fact]
    public void The_timeout_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CriRuntimeSource("/run/x.sock", TimeSpan.Zero));
        Assert.Equal(Timeout.InfiniteTimeSpan, new CriRuntimeSource("/run/x.sock", Timeout.InfiniteTimeSpan).Timeout);
    }

    [Theory]
    [InlineData("containerd", RuntimeKind.Cri)]
    [InlineData("cri-o", RuntimeKind.Cri)]
    [InlineData("docker", RuntimeKind.Docker)]   // cri-dockerd
    public void The_runtime_name_decides_the_kind(string name, RuntimeKind kind) => Assert.Equal(kind, CriRuntimeSource.KindOf(name));

    [Fact]
    public void Unix_nanoseconds_become_instants_and_zero_is_unset()
    {
        Assert.Null(CriRuntimeSource.FromUnixNanoseconds(0));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1234567),
            CriRuntimeSource.FromUnixNanoseconds(1714979289_123456789));
    }

    static (Container, ContainerStatus) Pair(CriState state = CriState.ContainerRunning, string? metadataName = "app", string? labelName = "app",
        uint attempt = 2, string ns = "default", string id = Id)
    {
        var labels = new Dictionary<string, string>
        {
            [DockershimNames.PodNamespaceLabel] = ns,
            [DockershimNames.PodNameLabel] = "web-0",
            [DockershimNames.PodUidLabel] = Uid,
        };
        if (labelName is not null) labels[DockershimNames.ContainerNameLabel] = labelName;
        var metadata = metadataName is null ? null : new ContainerMetadata { Name = metadataName, Attempt = attempt };
        var listed = new Container { Id = id, PodSandboxId = "sandbox-1", Metadata = metadata, State = state };
        listed.Labels.Add(labels);
        var status = new ContainerStatus { Id = id, Metadata = metadata, State = state, StartedAt = 1714979289_000000000, LogPath = $"/var/log/pods/{ns}_web-0_{Uid}/app/{attempt}.log" };
        status.Labels.Add(labels);
        return (listed, status);
    }

    [Theory]
    [InlineData(0, CoreState.Created)]   // CONTAINER_CREATED
    [InlineData(1, CoreState.Running)]   // CONTAINER_RUNNING
    [InlineData(2, CoreState.Exited)]    // CONTAINER_EXITED
    [InlineData(3, CoreState.Unknown)]   // CONTAINER_UNKNOWN
    [InlineData(42, CoreState.Unknown)]  // a value a newer runtime might send
    public void A_status_maps_to_a_runtime_container(int state, CoreState expected)
    {
        var (listed, status) = Pair((CriState)state);
        var (c, failure) = CriRuntimeSource.ToRuntimeContainer(listed, status, "/run/containerd/containerd.sock");
        Assert.Null(failure);
        Assert.NotNull(c);
        Assert.Equal(expected, c.State);
        Assert.Equal((Id, "default", "web-0", Uid, "app", 2), (c.Id, c.Namespace, c.PodName, c.PodUid, c.ContainerName, c.RestartCount));
        Assert.Equal($"/var/log/pods/default_web-0_{Uid}/app/2.log", c.LogPath);
        Assert.Equal("sandbox-1", c.SandboxId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1714979289), c.StartedAt);
        Assert.Equal("Cri", c.SourceName);
        Assert.Null(c.DockerJsonLogPath);
        Assert.Null(c.LogDriver);
    }

    [Fact]
    public void The_container_name_falls_back_to_kubelets_label()
    {
        var (listed, status) = Pair(metadataName: "", labelName: "from-label");
        var (c, failure) = CriRuntimeSource.ToRuntimeContainer(listed, status, "sock");
        Assert.Null(failure);
        Assert.Equal("from-label", c!.ContainerName);
    }

    [Fact]
    public void Metadata_and_label_naming_different_containers_is_not_trusted()
    {
        var (listed, status) = Pair(metadataName: "app", labelName: "other");
        var (c, failure) = CriRuntimeSource.ToRuntimeContainer(listed, status, "sock");
        Assert.Null(c);
        Assert.Equal("ContainerIdentityConflict", failure!.ErrorId);
    }

    [Theory]
    [InlineData("Default", Id)]
    [InlineData("default", "short")]
    [InlineData("default", "../../etc/passwd")]
    public void Invalid_identities_are_reported_not_used(string ns, string id)
    {
        var (listed, status) = Pair(ns: ns, id: id);
        var (c, failure) = CriRuntimeSource.ToRuntimeContainer(listed, status, "/node/run/containerd/containerd.sock");
        Assert.Null(c);
        Assert.Equal("ContainerIdentityInvalid", failure!.ErrorId);
        Assert.Equal(FailureCategory.InvalidData, failure.Category);
        Assert.Equal("/node/run/containerd/containerd.sock", failure.TargetPath);
    }

    [Fact]
    public void A_status_answering_for_another_id_is_invalid()
    {
        var (listed, status) = Pair();
        status.Id = new string('a', 64);
        Assert.Equal("ContainerIdentityInvalid", CriRuntimeSource.ToRuntimeContainer(listed, status, "sock").Item2!.ErrorId);
    }

    [Fact]
    public void An_attempt_beyond_int_is_invalid()
    {
        var (listed, status) = Pair(attempt: uint.MaxValue);
        Assert.Equal("ContainerIdentityInvalid", CriRuntimeSource.ToRuntimeContainer(listed, status, "sock").Item2!.ErrorId);
    }

    [Fact]
    public void The_factory_is_a_plain_static_method_with_bcl_and_core_types_only()
    {
        var m = typeof(RuntimeSources).GetMethod(nameof(RuntimeSources.CreateCri))!;
        Assert.True(m.IsStatic && m.IsPublic);
        Assert.Equal(typeof(IRuntimeSource), m.ReturnType);
        Assert.Equal([typeof(string), typeof(TimeSpan)], m.GetParameters().Select(p => p.ParameterType));
    }
}
