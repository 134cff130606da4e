using PodLogs.Core.Paths;
using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>Where pod logs, legacy links and docker's state are, found as kubelet and dockerd find them.</summary>
public sealed class NodeLayoutTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    static PodLogsFailure Throws(Action load) => Assert.Throws<PodLogsException>(load).Failure;

    [Theory]
    [InlineData("PodLogsDirectory")]
    [InlineData("ContainerLogsDirectory")]
    [InlineData("DockerDataRoot")]
    public void A_named_directory_that_is_not_under_the_root_stops_the_load_naming_the_local_path(string parameter)
    {
        var options = parameter switch
        {
            "PodLogsDirectory" => new NodeLayoutOptions { PodLogsDirectory = "/data/pods" },
            "ContainerLogsDirectory" => new NodeLayoutOptions { ContainerLogsDirectory = "/data/pods" },
            _ => new NodeLayoutOptions { DockerDataRoot = "/data/pods" },
        };
        var failure = Throws(() => _node.Layout(options));
        Assert.Equal("NodeDirectoryNotFound", failure.ErrorId);
        Assert.Equal(FailureCategory.ObjectNotFound, failure.Category);
        Assert.Equal(_node.Local("/data/pods"), failure.TargetPath);
        Assert.Contains($"-{parameter} '/data/pods'", failure.Message);
        _node.WriteFile("/data/pods", "a file, not a directory");
        Assert.Contains("not a directory", Throws(() => _node.Layout(options)).Message);
        File.Delete(_node.Local("/data/pods"));
        _node.Mkdir("/data/pods");
        _node.Layout(options);
    }

    [Fact]
    public void A_root_with_neither_kubelet_directory_is_a_warning_naming_both()
    {
        var reporter = new CollectingReporter();
        _node.Layout(reporter: reporter);
        var warning = Assert.Single(reporter.Warnings);
        Assert.Contains(_node.Local("/var/log/pods"), warning);
        Assert.Contains(_node.Local("/var/log/containers"), warning);
    }

    [Fact]
    public void A_node_without_pods_yet_or_a_command_that_reads_no_node_is_no_warning()
    {
        var quiet = new CollectingReporter();
        _node.Layout(new NodeLayoutOptions { ExpectsNode = false }, quiet);
        Assert.Empty(quiet.Warnings);
        _node.Mkdir("/var/log/containers");
        var fresh = new CollectingReporter();
        _node.Layout(reporter: fresh);
        Assert.Empty(fresh.Warnings);
    }

    [Fact]
    public void Defaults_when_the_node_configures_nothing()
    {
        var layout = _node.Layout();
        Assert.Equal("/var/log/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/var/log/containers", layout.ContainerLogsDirectory.Configured);
        Assert.Equal("/var/lib/docker", layout.DockerDataRoot.Configured);
        Assert.Equal("/var/lib/docker", layout.DockerDataRoot.Canonical);
        Assert.Null(layout.KubeletConfigFile);
        Assert.Equal(_node.Root, layout.Root.LocalRoot);
    }

    [Fact]
    public void PodLogsDir_is_read_from_a_kubelet_yaml_config()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", """
            apiVersion: kubelet.config.k8s.io/v1beta1
            kind: KubeletConfiguration
            authentication:
              anonymous:
                enabled: false
            podLogsDir: "/data/pods/"   # moved off the root disk
            """);
        var layout = _node.Layout();
        Assert.Equal("/data/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/var/lib/kubelet/config.yaml", layout.KubeletConfigFile);
        // The legacy directory stays put when podLogsDir moves.
        Assert.Equal("/var/log/containers", layout.ContainerLogsDirectory.Configured);
    }

    [Fact]
    public void A_kubeadm_generated_config_is_read()
    {
        // What kubeadm writes (sigs.k8s.io/yaml): sequences under a key are not indented.
        _node.WriteFile("/var/lib/kubelet/config.yaml", """
            apiVersion: kubelet.config.k8s.io/v1beta1
            authentication:
              anonymous:
                enabled: false
              webhook:
                cacheTTL: 0s
                enabled: true
              x509:
                clientCAFile: /etc/kubernetes/pki/ca.crt
            authorization:
              mode: Webhook
            cgroupDriver: systemd
            clusterDNS:
            - 10.96.0.10
            clusterDomain: cluster.local
            containerRuntimeEndpoint: ""
            kind: KubeletConfiguration
            podLogsDir: /data/pods
            staticPodPath: /etc/kubernetes/manifests
            tlsCipherSuites:
            - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
            - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            """);
        Assert.Equal("/data/pods", _node.Layout().PodLogsDirectory.Configured);
    }

    [Fact]
    public void PodLogsDir_is_read_from_a_kubelet_json_config()
    {
        _node.WriteFile("/var/lib/kubelet/config.json", """{"kind":"KubeletConfiguration","podLogsDir":"/srv/pods","nested":{"podLogsDir":"/wrong"}}""");
        var layout = _node.Layout();
        Assert.Equal("/srv/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/var/lib/kubelet/config.json", layout.KubeletConfigFile);
    }

    [Fact]
    public void The_config_named_by_kubeadm_flags_is_read()
    {
        _node.WriteFile("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///run/cri-dockerd.sock --config=/etc/custom/kubelet.yaml\"\n");
        _node.WriteFile("/etc/custom/kubelet.yaml", "podLogsDir: /custom/pods\n");
        _node.WriteFile("/var/lib/kubelet/config.yaml", "podLogsDir: /not/this/one\n");
        var layout = _node.Layout();
        Assert.Equal("/custom/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/etc/custom/kubelet.yaml", layout.KubeletConfigFile);
    }

    [Fact]
    public void A_config_without_podLogsDir_means_kubelets_default()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\ncontainerLogMaxFiles: 5\n");
        var layout = _node.Layout();
        Assert.Equal("/var/log/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/var/lib/kubelet/config.yaml", layout.KubeletConfigFile);
    }

    [Fact]
    public void An_explicit_PodLogsDirectory_wins_over_the_config()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", "podLogsDir: /data/pods\n");
        _node.Mkdir("/explicit/pods");
        var layout = _node.Layout(new NodeLayoutOptions { PodLogsDirectory = "/explicit/pods/" });
        Assert.Equal("/explicit/pods", layout.PodLogsDirectory.Configured);
    }

    [Fact]
    public void An_explicit_KubeletConfigPath_is_read()
    {
        _node.WriteFile("/opt/kubelet.json", """{"podLogsDir":"/opt/pods"}""");
        _node.WriteFile("/var/lib/kubelet/config.yaml", "podLogsDir: /data/pods\n");
        var layout = _node.Layout(new NodeLayoutOptions { KubeletConfigPath = "/opt/kubelet.json" });
        Assert.Equal("/opt/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/opt/kubelet.json", layout.KubeletConfigFile);
    }

    [Fact]
    public void An_explicit_KubeletConfigPath_that_does_not_exist_is_an_error()
    {
        var f = Throws(() => _node.Layout(new NodeLayoutOptions { KubeletConfigPath = "/opt/missing.yaml" }));
        Assert.Equal("KubeletConfigNotFound", f.ErrorId);
        Assert.Equal(_node.Root + "/opt/missing.yaml", f.TargetPath);
    }

    [Theory]
    [InlineData("malformed yaml", "podLogsDir: /data\n\tnested: tab\n")]
    [InlineData("duplicate key", "podLogsDir: /a\npodLogsDir: /b\n")]
    [InlineData("malformed json", "{\"podLogsDir\": \"/data\",")]
    [InlineData("json not a string", "{\"podLogsDir\": 42}")]
    [InlineData("relative value", "podLogsDir: var/log/pods\n")]
    public void A_malformed_kubelet_config_is_KubeletConfigUnreadable_naming_file_and_key(string why, string content)
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", content);
        var f = Throws(() => _node.Layout());
        Assert.True(f.ErrorId == "KubeletConfigUnreadable", why);
        Assert.Equal(FailureCategory.ReadError, f.Category);
        Assert.Contains("/var/lib/kubelet/config.yaml", f.Message);
        Assert.Contains("podLogsDir", f.Message);
        Assert.Equal(_node.Root + "/var/lib/kubelet/config.yaml", f.TargetPath);

        // The user can say where pod logs are instead: then the config is not needed.
        _node.Mkdir("/var/log/pods");
        var layout = _node.Layout(new NodeLayoutOptions { PodLogsDirectory = "/var/log/pods" });
        Assert.Equal("/var/log/pods", layout.PodLogsDirectory.Configured);
    }

    [Fact]
    public void An_unreadable_kubelet_config_is_KubeletConfigUnreadable()
    {
        // A directory where the file belongs cannot be read whoever runs the tests (root reads any file).
        _node.Mkdir("/var/lib/kubelet/config.yaml");
        var f = Throws(() => _node.Layout());
        Assert.Equal("KubeletConfigUnreadable", f.ErrorId);
        Assert.Contains("/var/lib/kubelet/config.yaml", f.Message);
        Assert.Contains("podLogsDir", f.Message);
        Assert.Contains("not a regular file", f.Message);
        _node.Mkdir("/var/log/pods");
        Assert.Equal("/var/log/pods", _node.Layout(new NodeLayoutOptions { PodLogsDirectory = "/var/log/pods" }).PodLogsDirectory.Configured);
    }

    [Fact]
    public void A_kubelet_config_over_1_MiB_is_KubeletConfigUnreadable()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", "podLogsDir: /data\n" + new string('#', 1024 * 1024) + "\n");
        var f = Throws(() => _node.Layout());
        Assert.Equal("KubeletConfigUnreadable", f.ErrorId);
        Assert.Contains("larger than", f.Message);
    }

    [Fact]
    public async Task A_FIFO_in_place_of_the_kubelet_config_does_not_hang()
    {
        _node.Fifo("/var/lib/kubelet/config.yaml");
        var failure = await Task.Run(() => Assert.Throws<PodLogsException>(() => _node.Layout()).Failure).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("KubeletConfigUnreadable", failure.ErrorId);
    }

    [Fact]
    public void Docker_data_root_is_read_from_daemon_json()
    {
        _node.WriteFile("/etc/docker/daemon.json", """{ "data-root": "/data/docker", "graph": "/old/docker", "log-driver": "json-file" }""");
        var layout = _node.Layout();
        Assert.Equal("/data/docker", layout.DockerDataRoot.Configured);
    }

    [Fact]
    public void The_older_graph_key_is_read_when_data_root_is_absent()
    {
        _node.WriteFile("/etc/docker/daemon.json", """{ "graph": "/old/docker" }""");
        Assert.Equal("/old/docker", _node.Layout().DockerDataRoot.Configured);
    }

    [Fact]
    public void Daemon_json_without_a_data_root_means_dockers_default()
    {
        _node.WriteFile("/etc/docker/daemon.json", """{ "log-driver": "json-file" }""");
        Assert.Equal("/var/lib/docker", _node.Layout().DockerDataRoot.Configured);
    }

    [Theory]
    [InlineData("{ \"data-root\": ")]
    [InlineData("{ \"data-root\": \"relative/docker\" }")]
    public void A_malformed_daemon_json_is_DockerConfigUnreadable_unless_DockerDataRoot_is_given(string content)
    {
        _node.WriteFile("/etc/docker/daemon.json", content);
        var f = Throws(() => _node.Layout());
        Assert.Equal("DockerConfigUnreadable", f.ErrorId);
        Assert.Equal(_node.Root + "/etc/docker/daemon.json", f.TargetPath);
        Assert.Contains("data-root", f.Message);

        _node.Mkdir("/srv/docker");
        var layout = _node.Layout(new NodeLayoutOptions { DockerDataRoot = "/srv/docker" });
        Assert.Equal("/srv/docker", layout.DockerDataRoot.Configured);
    }

    [Theory]
    [InlineData(nameof(NodeLayoutOptions.PodLogsDirectory))]
    [InlineData(nameof(NodeLayoutOptions.ContainerLogsDirectory))]
    [InlineData(nameof(NodeLayoutOptions.DockerDataRoot))]
    [InlineData(nameof(NodeLayoutOptions.KubeletConfigPath))]
    public void A_relative_override_is_NodePathNotAbsolute(string parameter)
    {
        var options = parameter switch
        {
            nameof(NodeLayoutOptions.PodLogsDirectory) => new NodeLayoutOptions { PodLogsDirectory = "var/log/pods" },
            nameof(NodeLayoutOptions.ContainerLogsDirectory) => new NodeLayoutOptions { ContainerLogsDirectory = "var/log/containers" },
            nameof(NodeLayoutOptions.DockerDataRoot) => new NodeLayoutOptions { DockerDataRoot = "docker" },
            _ => new NodeLayoutOptions { KubeletConfigPath = "config.yaml" },
        };
        var f = Throws(() => _node.Layout(options));
        Assert.Equal("NodePathNotAbsolute", f.ErrorId);
        Assert.Equal(FailureCategory.InvalidArgument, f.Category);
        Assert.Contains("-" + parameter, f.Message);
    }

    [Fact]
    public void Overrides_are_cleaned()
    {
        _node.Mkdir("/var/log/containers");
        _node.Mkdir("/data/docker");
        var layout = _node.Layout(new NodeLayoutOptions { ContainerLogsDirectory = "/var/log//containers/./", DockerDataRoot = "/srv/../data/docker/" });
        Assert.Equal("/var/log/containers", layout.ContainerLogsDirectory.Configured);
        Assert.Equal("/data/docker", layout.DockerDataRoot.Configured);
    }

    [Fact]
    public void A_root_that_does_not_exist_is_RootNotFound()
    {
        var f = Throws(() => NodeLayout.Load(new NodeLayoutOptions { Root = _node.Root + "/absent" }, new CollectingReporter()));
        Assert.Equal("RootNotFound", f.ErrorId);
        Assert.Equal(FailureCategory.ObjectNotFound, f.Category);
    }

    [Fact]
    public void A_symlinked_pod_logs_directory_has_both_spellings()
    {
        _node.Mkdir("/mnt/logs/pods");
        _node.Mkdir("/var/log");
        _node.Link("/var/log/pods", "/mnt/logs/pods");
        var layout = _node.Layout();
        Assert.Equal("/var/log/pods", layout.PodLogsDirectory.Configured);
        Assert.Equal("/mnt/logs/pods", layout.PodLogsDirectory.Canonical);
        Assert.True(layout.PodLogsDirectory.Contains("/mnt/logs/pods/a/b/0.log"));
        Assert.True(layout.PodLogsDirectory.Contains("/var/log/pods/a/b/0.log"));
    }

    // Issue #11 item 4: roots that are not roots. A planted link must not switch the outside-the-roots guard off.
    [Theory]
    [InlineData("/var/log/containers", "/")]
    [InlineData("/var/log/pods", "/etc")]
    [InlineData("/var/log/pods", "/var")]
    [InlineData("/var/lib/docker", "/")]
    public void A_log_root_that_resolves_to_the_node_root_or_over_its_system_directories_is_refused(string rootPath, string target)
    {
        _node.Mkdir(target);
        _node.Mkdir(NodePath.Parent(rootPath));
        _node.Link(rootPath, target);
        var f = Throws(() => _node.Layout());
        Assert.Equal("LogRootUnsafe", f.ErrorId);
        Assert.Equal(FailureCategory.SecurityError, f.Category);
        Assert.Contains(rootPath, f.Message);
        Assert.Contains($"resolves to {target}", f.Message);
        Assert.Equal(_node.Local(rootPath), f.TargetPath);
    }

    [Theory]
    [InlineData("PodLogsDirectory", "/")]
    [InlineData("ContainerLogsDirectory", "/usr")]
    [InlineData("DockerDataRoot", "/var/lib")]
    public void An_override_that_is_the_node_root_or_holds_its_system_directories_is_refused(string parameter, string value)
    {
        _node.Mkdir(value); // as on any node: an override that does not exist is NodeDirectoryNotFound first
        var options = parameter switch
        {
            "PodLogsDirectory" => new NodeLayoutOptions { PodLogsDirectory = value },
            "ContainerLogsDirectory" => new NodeLayoutOptions { ContainerLogsDirectory = value },
            _ => new NodeLayoutOptions { DockerDataRoot = value },
        };
        Assert.Equal("LogRootUnsafe", Throws(() => _node.Layout(options)).ErrorId);
    }

    [Fact]
    public void Log_roots_moved_by_links_to_ordinary_directories_are_fine_and_docker_s_log_root_is_its_containers_directory()
    {
        _node.Mkdir("/data/pods");
        _node.Mkdir("/data/docker/containers");
        _node.Mkdir("/var/log");
        _node.Mkdir("/var/lib");
        _node.Link("/var/log/pods", "/data/pods");
        _node.Link("/var/lib/docker", "/data/docker");
        var layout = _node.Layout();
        Assert.Equal("/data/pods", layout.PodLogsDirectory.Canonical);
        Assert.Equal("/data/docker/containers", layout.DockerContainersDirectory.Canonical);
        Assert.True(layout.IsInsideRoots("/data/docker/containers/abc/abc-json.log"));
        Assert.False(layout.IsInsideRoots("/data/docker/overlay2/l/ABC/diff/etc/shadow"));
        Assert.False(layout.IsInsideRoots("/data/docker/volumes/secret/_data/key"));
    }
}
