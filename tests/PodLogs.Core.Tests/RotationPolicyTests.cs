using PodLogs.Core.Node;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

public sealed class RotationPolicyTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly CollectingReporter _reporter = new();

    public RotationPolicyTests()
    {
        _node.Mkdir(FakeNode.PodLogs);
        _node.Mkdir(FakeNode.Legacy);
    }

    public void Dispose() => _node.Dispose();

    RotationPolicy Load() => RotationPolicy.Load(_node.Layout(), _reporter);

    /// <summary>A layout that reads neither kubelet's config nor daemon.json itself (NodeLayout refuses garbage there: KubeletConfigUnreadable, DockerConfigUnreadable).</summary>
    RotationPolicy LoadPastTheLayout() =>
        RotationPolicy.Load(_node.Layout(new NodeLayoutOptions { PodLogsDirectory = FakeNode.PodLogs, WantsDockerDataRoot = false }), _reporter);

    string Local(string nodePath) => _node.Local(nodePath);

    [Fact]
    public void DefaultsWhenNothingIsConfigured()
    {
        var policy = Load();
        Assert.Equal(10L * 1024 * 1024, policy.Kubelet.MaxSize.Value);
        Assert.Equal(5, policy.Kubelet.MaxFiles.Value);
        Assert.Equal(1, policy.Kubelet.MaxWorkers.Value);
        Assert.Equal(TimeSpan.FromSeconds(10), policy.Kubelet.MonitorInterval.Value);
        Assert.All(new[] { policy.Kubelet.MaxSize.Source, policy.Kubelet.MaxFiles.Source, policy.Kubelet.MaxWorkers.Source, policy.Kubelet.MonitorInterval.Source },
            s => Assert.Equal("default", s));
        var cri = policy.For(RuntimeKind.Cri);
        Assert.Equal(RotationOwner.Kubelet, cri.RotatedBy);
        Assert.Equal(10L * 1024 * 1024, cri.MaxBytes);
        Assert.Equal(5, cri.MaxFiles);
        Assert.Equal("default", cri.MaxBytesSource);
        // Docker without max-size: json-file never rotates, and kubelet does not rotate docker's logs (kubelet-facts.md §5).
        var docker = policy.For(RuntimeKind.Docker);
        Assert.Equal(RotationOwner.Nobody, docker.RotatedBy);
        Assert.Null(docker.MaxBytes);
        Assert.Null(policy.CriOLogSizeMax);
        Assert.Empty(policy.LogrotateRules);
        Assert.Empty(_reporter.Warnings);
    }

    [Fact]
    public void KubeletYamlConfigGivesEachValueItsFile()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml",
            "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncontainerLogMaxSize: 50Mi\ncontainerLogMaxFiles: 3\ncontainerLogMaxWorkers: 4\ncontainerLogMonitorInterval: 30s\n");
        var policy = Load();
        Assert.Equal(new Sourced<long>(50L * 1024 * 1024, "/var/lib/kubelet/config.yaml"), policy.Kubelet.MaxSize);
        Assert.Equal(new Sourced<int>(3, "/var/lib/kubelet/config.yaml"), policy.Kubelet.MaxFiles);
        Assert.Equal(new Sourced<int>(4, "/var/lib/kubelet/config.yaml"), policy.Kubelet.MaxWorkers);
        Assert.Equal(new Sourced<TimeSpan>(TimeSpan.FromSeconds(30), "/var/lib/kubelet/config.yaml"), policy.Kubelet.MonitorInterval);
        var answer = policy.For(RuntimeKind.Cri);
        Assert.Equal((RotationOwner.Kubelet, 50L * 1024 * 1024, 3), (answer.RotatedBy, answer.MaxBytes, answer.MaxFiles));
        Assert.Equal("/var/lib/kubelet/config.yaml", answer.MaxFilesSource);
        Assert.Empty(_reporter.Warnings);
    }

    [Fact]
    public void KubeletJsonConfigWithNumbers()
    {
        _node.WriteFile("/etc/kubernetes/kubelet/kubelet-config.json", "{\"kind\":\"KubeletConfiguration\",\"containerLogMaxSize\":\"100M\",\"containerLogMaxFiles\":7}");
        var policy = Load();
        Assert.Equal(100_000_000L, policy.Kubelet.MaxSize.Value);
        Assert.Equal(new Sourced<int>(7, "/etc/kubernetes/kubelet/kubelet-config.json"), policy.Kubelet.MaxFiles);
    }

    [Fact]
    public void FlagsWinOverTheConfigFile()
    {
        // kubelet-facts.md §11: flags given on the command line override the file (kubeletConfigFlagPrecedence).
        _node.WriteFile("/var/lib/kubelet/config.yaml", "containerLogMaxSize: 50Mi\ncontainerLogMaxFiles: 3\n");
        _node.WriteFile("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--container-log-max-size=1Gi --container-log-max-files 9\"\n");
        var policy = Load();
        Assert.Equal(new Sourced<long>(1L << 30, "--container-log-max-size"), policy.Kubelet.MaxSize);
        Assert.Equal(new Sourced<int>(9, "--container-log-max-files"), policy.Kubelet.MaxFiles);
    }

    [Fact]
    public void ConfigDirDropInsOverrideTheFileAndFlagsOverrideThem()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", "containerLogMaxSize: 50Mi\ncontainerLogMaxFiles: 3\ncontainerLogMaxWorkers: 2\n");
        _node.WriteFile("/etc/kubernetes/kubelet.conf.d/20-size.conf", "containerLogMaxSize: 30Mi\n");
        _node.WriteFile("/etc/kubernetes/kubelet.conf.d/10-size.conf", "containerLogMaxSize: 20Mi\ncontainerLogMaxWorkers: 3\n");
        _node.WriteFile("/etc/kubernetes/kubelet.conf.d/30-ignored.yaml", "containerLogMaxSize: 1Gi\n");
        _node.WriteFile("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--config-dir=/etc/kubernetes/kubelet.conf.d --container-log-max-files=4\"\n");
        var policy = Load();
        Assert.Equal(new Sourced<long>(30L * 1024 * 1024, "/etc/kubernetes/kubelet.conf.d/20-size.conf"), policy.Kubelet.MaxSize);
        Assert.Equal(new Sourced<int>(3, "/etc/kubernetes/kubelet.conf.d/10-size.conf"), policy.Kubelet.MaxWorkers);
        Assert.Equal(new Sourced<int>(4, "--container-log-max-files"), policy.Kubelet.MaxFiles);
        Assert.Empty(_reporter.Warnings);
    }

    [Theory]
    [InlineData("containerLogMaxSize: abc", "containerLogMaxSize 'abc'")]
    [InlineData("containerLogMaxSize: 10MB", "containerLogMaxSize '10MB'")]
    [InlineData("containerLogMaxSize: 99999999999999Ei", "containerLogMaxSize '99999999999999Ei'")]
    [InlineData("containerLogMaxFiles: 1", "containerLogMaxFiles '1'")]
    [InlineData("containerLogMaxFiles: -3", "containerLogMaxFiles '-3'")]
    [InlineData("containerLogMaxFiles: 99999999999", "containerLogMaxFiles '99999999999'")]
    [InlineData("containerLogMaxFiles: many", "containerLogMaxFiles 'many'")]
    [InlineData("containerLogMaxWorkers: 0", "containerLogMaxWorkers '0'")]
    [InlineData("containerLogMonitorInterval: 1s", "containerLogMonitorInterval '1s'")]
    [InlineData("containerLogMonitorInterval: soon", "containerLogMonitorInterval 'soon'")]
    public void HostileKubeletValuesAreWarningsAndTheDefaultStays(string line, string named)
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", line + "\n");
        var policy = Load();
        var warning = Assert.Single(_reporter.Warnings);
        Assert.Contains(named, warning);
        Assert.Contains(Local("/var/lib/kubelet/config.yaml"), warning);
        Assert.Equal(10L * 1024 * 1024, policy.Kubelet.MaxSize.Value);
        Assert.Equal(5, policy.Kubelet.MaxFiles.Value);
        Assert.Equal(RotationOwner.Kubelet, policy.For(RuntimeKind.Cri).RotatedBy);
    }

    [Theory]
    [InlineData("-5Mi")]
    [InlineData("0")]
    public void NegativeOrZeroMaxSizeTurnsKubeletRotationOff(string size)
    {
        // container_log_manager.go NewContainerLogManager: a size <= 0 gives the stub manager (no rotation).
        _node.WriteFile("/var/lib/kubelet/config.yaml", $"containerLogMaxSize: \"{size}\"\n");
        var answer = Load().For(RuntimeKind.Cri);
        Assert.Equal(RotationOwner.Nobody, answer.RotatedBy);
        Assert.Equal("/var/lib/kubelet/config.yaml", answer.RotatedBySource);
        Assert.Null(answer.MaxBytes);
        Assert.Empty(_reporter.Warnings);
    }

    [Theory]
    [InlineData("{{{ not json")]
    [InlineData("containerLogMaxSize: [1, 2\n\tbad: tab\n")]
    [InlineData("[1, 2]")]
    public void GarbageKubeletConfigIsAWarningNamingTheFile(string content)
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", content);
        var policy = LoadPastTheLayout();
        Assert.Contains(_reporter.Warnings, w => w.Contains(Local("/var/lib/kubelet/config.yaml")));
        Assert.True(policy.Kubelet.MaxSize.IsDefault);
    }

    [Fact]
    public void UnreadableFilesAreWarningsNotExceptions()
    {
        _node.Mkdir("/etc/crio");
        _node.Fifo("/etc/crio/crio.conf");
        _node.Mkdir("/etc/logrotate.d");
        _node.WriteBytes("/etc/logrotate.d/huge", new byte[SafeFile.StateFileLimit + 1]);
        _node.WriteFile("/etc/docker/daemon.json", "{\"log-opts\": ");
        var policy = LoadPastTheLayout();
        Assert.Contains(_reporter.Warnings, w => w.Contains(Local("/etc/crio/crio.conf")) && w.Contains("not a regular file"));
        Assert.Contains(_reporter.Warnings, w => w.Contains(Local("/etc/logrotate.d/huge")) && w.Contains("larger than"));
        Assert.Contains(_reporter.Warnings, w => w.Contains(Local("/etc/docker/daemon.json")));
        Assert.Equal(RotationOwner.Nobody, policy.For(RuntimeKind.Docker).RotatedBy);
    }

    [Fact]
    public void DaemonJsonLogOptsAreTheDefaultForContainersWithoutTheirOwn()
    {
        _node.WriteFile("/etc/docker/daemon.json", "{\"log-driver\":\"json-file\",\"log-opts\":{\"max-size\":\"10m\",\"max-file\":\"3\",\"compress\":\"true\"}}");
        var policy = Load();
        Assert.Equal(new Sourced<string>("json-file", "/etc/docker/daemon.json"), policy.Docker.Driver);
        Assert.Equal("true", policy.Docker.Options["compress"]);
        var answer = policy.For(RuntimeKind.Docker);
        Assert.Equal((RotationOwner.Docker, 10L * 1024 * 1024, 3), (answer.RotatedBy, answer.MaxBytes, answer.MaxFiles));
        Assert.Equal("/etc/docker/daemon.json", answer.MaxBytesSource);
        Assert.Equal("/etc/docker/daemon.json", answer.MaxFilesSource);
    }

    [Fact]
    public void HostconfigLogConfigOverridesDaemonJsonPerContainer()
    {
        _node.WriteFile("/etc/docker/daemon.json", "{\"log-opts\":{\"max-size\":\"10m\",\"max-file\":\"3\"}}");
        var own = _node.Healthy(new FakeContainer("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("own")));
        var plain = _node.Healthy(new FakeContainer("default", "web", FakeNode.Uid1, "side", 0, FakeNode.Id("plain")));
        var journald = _node.Healthy(new FakeContainer("default", "web", FakeNode.Uid1, "jd", 0, FakeNode.Id("journald")) { LogDriver = "journald", WriteJsonLog = false });
        _node.WriteFile($"{own.StateDirectory}/hostconfig.json", "{\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"5m\",\"max-file\":\"2\",\"compress\":\"true\"}}}");
        var layout = _node.Layout();
        var snapshot = new DockerFileSource().Read(layout, _reporter, CancellationToken.None)!;
        var policy = RotationPolicy.Load(layout, _reporter);

        var ownContainer = snapshot.Containers.Single(c => c.Id == own.Id);
        Assert.Equal("5m", ownContainer.LogOptions!["max-size"]);
        var ownAnswer = policy.For(RuntimeKind.Docker, ownContainer);
        Assert.Equal((RotationOwner.Docker, 5L * 1024 * 1024, 2), (ownAnswer.RotatedBy, ownAnswer.MaxBytes, ownAnswer.MaxFiles));
        Assert.Equal($"{own.StateDirectory}/hostconfig.json", ownAnswer.MaxBytesSource);   // a node path, as every source
        // A source that did not read the options (the Docker API's list-only fast path): the same file, read by the policy.
        Assert.Equal(ownAnswer, policy.For(RuntimeKind.Docker, ownContainer with { LogOptions = null, StatePath = "docker container " + own.Id }));

        // Its hostconfig.json holds the options dockerd merged when it was created: none, so docker does not rotate it
        // (daemon.json's log-opts apply to containers created after).
        var plainAnswer = policy.For(RuntimeKind.Docker, snapshot.Containers.Single(c => c.Id == plain.Id));
        Assert.Equal(RotationOwner.Nobody, plainAnswer.RotatedBy);

        var journaldAnswer = policy.For(RuntimeKind.Docker, snapshot.Containers.Single(c => c.Id == journald.Id));
        Assert.Equal(RotationOwner.Nobody, journaldAnswer.RotatedBy);
        Assert.Empty(_reporter.Warnings);
    }

    [Theory]
    [InlineData("-1", "max-size '-1'")]
    [InlineData("huge", "max-size 'huge'")]
    public void HostileDockerOptionsAreWarnedOnce(string size, string named)
    {
        var policy = Load();
        var options = new Dictionary<string, string> { ["max-size"] = size, ["max-file"] = "-2" };
        var first = policy.For(RuntimeKind.Docker, "json-file", options, "/var/lib/docker/containers/x/hostconfig.json");
        policy.For(RuntimeKind.Docker, "json-file", options, "/var/lib/docker/containers/x/hostconfig.json");
        Assert.Equal(RotationOwner.Nobody, first.RotatedBy);
        Assert.Equal(2, _reporter.Warnings.Count);
        Assert.Contains(_reporter.Warnings, w => w.Contains(named));
        Assert.Contains(_reporter.Warnings, w => w.Contains("max-file '-2'"));
    }

    [Fact]
    public void LocalDriverRotatesByDefault()
    {
        var answer = Load().For(RuntimeKind.Docker, "local", new Dictionary<string, string>(), "/h.json");
        Assert.Equal((RotationOwner.Docker, 20L * 1024 * 1024, 5), (answer.RotatedBy, answer.MaxBytes, answer.MaxFiles));
    }

    [Fact]
    public void CrioDropInsOverrideInLexicalOrder()
    {
        _node.WriteFile("/etc/crio/crio.conf", "[crio]\nroot = \"/var/lib/containers\"\n[crio.runtime]\n# log_size_max = 1\nlog_size_max = 1048576\n");
        _node.WriteFile("/etc/crio/crio.conf.d/20-b.conf", "[crio.runtime]\nlog_size_max = 4194304 # four MiB\n");
        _node.WriteFile("/etc/crio/crio.conf.d/10-a.conf", "[crio.runtime]\nlog_size_max = 2097152\n");
        _node.WriteFile("/etc/crio/crio.conf.d/30-other.conf", "[crio.image]\nlog_size_max = 9\n");
        var policy = Load();
        Assert.True(policy.IsCriONode);
        Assert.Equal(new Sourced<long>(4194304, "/etc/crio/crio.conf.d/20-b.conf"), policy.CriOLogSizeMax);
        var answer = policy.For(RuntimeKind.Cri);
        Assert.Equal((RotationOwner.CriO, 4194304L, 1), (answer.RotatedBy, answer.MaxBytes, answer.MaxFiles));
        policy.For(RuntimeKind.Cri);
        var warning = Assert.Single(_reporter.Warnings);
        Assert.Contains(Local("/etc/crio/crio.conf.d/20-b.conf"), warning);
        Assert.Contains("kubelet's defaults", warning);
    }

    [Theory]
    [InlineData("log_size_max = lots", "not an integer")]
    [InlineData("log_size_max = 100", "below 8192")]
    public void HostileCrioValuesAreIgnoredWithAWarning(string line, string why)
    {
        _node.WriteFile("/etc/crio/crio.conf", "[crio.runtime]\nlog_size_max = 2097152\n");
        _node.WriteFile("/etc/crio/crio.conf.d/99-bad.conf", "[crio.runtime]\n" + line + "\n");
        var policy = Load();
        Assert.Equal(new Sourced<long>(2097152, "/etc/crio/crio.conf"), policy.CriOLogSizeMax);
        Assert.Contains(_reporter.Warnings, w => w.Contains(Local("/etc/crio/crio.conf.d/99-bad.conf")) && w.Contains(why));
    }

    [Fact]
    public void CrioOffByDefaultLeavesKubeletTheOwner()
    {
        _node.WriteFile("/etc/crio/crio.conf", "[crio.runtime]\nlog_size_max = -1\n");
        var answer = Load().For(RuntimeKind.Cri);
        Assert.Equal(RotationOwner.Kubelet, answer.RotatedBy);
        Assert.Empty(_reporter.Warnings);
    }

    [Fact]
    public void LogrotateRulesOverTheLogRootsAreFoundOthersAreNot()
    {
        _node.WriteFile("/etc/logrotate.conf", "weekly\nrotate 4\ninclude /etc/logrotate.d\n/var/log/wtmp {\n monthly\n}\n");
        _node.WriteFile("/etc/logrotate.d/pods", "/var/log/pods/*/*/*.log {\n    size 50M\n    copytruncate\n    postrotate\n      echo } done\n    endscript\n}\n");
        _node.WriteFile("/etc/logrotate.d/links", "\"/var/log/containers/*.log\" /var/log/other.log { daily }\n");
        _node.WriteFile("/etc/logrotate.d/shallow", "/var/log/pods/*.log /var/log/*.log /var/log/syslog {\n rotate 2\n}\n");
        _node.WriteFile("/etc/logrotate.d/pods.dpkg-old", "/var/log/pods/*/*/*.log { rotate 1 }\n");
        var policy = Load();
        Assert.Equal(2, policy.LogrotateRules.Count);
        var pods = policy.LogrotateRules.Single(r => r.File == "/etc/logrotate.d/pods");
        Assert.Equal(["/var/log/pods"], pods.CoveredRoots);
        Assert.Equal((50L * 1024 * 1024, 4, true), (pods.SizeBytes, pods.Rotate, pods.CopyTruncate));
        var links = policy.LogrotateRules.Single(r => r.File == "/etc/logrotate.d/links");
        Assert.Equal(["/var/log/containers"], links.CoveredRoots);
        Assert.Equal(["/var/log/containers/*.log", "/var/log/other.log"], links.Paths);
        Assert.False(links.CopyTruncate);
        Assert.Empty(_reporter.Warnings);
    }

    [Fact]
    public void CopytruncateOverKubeletsDirectoryIsOneWarningNamingBothFiles()
    {
        _node.WriteFile("/var/lib/kubelet/config.yaml", "containerLogMaxSize: 20Mi\n");
        _node.WriteFile("/etc/logrotate.d/pods", "/var/log/pods/*/*/*.log {\n rotate 3\n copytruncate\n}\n");
        var policy = Load();
        var first = policy.For(RuntimeKind.Cri);
        policy.For(RuntimeKind.Cri);
        Assert.Equal(RotationOwner.Kubelet, first.RotatedBy);
        Assert.Equal("/etc/logrotate.d/pods", Assert.Single(first.ConflictingRules).File);
        var warning = Assert.Single(_reporter.Warnings);
        Assert.Contains(Local("/etc/logrotate.d/pods"), warning);
        Assert.Contains(Local("/var/lib/kubelet/config.yaml"), warning);
        Assert.Contains("copytruncate", warning);
    }

    [Fact]
    public void ALogrotateRuleOverDockersContainersIsOneWarningForAllContainers()
    {
        _node.WriteFile("/etc/logrotate.d/docker", "/var/lib/docker/containers/*/*.log {\n rotate 2\n}\n");
        var policy = Load();
        var options = new Dictionary<string, string> { ["max-size"] = "10m" };
        for (var i = 0; i < 3; i++)
        {
            var answer = policy.For(RuntimeKind.Docker, "json-file", options, $"/var/lib/docker/containers/{i}/hostconfig.json");
            Assert.Equal(RotationOwner.Docker, answer.RotatedBy);
            Assert.Single(answer.ConflictingRules);
        }
        var warning = Assert.Single(_reporter.Warnings);
        Assert.Contains(Local("/etc/logrotate.d/docker"), warning);
        Assert.Contains(Local("/var/lib/docker/containers/0/hostconfig.json"), warning);
    }

    [Fact]
    public void LogrotateOwnsWhatNobodyElseRotates()
    {
        _node.WriteFile("/etc/logrotate.d/docker", "/var/lib/docker/containers/*/*.log {\n size 100k\n rotate 2\n}\n");
        var policy = Load();
        var answer = policy.For(RuntimeKind.Docker, "json-file", new Dictionary<string, string>(), "/h.json");
        Assert.Equal((RotationOwner.Logrotate, 102400L, 3), (answer.RotatedBy, answer.MaxBytes, answer.MaxFiles));
        Assert.Equal("/etc/logrotate.d/docker", answer.MaxBytesSource);
        // The same rule does not cover a CRI node's logs, which kubelet rotates.
        var cri = policy.For(RuntimeKind.Cri);
        Assert.Equal(RotationOwner.Kubelet, cri.RotatedBy);
        Assert.Empty(cri.ConflictingRules);
        Assert.Empty(_reporter.Warnings);
    }

    [Fact]
    public void BrokenLogrotateLinesAreWarnings()
    {
        _node.WriteFile("/etc/logrotate.d/pods", "/var/log/pods/*/*/*.log {\n rotate many\n size -5\n");
        var policy = Load();
        Assert.Contains(_reporter.Warnings, w => w.Contains(Local("/etc/logrotate.d/pods")) && w.Contains("not a count"));
        Assert.Contains(_reporter.Warnings, w => w.Contains("not a size"));
        Assert.Contains(_reporter.Warnings, w => w.Contains("never closed"));
        Assert.Empty(policy.LogrotateRules);
    }

    [Fact]
    public void LinkedEtcIsReadUnderTheRoot()
    {
        // <root>/etc -> /node-etc: the host's own /node-etc does not exist, so only a resolution under -Root finds the files.
        _node.WriteFile("/node-etc/logrotate.d/pods", "/var/log/pods/*/*/*.log { copytruncate }\n");
        _node.WriteFile("/node-etc/crio/crio.conf", "[crio.runtime]\nlog_size_max = 65536\n");
        _node.WriteFile("/node-etc/docker/daemon.json", "{\"log-opts\":{\"max-size\":\"1m\"}}");
        _node.Link("/etc", "/node-etc");
        var policy = Load();
        Assert.Single(policy.LogrotateRules);
        Assert.Equal(65536, policy.CriOLogSizeMax!.Value);
        Assert.Equal(1024L * 1024, policy.For(RuntimeKind.Docker).MaxBytes);
    }

    [Fact]
    public void LogrotateGlobsCoverLinkedLogRootsByEitherSpelling()
    {
        _node.Healthy(new FakeContainer("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("a")));
        using var linked = new LinkedLogRoots(_node);
        linked.LinkAway(decoyBytes: 10);
        _node.WriteFile("/etc/logrotate.d/real", $"{linked.Outside}/pods/*/*/*.log {{ rotate 1 }}\n");
        var policy = Load();
        Assert.Equal(["/var/log/pods"], Assert.Single(policy.LogrotateRules).CoveredRoots);
    }

    [Theory]
    [InlineData("*", "pods", true)]
    [InlineData("p?ds", "pods", true)]
    [InlineData("[op]ods", "pods", true)]
    [InlineData("[!p]ods", "pods", false)]
    [InlineData("[a-z]*", "pods", true)]
    [InlineData("*.log", "pods", false)]
    [InlineData("*", ".hidden", false)]
    [InlineData("po\\ds", "pods", true)]
    [InlineData("pods*", "pods", true)]
    public void GlobMatch(string pattern, string name, bool matches) => Assert.Equal(matches, LogrotateConfig.GlobMatch(pattern, name));

    [Theory]
    [InlineData("/var/log/pods/*/*/*.log", "/var/log/pods", 3, true)]
    [InlineData("/var/log/*/*/*/*.log", "/var/log/pods", 3, true)]
    [InlineData("/var/log/containers/*.log", "/var/log/containers", 1, true)]
    [InlineData("/var/log/pods/*.log", "/var/log/pods", 3, false)]
    [InlineData("/var/log/*.log", "/var/log/containers", 1, false)]
    [InlineData("relative/*.log", "/var/log/containers", 1, false)]
    public void Covers(string glob, string root, int depth, bool covers) => Assert.Equal(covers, LogrotateConfig.Covers(glob, root, depth));
}
