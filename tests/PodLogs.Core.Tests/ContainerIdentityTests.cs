using PodLogs.Core;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

/// <summary>The identity failures every runtime source raises, built in one place (issue #12 item 4).</summary>
public sealed class ContainerIdentityTests
{
    static readonly RuntimeContainer Bad = new()
    {
        Id = "3f2a", Namespace = "Default", PodName = "web-0", PodUid = "u1", ContainerName = "web", RestartCount = 2, StatePath = "/root/state", SourceName = "containerd (files)",
    };

    [Fact]
    public void Invalid_names_every_identity_field_and_the_state_it_came_from()
    {
        Assert.False(Bad.HasValidIdentity);
        var f = ContainerIdentity.Invalid(Bad, "containerd container 3f2a");
        Assert.Equal("ContainerIdentityInvalid", f.ErrorId);
        Assert.Equal(FailureCategory.InvalidData, f.Category);
        Assert.Equal("/root/state", f.TargetPath);
        Assert.Equal("containerd container 3f2a: its id, namespace, pod name, uid, container name or restart count is not valid " +
            "(id '3f2a', namespace 'Default', pod 'web-0', uid 'u1', container 'web', restart count 2); no path is built from it.", f.Message);
        Assert.Contains("restart count none)", ContainerIdentity.Invalid(Bad, "CRI container 3f2a", "none").Message);
    }

    [Fact]
    public void Conflict_is_a_security_error_that_says_what_disagrees()
    {
        var f = ContainerIdentity.Conflict("CRI container 3f2a", "its metadata names container 'a' but its label says 'b'", "/run/x.sock");
        Assert.Equal(("ContainerIdentityConflict", FailureCategory.SecurityError, "/run/x.sock"), (f.ErrorId, f.Category, f.TargetPath));
        Assert.Equal("CRI container 3f2a: its metadata names container 'a' but its label says 'b'; it is not trusted.", f.Message);
    }
}
