using PodLogs.Core.Inspection;

namespace PodLogs.Core.Tests;

/// <summary>Issue #10 item 3: Test-ContainerLogLink passes only when something was checked and all of it is healthy.</summary>
public sealed class ContainerLogLinkTestTests
{
    static ContainerLogLink Entry(LinkStatus status, string path = "/var/log/pods/ns_p_u/c/0.log", bool transient = false) =>
        new() { FullName = "/root" + path, NodePath = path, Status = status, IsTransient = transient };

    static ContainerLogLinkTest Healthy(bool ignoreTransient = false) => new([LinkStatus.Healthy], ignoreTransient);

    [Fact]
    public void Nothing_checked_does_not_pass()
    {
        var result = Healthy().Result([]);
        Assert.False(result.Passed);
        Assert.Equal(0, result.Checked);
        Assert.Contains("nothing matched", result.ToString());
    }

    [Fact]
    public void Every_entry_healthy_passes()
    {
        var test = Healthy();
        Assert.True(test.Observe(Entry(LinkStatus.Healthy)));
        var result = test.Result([]);
        Assert.True(result.Passed);
        Assert.Equal(1, result.Checked);
        Assert.Equal(1, result.StatusCounts["Healthy"]);
        Assert.Equal(Enum.GetValues<LinkStatus>().Length, result.StatusCounts.Count);
    }

    [Fact]
    public void A_failing_entry_is_listed_with_its_status_path_and_reason()
    {
        var test = Healthy();
        test.Observe(Entry(LinkStatus.Healthy));
        Assert.False(test.Observe(Entry(LinkStatus.Dangling, "/var/log/containers/x.log")));
        var result = test.Result([]);
        Assert.False(result.Passed);
        Assert.Equal("/var/log/containers/x.log", Assert.Single(result.Failures).NodePath);
        Assert.Equal(1, result.StatusCounts["Dangling"]);
        Assert.Contains("\nDangling: /var/log/containers/x.log: ", result.ToString());
        Assert.StartsWith("Failed: 2 entries checked (Healthy 1, Dangling 1)", result.ToString());
    }

    [Fact]
    public void An_error_written_while_testing_fails_it_and_what_could_not_be_read_counts_as_unreadable()
    {
        var test = Healthy();
        test.Observe(Entry(LinkStatus.Healthy));
        var result = test.Result([
            new PodLogsFailure("DockerStateUnreadable", FailureCategory.PermissionDenied, "Cannot read docker's state.", "/x"),
            new PodLogsFailure("SelectionNotFound", FailureCategory.ObjectNotFound, "No pod is named 'web-2'.", "web-2"),
        ]);
        Assert.False(result.Passed);
        Assert.Equal(1, result.Unreadable);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("DockerStateUnreadable: Cannot read docker's state.", result.ToString());
        Assert.Contains("1 unreadable", result.ToString());
    }

    [Fact]
    public void Statuses_given_as_passing_pass()
    {
        var test = new ContainerLogLinkTest([LinkStatus.Healthy, LinkStatus.Orphaned], false);
        Assert.True(test.Observe(Entry(LinkStatus.Orphaned)));
        Assert.False(test.Observe(Entry(LinkStatus.Missing)));
        Assert.Equal([LinkStatus.Healthy, LinkStatus.Orphaned], test.Result([]).PassingStatus);
    }

    [Fact]
    public void Transient_entries_fail_unless_ignored()
    {
        var strict = Healthy();
        Assert.False(strict.Observe(Entry(LinkStatus.Missing, transient: true)));
        var lenient = Healthy(ignoreTransient: true);
        Assert.True(lenient.Observe(Entry(LinkStatus.Missing, transient: true)));
        Assert.False(lenient.Observe(Entry(LinkStatus.Stale)));
        var result = lenient.Result([]);
        Assert.Equal(1, result.IgnoredTransient);
        Assert.Equal(LinkStatus.Stale, Assert.Single(result.Failures).Status);
    }
}
