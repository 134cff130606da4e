using PodLogs.Core.Cluster;

namespace PodLogs.Core.Tests.Cluster;

/// <summary>Issue #4 Deliver 1: -Kubeconfig/-Context; KUBECONFIG; ~/.kube/config; the service account; the kubelet's kubeconfig under -Root.</summary>
public sealed class ClusterConfigLocatorTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly string _home = Directory.CreateTempSubdirectory("podlogs-home-").FullName;

    public void Dispose()
    {
        _node.Dispose();
        Directory.Delete(_home, recursive: true);
    }

    ClusterConfigChoice Choose(string? kubeconfig = null, string? context = null, params (string Name, string Value)[] variables) =>
        ClusterConfigLocator.Choose(kubeconfig, context, _node.Layout().Root, name => variables.FirstOrDefault(v => v.Name == name).Value, new CollectingReporter());

    string File(string name)
    {
        var path = Path.Combine(_home, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, "apiVersion: v1\nkind: Config\n");
        return path;
    }

    [Fact]
    public void Each_source_is_taken_only_when_the_ones_before_it_are_absent()
    {
        _node.WriteFile(ClusterConfigLocator.DefaultKubeletKubeconfig, "apiVersion: v1\n");
        var kubelet = Choose();
        Assert.Equal(ClusterConfigSource.KubeletKubeconfig, kubelet.Source);
        Assert.Equal(_node.Local(ClusterConfigLocator.DefaultKubeletKubeconfig), Assert.Single(kubelet.Files));
        Assert.NotNull(kubelet.NodePathsUnder);

        File(".kube/config");
        Assert.Equal(ClusterConfigSource.HomeKubeconfig, Choose(variables: ("HOME", _home)).Source);

        var a = File("a.conf");
        var b = File("b.conf");
        var merged = Choose(variables: [("HOME", _home), ("KUBECONFIG", $"{a}:{_home}/absent.conf:{b}")]);
        Assert.Equal(ClusterConfigSource.KubeconfigVariable, merged.Source);
        Assert.Equal([a, b], merged.Files);

        var given = Choose(b, "staging", ("HOME", _home), ("KUBECONFIG", a));
        Assert.Equal((ClusterConfigSource.Parameter, b, "staging"), (given.Source, Assert.Single(given.Files), given.Context));
        Assert.Null(given.NodePathsUnder);
    }

    [Fact]
    public void A_named_kubeconfig_that_does_not_exist_is_an_error_and_nothing_at_all_is_another()
    {
        Assert.Equal("ClusterConfigNotFound", Assert.Throws<PodLogsException>(() => Choose(Path.Combine(_home, "nope"))).Failure.ErrorId);
        Assert.Equal("ClusterConfigNotFound", Assert.Throws<PodLogsException>(() => Choose(variables: ("HOME", _home))).Failure.ErrorId);
    }

    [Fact]
    public void The_kubelets_kubeconfig_flag_names_its_file()
    {
        _node.WriteFile("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--kubeconfig=/etc/k3s/kubelet.kubeconfig\"\n");
        _node.WriteFile("/etc/k3s/kubelet.kubeconfig", "apiVersion: v1\n");
        Assert.Equal(_node.Local("/etc/k3s/kubelet.kubeconfig"), Assert.Single(Choose().Files));
    }
}
