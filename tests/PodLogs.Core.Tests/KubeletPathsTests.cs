using System.Text;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>Kubelet's path rules (helpers.go, legacy.go), docker's naming and name validation.</summary>
public class KubeletPathsTests
{
    const string Uid = FakeNode.Uid1;
    static readonly string Id = FakeNode.Id("container");

    [Fact]
    public void BuildPodLogsDirectory_joins_namespace_pod_and_uid_with_underscores()
    {
        Assert.Equal("/var/log/pods/default_stakater-reloader-598f958967-ddkl7_2681cb7f-daa4-4620-bb60-1d449709181c",
            KubeletPaths.BuildPodLogsDirectory("/var/log/pods", "default", "stakater-reloader-598f958967-ddkl7", Uid));
        Assert.Equal("/data/pods/kube-system_etcd-node-1_" + FakeNode.StaticUid,
            KubeletPaths.BuildPodLogsDirectory("/data/pods/", "kube-system", "etcd-node-1", FakeNode.StaticUid));
    }

    [Fact]
    public void BuildContainerLogsPath_is_container_slash_restart_count_dot_log()
    {
        Assert.Equal("stakater-reloader/7.log", KubeletPaths.BuildContainerLogsPath("stakater-reloader", 7));
        Assert.Equal("c/0.log", KubeletPaths.BuildContainerLogsPath("c", 0));
        Assert.Equal("/var/log/pods/ns_pod_" + Uid + "/istio-proxy/4.log",
            KubeletPaths.BuildContainerLogFile("/var/log/pods", "ns", "pod", Uid, "istio-proxy", 4));
    }

    [Fact]
    public void Legacy_link_is_pod_namespace_container_dash_id_in_var_log_containers()
    {
        Assert.Equal($"/var/log/containers/stakater-reloader-598f958967-ddkl7_default_stakater-reloader-{Id}.log",
            KubeletPaths.LegacyLinkPath(KubeletPaths.DefaultContainerLogsDirectory, "stakater-reloader-598f958967-ddkl7", "default", "stakater-reloader", Id));
        Assert.False(KubeletPaths.IsLegacyLinkNameCut("stakater-reloader-598f958967-ddkl7", "default", "stakater-reloader", Id));
    }

    // stem = <pod>_default_c-<64 hex>: 75 bytes besides the pod name.
    [Theory]
    [InlineData(250, false)]
    [InlineData(251, false)]
    [InlineData(252, true)]
    public void Legacy_link_name_keeps_only_the_first_251_bytes_of_the_stem(int stemBytes, bool cut)
    {
        var pod = PodNameOfLength(stemBytes - 75);
        var stem = $"{pod}_default_c-{Id}";
        Assert.Equal(stemBytes, Encoding.UTF8.GetByteCount(stem));

        var name = KubeletPaths.LegacyLinkName(pod, "default", "c", Id);

        Assert.Equal((cut ? stem[..251] : stem) + ".log", name);
        Assert.Equal(Math.Min(stemBytes, 251) + 4, Encoding.UTF8.GetByteCount(name));
        Assert.Equal(cut, KubeletPaths.IsLegacyLinkNameCut(pod, "default", "c", Id));
        Assert.False(KubeletPaths.LegacyLinkNameLosesWholeId(pod, "default", "c"));
        if (cut) Assert.EndsWith("-" + Id[..^1] + ".log", name);
    }

    [Theory]
    [InlineData(250)]
    [InlineData(251)]
    public void Legacy_names_up_to_the_limit_parse_back_whole(int stemBytes)
    {
        var pod = PodNameOfLength(stemBytes - 75);
        Assert.True(KubeletPaths.TryParseLegacyLinkName(KubeletPaths.LegacyLinkName(pod, "default", "c", Id), out var parsed));
        Assert.False(parsed.IsCut);
        Assert.Equal(pod, parsed.PodName);
        Assert.Equal("default", parsed.Namespace);
        Assert.Equal("c", parsed.ContainerName);
        Assert.Equal(Id, parsed.ContainerIdPart);
    }

    [Fact]
    public void A_cut_legacy_name_parses_as_cut_without_guessing_the_container()
    {
        var pod = PodNameOfLength(177);
        Assert.True(KubeletPaths.TryParseLegacyLinkName(KubeletPaths.LegacyLinkName(pod, "default", "c", Id), out var parsed));
        Assert.True(parsed.IsCut);
        Assert.Equal(pod, parsed.PodName);
        Assert.Equal("default", parsed.Namespace);
        Assert.Null(parsed.ContainerName);
        Assert.Equal(Id[..63], parsed.ContainerIdPart); // what getContainerIDFromLegacyLogSymlink reads back
        Assert.True(KubeletPaths.LegacyLinkNameMatches(KubeletPaths.LegacyLinkName(pod, "default", "c", Id), pod, "default", "c", Id));
        Assert.False(KubeletPaths.LegacyLinkNameMatches(KubeletPaths.LegacyLinkName(pod, "default", "c", Id), pod, "default", "c", FakeNode.Id("other")));
    }

    // kubelet's getContainerIDFromLegacyLogSymlink (pkg/kubelet/kuberuntime/legacy.go) returns what follows the last
    // '-' before ".log", and refuses it under 6 characters ("container can be retrieved with container Id as short as 6").
    [Theory]
    [InlineData(234, 6)]
    [InlineData(235, 5)]
    [InlineData(200, 40)]
    public void A_cut_name_keeps_the_id_prefix_kubelet_reads_back(int podLength, int kept)
    {
        var pod = PodNameOfLength(podLength);
        var name = KubeletPaths.LegacyLinkName(pod, "default", "c", Id);
        Assert.EndsWith("-" + Id[..kept] + ".log", name);
        Assert.True(KubeletPaths.TryParseLegacyLinkName(name, out var parsed));
        Assert.True(parsed.IsCut);
        Assert.Equal(kept >= 6 ? Id[..kept] : "", parsed.ContainerIdPart);
    }

    [Fact]
    public void A_name_that_loses_the_whole_id_is_the_same_for_every_instance()
    {
        // "<pod>_default_c-" is exactly 251 bytes: the cut lands right after the dash.
        var pod = PodNameOfLength(240);
        var first = KubeletPaths.LegacyLinkName(pod, "default", "c", FakeNode.Id("instance 0"));
        var second = KubeletPaths.LegacyLinkName(pod, "default", "c", FakeNode.Id("instance 1"));

        Assert.True(KubeletPaths.LegacyLinkNameLosesWholeId(pod, "default", "c"));
        Assert.Equal($"{pod}_default_c-.log", first);
        Assert.Equal(first, second);
        Assert.True(KubeletPaths.TryParseLegacyLinkName(first, out var parsed));
        Assert.True(parsed.IsCut);
        Assert.Equal("", parsed.ContainerIdPart);

        // One byte shorter: the first hex digit of the id survives and tells instances apart.
        var shorter = PodNameOfLength(239);
        Assert.False(KubeletPaths.LegacyLinkNameLosesWholeId(shorter, "default", "c"));
        Assert.NotEqual(KubeletPaths.LegacyLinkName(shorter, "default", "c", new string('a', 64)),
            KubeletPaths.LegacyLinkName(shorter, "default", "c", new string('b', 64)));
    }

    [Theory]
    [InlineData("web-0_prod-eu_side-car-proxy-{id}.log", "web-0", "prod-eu", "side-car-proxy")]
    [InlineData("my.dotted.pod_default_c-{id}.log", "my.dotted.pod", "default", "c")]
    [InlineData("a_b_c-d-e-f-{id}.log", "a", "b", "c-d-e-f")]
    public void Legacy_names_are_read_back_from_the_right(string template, string pod, string ns, string container)
    {
        Assert.True(KubeletPaths.TryParseLegacyLinkName(template.Replace("{id}", Id), out var parsed));
        Assert.Equal((pod, ns, container, Id, false), (parsed.PodName, parsed.Namespace, parsed.ContainerName, parsed.ContainerIdPart, parsed.IsCut));
    }

    [Theory]
    [InlineData("web-0_default_c-{id}")]            // no .log
    [InlineData("web-0_default_c-{id}.log.1")]
    [InlineData("web-0_default_c-abcdef.log")]      // short id in a short name: not cut, not kubelet's
    [InlineData("web-0_default_c_x-{id}.log")]      // '_' in the container part
    [InlineData("web-0_default-{id}.log")]          // one '_'
    [InlineData("Web_default_c-{id}.log")]
    [InlineData("notes.log")]
    public void Names_kubelet_would_not_make_do_not_parse(string template) =>
        Assert.False(KubeletPaths.TryParseLegacyLinkName(template.Replace("{id}", Id), out _));

    // kubelet's cleanupUnusedLogs / isInUse (pkg/kubelet/logs/container_log_manager.go): "All temporary files are not
    // in use", "All compressed logs are in use", "Files has already been compressed are not in use".
    [Theory]
    [InlineData("0.log.20261126-091500.tmp", true)]
    [InlineData("0.log.20261126-091500.gz.tmp", true)]
    [InlineData("0.log.20261126-091500", true)]       // its .gz is in the list
    [InlineData("0.log.20261126-091500.gz", false)]
    [InlineData("0.log.20261126-101500", false)]      // the newest rotated file stays plain
    public void Leftovers_of_an_interrupted_rotation_follow_kubelets_cleanup_rule(string name, bool leftover)
    {
        string[] siblings = ["0.log.20261126-091500", "0.log.20261126-091500.gz", "0.log.20261126-091500.tmp", "0.log.20261126-091500.gz.tmp", "0.log.20261126-101500"];
        Assert.Equal(leftover, KubeletPaths.IsLeftoverRotatedFile(name, siblings));
        var (rotated, left) = KubeletPaths.SplitRotatedSiblings(siblings);
        Assert.Equal(["0.log.20261126-091500.gz", "0.log.20261126-101500"], rotated);
        Assert.Equal(["0.log.20261126-091500", "0.log.20261126-091500.tmp", "0.log.20261126-091500.gz.tmp"], left);
    }

    [Theory]
    [InlineData("default_web-0_" + Uid, "default", "web-0", Uid)]
    [InlineData("kube-system_kube-apiserver-node-1_" + FakeNode.StaticUid, "kube-system", "kube-apiserver-node-1", FakeNode.StaticUid)]
    [InlineData("ns_a.b.c_" + Uid, "ns", "a.b.c", Uid)]
    // A static pod whose manifest sets metadata.uid keeps it (pkg/kubelet/config/common.go applyDefaults hashes only
    // an empty uid), and parsePodUIDFromLogsDirectory (kuberuntime_gc.go) takes whatever follows the last '_'.
    [InlineData("default_web-0_not-a-uid", "default", "web-0", "not-a-uid")]
    [InlineData("kube-system_static-web-node-1_My.Static.UID", "kube-system", "static-web-node-1", "My.Static.UID")]
    [InlineData("default_web-0_3C0F2A5B8E7D4C1F9A6B5E4D3C2B1A09", "default", "web-0", "3C0F2A5B8E7D4C1F9A6B5E4D3C2B1A09")]
    public void Pod_directory_names_parse_with_uuid_or_static_pod_hash(string name, string ns, string pod, string uid)
    {
        Assert.True(KubeletPaths.TryParsePodDirectoryName(name, out var parsed));
        Assert.Equal(new PodDirectoryName(ns, pod, uid), parsed);
    }

    [Theory]
    [InlineData(Uid)]                                   // 1.10–1.13: a bare uid
    [InlineData("default_web-0")]
    [InlineData("default_web_0_" + Uid)]
    [InlineData("Default_web-0_" + Uid)]
    [InlineData("default_web-0_")]                    // no uid
    [InlineData("default_web-0_.")]
    [InlineData("default_web-0_..")]
    [InlineData("default_web-0_a\tb")]                // a control character
    [InlineData(".podlogs-0123.lnk")]
    public void Other_directory_names_are_not_current_layout_pod_directories(string name) =>
        Assert.False(KubeletPaths.TryParsePodDirectoryName(name, out _));

    [Theory]
    [InlineData(Uid, true)]
    [InlineData(FakeNode.StaticUid, true)]
    [InlineData("my-static-uid", true)]
    [InlineData("Static.UID 1", true)]
    [InlineData("", false)]
    [InlineData(".", false)]
    [InlineData("..", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData("a_b", false)]
    [InlineData("a\nb", false)]
    public void A_uid_kubelet_wrote_is_any_safe_name_part(string uid, bool safe)
    {
        Assert.Equal(safe, KubernetesNames.IsPodUidPart(uid));
        Assert.False(KubernetesNames.IsPodUidPart(new string('a', 254)));
    }

    [Fact]
    public void Pod_directory_names_over_255_bytes_are_detected()
    {
        // "default_" + pod + "_" + 36-char uid: 45 bytes besides the pod name.
        Assert.False(KubeletPaths.IsPodDirectoryNameTooLong("default", PodNameOfLength(210), Uid));
        Assert.Equal(255, KubeletPaths.PodDirectoryName("default", PodNameOfLength(210), Uid).Length);
        Assert.True(KubeletPaths.IsPodDirectoryNameTooLong("default", PodNameOfLength(211), Uid));
        Assert.True(KubeletPaths.IsPodDirectoryNameTooLong(new string('n', 63), PodNameOfLength(253), Uid));
    }

    [Theory]
    [InlineData("0.log", 0, null)]
    [InlineData("7.log", 7, null)]
    [InlineData("123456789.log", 123456789, null)]
    [InlineData("3.log.20261126-091500", 3, "20261126-091500")]
    [InlineData("3.log.20261126-091500.gz", 3, "20261126-091500.gz")]
    [InlineData("3.log.20261126-091500.tmp", 3, "20261126-091500.tmp")]
    public void Container_log_files_and_rotated_siblings_belong_to_their_restart_count(string name, int n, string? suffix)
    {
        Assert.True(KubeletPaths.TryParseContainerLogFileName(name, out var parsed));
        Assert.Equal(n, parsed.RestartCount);
        Assert.Equal(suffix, parsed.RotationSuffix);
        Assert.Equal(suffix is null, parsed.IsLive);
    }

    [Theory]
    [InlineData("log")]
    [InlineData(".log")]
    [InlineData("a.log")]
    [InlineData("-1.log")]
    [InlineData("0.logx")]
    [InlineData("0.log.")]
    [InlineData("0.txt")]
    [InlineData("1234567890.log")]
    [InlineData(".podlogs-0a1b2c3d4e5f6a7b.lnk")]
    public void Other_file_names_are_not_container_logs(string name) =>
        Assert.False(KubeletPaths.TryParseContainerLogFileName(name, out _));

    [Theory]
    [InlineData("nginx_0.log", "nginx", 0)]
    [InlineData("istio-proxy_12.log", "istio-proxy", 12)]
    public void The_1_5_layout_names_files_container_underscore_restart_count(string name, string container, int n)
    {
        Assert.True(KubeletPaths.TryParseUidFlatFileName(name, out var c, out var r));
        Assert.Equal((container, n), (c, r));
    }

    [Theory]
    [InlineData("nginx.log")]
    [InlineData("nginx_x.log")]
    [InlineData("nginx_-1.log")]
    [InlineData("a_b_2.log")]
    [InlineData("_2.log")]
    [InlineData("nginx_2.log.gz")]
    public void Other_names_are_not_1_5_layout_files(string name) =>
        Assert.False(KubeletPaths.TryParseUidFlatFileName(name, out _, out _));

    [Theory]
    [InlineData("/k8s_nginx_web-1_default_" + Uid + "_2")]
    [InlineData("k8s_nginx_web-1_default_" + Uid + "_2")]
    [InlineData("/k8s_nginx_web-1_default_" + Uid + "_2_1a2b3c4d")]
    public void Docker_names_carry_the_identity_and_attempt_with_or_without_the_random_suffix(string name)
    {
        Assert.True(DockershimNames.TryParseContainerName(name, out var parsed));
        Assert.Equal(new DockerContainerName("nginx", "web-1", "default", Uid, 2), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/nginx")]
    [InlineData("/k8s_nginx_web-1_default_" + Uid)]
    [InlineData("/k8s_nginx_web-1_default_" + Uid + "_2_1a2b3c4d_extra")]
    [InlineData("/k9s_nginx_web-1_default_" + Uid + "_2")]
    [InlineData("/k8s_nginx_web-1_default_" + Uid + "_x")]
    [InlineData("/k8s_nginx_web-1_default_" + Uid + "_-1")]
    [InlineData("/k8s_nginx_web-1_default_" + Uid + "_+1")]
    public void Other_docker_names_are_not_kubelets(string? name) =>
        Assert.False(DockershimNames.TryParseContainerName(name, out _));

    [Fact]
    public void The_json_log_path_names_its_container()
    {
        var path = DockershimNames.JsonLogPath("/var/lib/docker", Id);
        Assert.Equal($"/var/lib/docker/containers/{Id}/{Id}-json.log", path);
        Assert.Equal(Id, DockershimNames.ContainerIdFromJsonLogPath("/var/lib/docker", path));
        Assert.Null(DockershimNames.ContainerIdFromJsonLogPath("/data/docker", path));
        Assert.Null(DockershimNames.ContainerIdFromJsonLogPath("/var/lib/docker", path + ".1"));
        Assert.Null(DockershimNames.ContainerIdFromJsonLogPath("/var/lib/docker", $"/var/lib/docker/containers/{Id}/{FakeNode.Id("other")}-json.log"));
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("0abc", true)]
    [InlineData("side-car-proxy", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)] // 63
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)] // 64
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("Nginx", false)]
    [InlineData("a_b", false)]
    [InlineData("a.b", false)]
    [InlineData("a b", false)]
    [InlineData("../x", false)]
    public void Namespaces_and_container_names_are_dns_1123_labels(string? value, bool valid) =>
        Assert.Equal(valid, KubernetesNames.IsDns1123Label(value));

    [Theory]
    [InlineData("web-0", true)]
    [InlineData("a.b-c.d", true)]
    [InlineData("", false)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a..b", false)]
    [InlineData("a.-b", false)]
    [InlineData("a-.b", false)]
    [InlineData("A", false)]
    [InlineData("a_b", false)]
    [InlineData("a/b", false)]
    public void Pod_names_are_dns_1123_subdomains(string value, bool valid) =>
        Assert.Equal(valid, KubernetesNames.IsDns1123Subdomain(value));

    [Fact]
    public void Pod_names_are_at_most_253_characters()
    {
        Assert.True(KubernetesNames.IsDns1123Subdomain(PodNameOfLength(253)));
        Assert.False(KubernetesNames.IsDns1123Subdomain(PodNameOfLength(254)));
    }

    [Theory]
    [InlineData(Uid, true, false)]
    [InlineData(FakeNode.StaticUid, false, true)]
    [InlineData("2681CB7F-DAA4-4620-BB60-1D449709181C", false, false)]
    [InlineData("2681cb7fdaa4-4620-bb60-1d449709181c-", false, false)]
    [InlineData("2681cb7f-daa4-4620-bb60-1d449709181", false, false)]
    [InlineData("2681cb7f-daa4-4620-bb60-1d449709181g", false, false)]
    [InlineData("3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a0", false, false)]
    [InlineData("3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a0z", false, false)]
    [InlineData("", false, false)]
    public void Pod_uids_are_uuids_or_static_pod_hashes(string value, bool uuid, bool staticPod)
    {
        Assert.Equal(uuid, KubernetesNames.IsUuid(value));
        Assert.Equal(staticPod, KubernetesNames.IsStaticPodUid(value));
        Assert.Equal(uuid || staticPod, KubernetesNames.IsPodUid(value));
    }

    [Fact]
    public void Container_ids_are_64_lowercase_hex()
    {
        Assert.True(KubernetesNames.IsContainerId(Id));
        Assert.False(KubernetesNames.IsContainerId(Id.ToUpperInvariant()));
        Assert.False(KubernetesNames.IsContainerId(Id[..63]));
        Assert.False(KubernetesNames.IsContainerId(Id + "0"));
        Assert.False(KubernetesNames.IsContainerId("docker://" + Id));
    }

    [Theory]
    [InlineData("docker://C73E273F", "c73e273f")]
    [InlineData("containerd://c73e273fd288", "c73e273fd288")]
    [InlineData("cri-o://c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332", "c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332")]
    [InlineData("  c73e  ", "c73e")]
    [InlineData("c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332", "c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332")]
    [InlineData("docker://", null)]
    [InlineData("xyz", null)]
    [InlineData("c73e-273f", null)]
    [InlineData("c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce9023423320", null)]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Container_id_prefixes_are_normalised(string? input, string? expected) =>
        Assert.Equal(expected, KubernetesNames.NormalizeContainerIdPrefix(input));

    /// <summary>A valid pod name of exactly <paramref name="length"/> ASCII bytes, in dotted labels like generated names.</summary>
    internal static string PodNameOfLength(int length)
    {
        var sb = new StringBuilder();
        while (sb.Length < length) sb.Append(sb.Length % 50 == 49 && sb.Length + 1 < length ? '.' : (char)('a' + sb.Length % 26));
        var s = sb.ToString();
        Assert.True(KubernetesNames.IsDns1123Subdomain(s) || length > 253, s);
        return s;
    }

    [Theory]
    [InlineData("/var/log/containers", "/var/log/containers/web-0_default_nginx-" + "abc.log", true)]
    [InlineData("/var/log/containers", "/var/log/containers/.log", true)]
    [InlineData("/var/log/containers", "/var/log/containers/web-0_default_nginx-abc.txt", false)]
    [InlineData("/var/log/containers", "/var/log/containers/sub/web-0_default_nginx-abc.log", false)]
    [InlineData("/var/log/containers", "/var/log/pods/web-0_default_nginx-abc.log", false)]
    [InlineData("/var/log/containers", "/var/log/containers", false)]
    [InlineData("/data/links", "/data/links/x.log", true)]
    public void A_legacy_link_is_a_log_file_name_directly_in_the_legacy_links_directory(string directory, string nodePath, bool expected) =>
        Assert.Equal(expected, KubeletPaths.IsLegacyLinkPath(directory, nodePath));
}
