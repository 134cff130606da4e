using k8s;
using k8s.Models;

namespace PodLogs.Runtime.Tests.Deploy;

/// <summary>
/// deploy/kubernetes (issue #14 item 3) loaded with KubernetesClient's YAML loader into typed objects, and the safety
/// properties of fleet-conventions.md asserted on them: read-only by default, repair writes /var/log only, least RBAC.
/// </summary>
public class ManifestTests
{
    static readonly string Directory = Path.Combine(Harness.Repository.Root, "deploy", "kubernetes");
    const string TextfileDirectory = "/var/lib/node-exporter/textfile";

    static List<object> Load(string file) => KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Directory, file)));

    static T Single<T>(string file) => Assert.Single(Load(file).OfType<T>());

    static V1DaemonSet Check => Single<V1DaemonSet>("daemonset.yaml");
    static V1DaemonSet Repair => Single<V1DaemonSet>("daemonset-repair.yaml");

    static readonly string[] DaemonSetFiles = ["daemonset.yaml", "daemonset-repair.yaml"];
    public static TheoryData<string> DaemonSets => new(DaemonSetFiles);

    [Fact]
    public void EveryManifestLoadsIntoItsTypedObjects()
    {
        var kinds = System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), f => Load(Path.GetFileName(f)).Select(o => o.GetType().Name).ToArray());
        Assert.Equal(new Dictionary<string, string[]>
        {
            ["daemonset-repair.yaml"] = ["V1DaemonSet"],
            ["daemonset.yaml"] = ["V1DaemonSet"],
            ["namespace.yaml"] = ["V1Namespace"],
            ["rbac.yaml"] = ["V1ServiceAccount", "V1ClusterRole", "V1ClusterRoleBinding"],
        }, kinds);
    }

    [Fact]
    public void TheNamespaceAllowsHostPathAndHostPid()
    {
        var ns = Single<V1Namespace>("namespace.yaml");
        Assert.Equal("podlogs", ns.Metadata.Name);
        Assert.Equal("privileged", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public void TheClusterRoleGetsNodesAndListsPodsAndNothingElse()
    {
        var role = Single<V1ClusterRole>("rbac.yaml");
        var rules = role.Rules.Select(r => (
            Groups: string.Join(",", r.ApiGroups), Resources: string.Join(",", r.Resources), Verbs: string.Join(",", r.Verbs.Order(StringComparer.Ordinal)),
            Names: r.ResourceNames?.Count ?? 0, Urls: r.NonResourceURLs?.Count ?? 0)).ToList();
        Assert.Equal([("", "nodes", "get", 0, 0), ("", "pods", "list,watch", 0, 0)], rules);
        Assert.Null(role.AggregationRule);
    }

    [Fact]
    public void TheBindingGivesThatRoleToTheAgentsServiceAccount()
    {
        var objects = Load("rbac.yaml");
        var account = objects.OfType<V1ServiceAccount>().Single();
        var binding = objects.OfType<V1ClusterRoleBinding>().Single();
        Assert.Equal(("rbac.authorization.k8s.io", "ClusterRole", objects.OfType<V1ClusterRole>().Single().Metadata.Name),
            (binding.RoleRef.ApiGroup, binding.RoleRef.Kind, binding.RoleRef.Name));
        var subject = Assert.Single(binding.Subjects);
        Assert.Equal(("ServiceAccount", account.Metadata.Name, account.Metadata.NamespaceProperty), (subject.Kind, subject.Name, subject.NamespaceProperty));
        foreach (var file in DaemonSetFiles)
        {
            var ds = Single<V1DaemonSet>(file);
            Assert.Equal(account.Metadata.Name, ds.Spec.Template.Spec.ServiceAccountName);
            Assert.Equal(account.Metadata.NamespaceProperty, ds.Metadata.NamespaceProperty);
        }
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void RunsOnEveryLinuxNodeAsNodeCritical(string file)
    {
        var spec = Single<V1DaemonSet>(file).Spec.Template.Spec;
        var toleration = Assert.Single(spec.Tolerations);
        Assert.Equal(("Exists", null, null, null), (toleration.OperatorProperty, toleration.Key, toleration.Effect, toleration.Value));
        Assert.Equal("system-node-critical", spec.PriorityClassName);
        Assert.Equal(new Dictionary<string, string> { ["kubernetes.io/os"] = "linux" }, spec.NodeSelector);
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void IsNeverPrivilegedAndDropsEveryCapabilityItDoesNotNeed(string file)
    {
        var ds = Single<V1DaemonSet>(file);
        var spec = ds.Spec.Template.Spec;
        Assert.NotEqual(true, spec.HostNetwork);
        Assert.NotEqual(true, spec.HostIPC);
        Assert.Null(spec.InitContainers);
        var container = Assert.Single(spec.Containers);
        var sc = container.SecurityContext;
        Assert.NotEqual(true, sc.Privileged);
        Assert.False(sc.AllowPrivilegeEscalation);
        Assert.True(sc.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], sc.Capabilities.Drop);
        // SYS_PTRACE only with hostPID, for the handle scan; the repair variant scans no handles.
        string[] expected = spec.HostPID == true ? ["DAC_READ_SEARCH", "SYS_PTRACE"] : ["DAC_READ_SEARCH"];
        Assert.Equal(expected, sc.Capabilities.Add);
        Assert.Equal(file == "daemonset.yaml", spec.HostPID == true);
        Assert.Null(spec.SecurityContext?.Sysctls);
    }

    [Theory]
    [MemberData(nameof(DaemonSets))]
    public void RunsTheAgentWithResourcesAndTheNodeName(string file)
    {
        var container = Single<V1DaemonSet>(file).Spec.Template.Spec.Containers.Single();
        Assert.Equal("podlogs:0.0.0", container.Image);
        Assert.Equal(["pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", "/opt/podlogs/podlogs-agent.ps1"], container.Command);
        Assert.Equal("/host", container.Args[container.Args.IndexOf("-Root") + 1]);
        foreach (var name in new[] { "cpu", "memory" })
        {
            Assert.True(container.Resources.Requests.ContainsKey(name), $"requests {name}");
            Assert.True(container.Resources.Limits.ContainsKey(name), $"limits {name}");
        }
        var nodeName = Assert.Single(container.Env, e => e.Name == "NODE_NAME");
        Assert.Equal("spec.nodeName", nodeName.ValueFrom.FieldRef.FieldPath);
    }

    [Fact]
    public void TheCheckVariantMountsTheNodeReadOnlyAndWritesOnlyTheTextfileDirectory()
    {
        var spec = Check.Spec.Template.Spec;
        var mounts = spec.Containers.Single().VolumeMounts;
        var root = Assert.Single(mounts, m => m.MountPath == "/host");
        Assert.Equal(("/", true, "HostToContainer"), (HostPath(spec, root), root.ReadOnlyProperty, root.MountPropagation));
        var args = spec.Containers.Single().Args;
        Assert.DoesNotContain("-Repair", args);
        Assert.Equal(TextfileDirectory, Path.GetDirectoryName(args[args.IndexOf("-MetricsPath") + 1]));

        // Every writable mount backed by the node: exactly the textfile directory, at the same path.
        var writableHost = mounts.Where(m => m.ReadOnlyProperty != true && HostPath(spec, m) != null).Select(m => (HostPath(spec, m), m.MountPath));
        Assert.Equal([(TextfileDirectory, TextfileDirectory)], writableHost);
        Assert.Equal("DirectoryOrCreate", spec.Volumes.Single(v => v.HostPath?.Path == TextfileDirectory).HostPath.Type);
        // The rest writable is the pod's own scratch: an emptyDir at /tmp for pwsh under a read-only root.
        var scratch = Assert.Single(mounts, m => m.ReadOnlyProperty != true && HostPath(spec, m) == null);
        Assert.Equal("/tmp", scratch.MountPath);
        Assert.NotNull(spec.Volumes.Single(v => v.Name == scratch.Name).EmptyDir);
        AssertOnlyHostPathAndEmptyDirVolumes(spec);
    }

    [Fact]
    public void TheRepairVariantWritesExactlyVarLogAndReadsDockersContainersReadOnly()
    {
        var spec = Repair.Spec.Template.Spec;
        var mounts = spec.Containers.Single().VolumeMounts;
        Assert.Contains("-Repair", spec.Containers.Single().Args);
        var writableHost = mounts.Where(m => m.ReadOnlyProperty != true && HostPath(spec, m) != null).Select(m => (HostPath(spec, m), m.MountPath));
        Assert.Equal([("/var/log", "/host/var/log")], writableHost);
        var readOnly = mounts.Where(m => m.ReadOnlyProperty == true).Select(m => (HostPath(spec, m), m.MountPath)).ToList();
        Assert.Contains(("/var/lib/docker/containers", "/host/var/lib/docker/containers"), readOnly);
        // Not the whole node: no mount of the node's / at all.
        Assert.DoesNotContain(spec.Volumes, v => v.HostPath?.Path == "/");
        Assert.Equal("/tmp", Assert.Single(mounts, m => m.ReadOnlyProperty != true && HostPath(spec, m) == null).MountPath);
        AssertOnlyHostPathAndEmptyDirVolumes(spec);
    }

    static string? HostPath(V1PodSpec spec, V1VolumeMount mount) => spec.Volumes.Single(v => v.Name == mount.Name).HostPath?.Path;

    static void AssertOnlyHostPathAndEmptyDirVolumes(V1PodSpec spec)
    {
        // Nothing that brings the API's data in (no projected secrets, configMaps, CSI): a hostPath or an emptyDir each.
        foreach (var v in spec.Volumes) Assert.True((v.HostPath != null) ^ (v.EmptyDir != null), v.Name);
        // Every volume is mounted, and by the one container.
        Assert.Equal(spec.Volumes.Select(v => v.Name).Order(), spec.Containers.Single().VolumeMounts.Select(m => m.Name).Order());
    }
}
