using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>A restart count kubelet could never have written is refused by one rule, the same in the scan and the repair (issue #11 item 8).</summary>
public sealed class RestartCountTests : IDisposable
{
    readonly FakeNode _node = new();

    public void Dispose() => _node.Dispose();

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData("999999999", 999_999_999)]
    public void Restart_counts_kubelet_writes_parse(string text, int n)
    {
        Assert.True(KubeletPaths.TryParseRestartCount(text, out var parsed));
        Assert.Equal(n, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1000000000")]
    [InlineData("2147483648")]
    [InlineData("99999999999999999999")]
    [InlineData("01")]
    [InlineData("00")]
    [InlineData("+1")]
    [InlineData("-1")]
    [InlineData(" 1")]
    [InlineData("\u0661")]
    public void Other_restart_counts_are_not_kubelets(string text) =>
        Assert.False(KubeletPaths.TryParseRestartCount(text, out _));

    [Theory]
    [InlineData("1000000000.log")]
    [InlineData("01.log")]
    [InlineData("00.log.20261126-091500")]
    public void Log_file_names_with_such_counts_are_not_container_logs(string name) =>
        Assert.False(KubeletPaths.TryParseContainerLogFileName(name, out _));

    [Theory]
    [InlineData("nginx_+1.log")]
    [InlineData("nginx_01.log")]
    [InlineData("nginx_1000000000.log")]
    public void Nor_1_5_layout_names(string name) =>
        Assert.False(KubeletPaths.TryParseUidFlatFileName(name, out _, out _));

    static FakeContainer Web(int attempt) => new("default", "web-0", FakeNode.Uid1, "nginx", attempt, FakeNode.Id("web" + attempt));

    /// <param name="byLabel">The count is in the restartCount label (docker's name is not dockershim's), not in the name.</param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_container_whose_count_kubelet_could_not_have_written_is_refused_once_and_its_file_is_one_Invalid_record_the_repair_leaves(bool byLabel)
    {
        var c = Web(1_000_000_000);
        if (byLabel) c = c with { DockerName = "/not-dockershim", Labels = new Dictionary<string, string?> { [DockershimNames.RestartCountLabel] = "1000000000" } };
        _node.Docker(c);
        _node.PodLogLink(c);
        var healthy = _node.Healthy(Web(0));

        var i = _node.Inspect();

        var error = Assert.Single(i.Reporter.Errors);
        Assert.Equal("ContainerIdentityInvalid", error.ErrorId);
        Assert.Contains("restart count over 999999999", error.Message);
        var r = i.At(c.PodLogFile);
        Assert.Equal(LinkStatus.Invalid, r.Status);
        Assert.Contains("not kubelet's", r.Reason);
        Assert.Equal(LinkStatus.Healthy, i.At(healthy.PodLogFile).Status);
        Assert.DoesNotContain(i.Entries, e => e.Kind == LogEntryKind.Legacy && e.Status != LinkStatus.Healthy);

        var before = _node.Listing();
        var repaired = _node.Repair(force: true);
        Assert.Empty(repaired.Results);
        Assert.Empty(repaired.Asked);
        Assert.Equal(before, _node.Listing());
    }
}
