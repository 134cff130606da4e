namespace PodLogs.Core.Runtime;

/// <summary>
/// The failures of a runtime's record of a container whose identity no path may be built from, worded alike for
/// every runtime that raises them: docker (files and API), containerd's task state and CRI.
/// </summary>
public static class ContainerIdentity
{
    /// <summary>
    /// <see cref="ErrorIds.Runtime.ContainerIdentityInvalid"/>: a container whose fields are not names kubelet could have
    /// built its paths from (<see cref="RuntimeContainer.HasValidIdentity"/>).
    /// </summary>
    /// <param name="who">The runtime's words for the container ("Docker container 3f2a…").</param>
    /// <param name="restartCount">How to show the restart count when the record had none kubelet would write.</param>
    public static PodLogsFailure Invalid(RuntimeContainer container, string who, string? restartCount = null) =>
        new(ErrorIds.Runtime.ContainerIdentityInvalid, FailureCategory.InvalidData,
            $"{who}: its id, namespace, pod name, uid, container name or restart count is not valid (id '{container.Id}', namespace '{container.Namespace}', " +
            $"pod '{container.PodName}', uid '{container.PodUid}', container '{container.ContainerName}', restart count {restartCount ?? container.RestartCount.ToString()}); " +
            "no path is built from it.", container.StatePath);

    /// <summary><see cref="ErrorIds.Runtime.ContainerIdentityConflict"/>: two of the record's own sources of its identity disagree.</summary>
    public static PodLogsFailure Conflict(string who, string disagreement, string? target) =>
        new(ErrorIds.Runtime.ContainerIdentityConflict, FailureCategory.SecurityError, $"{who}: {disagreement}; it is not trusted.", target);
}
