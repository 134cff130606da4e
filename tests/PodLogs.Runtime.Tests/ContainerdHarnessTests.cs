using PodLogs.Runtime.Tests.Harness;
using Xunit.Abstractions;

namespace PodLogs.Runtime.Tests;

/// <summary>The harness itself: a containerd that cannot start fails loudly, with containerd's own words, and leaves nothing.</summary>
public sealed class ContainerdHarnessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_containerd_that_cannot_start_throws_with_its_log()
    {
        var broken = new ContainerdHarness(importImages: false) { ExtraConfig = "this is = = not toml" };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(broken.InitializeAsync);
        output.WriteLine(ex.Message);
        Assert.Contains("containerd exited with code", ex.Message);
        Assert.Contains("containerd's log", ex.Message);
        Assert.False(Directory.Exists(broken.Directory));
        Assert.False(Signals.IsRunning(broken.ContainerdPid));
    }
}
