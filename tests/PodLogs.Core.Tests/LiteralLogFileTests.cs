using PodLogs.Core.Reading;

namespace PodLogs.Core.Tests;

/// <summary>-LiteralPath: a file on this machine read as it is, its container known where its path is kubelet's.</summary>
public sealed class LiteralLogFileTests : IDisposable
{
    const string Uid = FakeNode.Uid1;
    readonly string _dir = Directory.CreateTempSubdirectory("podlogs-literal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string relative)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "2026-03-01T10:00:00Z stdout F hello\n");
        return path;
    }

    [Fact]
    public void A_link_with_a_kubelet_path_is_read_at_its_final_target_and_named_by_the_path()
    {
        var file = Write("elsewhere/real.log");
        var middle = Path.Combine(_dir, "middle.log");
        File.CreateSymbolicLink(middle, file);
        Directory.CreateDirectory(Path.Combine(_dir, $"default_web-0_{Uid}", "nginx"));
        var link = Path.Combine(_dir, $"default_web-0_{Uid}", "nginx", "3.log");
        File.CreateSymbolicLink(link, middle);

        var target = LiteralLogFile.Resolve(link, null, out var failure);

        Assert.Null(failure);
        Assert.NotNull(target);
        Assert.Equal(file, target.LiveFile);
        Assert.Equal(new ContainerLogOrigin("default", "web-0", Uid, "nginx", 3, null), target.Origin);
        Assert.Equal(file, Assert.Single(target.Segments).Path);
        Assert.Null(target.Door);
    }

    [Theory]
    [InlineData("app.log")]
    [InlineData("not_a-pod/nginx/3.log")]
    [InlineData("default_web-0_" + Uid + "/nginx/03.log")]
    public void Any_other_path_names_no_container(string relative)
    {
        var target = LiteralLogFile.Resolve(Write(relative), null, out var failure);

        Assert.Null(failure);
        Assert.Equal(new ContainerLogOrigin(null, null, null, null, null, null), target!.Origin);
    }

    [Fact]
    public void A_rotated_kubelet_file_names_its_instance() =>
        Assert.Equal(new ContainerLogOrigin("ns", "p", Uid, "c", 2, null), LiteralLogFile.OriginOf($"/x/ns_p_{Uid}/c/2.log.20260301-100000.gz"));

    [Fact]
    public void A_missing_file_and_a_dangling_link_are_failures_saying_where_the_link_led()
    {
        var missing = Path.Combine(_dir, "none.log");
        var dangling = Path.Combine(_dir, "dangling.log");
        File.CreateSymbolicLink(dangling, missing);

        Assert.Null(LiteralLogFile.Resolve(missing, null, out var notThere));
        Assert.Null(LiteralLogFile.Resolve(dangling, null, out var ledNowhere));

        Assert.Equal(("ContainerLogNotFound", FailureCategory.ObjectNotFound, missing), (notThere!.ErrorId, notThere.Category, notThere.TargetPath));
        Assert.Equal($"Cannot find the log file '{missing}'.", notThere.Message);
        Assert.Equal($"Cannot find the log file '{dangling}' (it resolves to '{missing}').", ledNowhere!.Message);
        Assert.Equal(dangling, ledNowhere.TargetPath);
    }
}
