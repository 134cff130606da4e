using System.Runtime.CompilerServices;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Runtime;

/// <summary>
/// What docker says about one container, from its files or its API, before it is trusted: turned into
/// a <see cref="RuntimeContainer"/> by one rule for both sources.
/// </summary>
public sealed record DockerContainerRecord(
    string Id, string? Name, IReadOnlyDictionary<string, string> Labels, bool Running, bool Started, DateTimeOffset? StartedAt,
    string? LogPath, string? LogDriver, string SourceName, string StateDescription)
{
    /// <summary>Docker's log options for this container (<c>hostconfig.json</c> LogConfig.Config), when the source read them.</summary>
    public IReadOnlyDictionary<string, string>? LogOptions { get; init; }

    /// <summary>Only kubelet's containers (<c>io.kubernetes.docker.type=container</c>); sandboxes are not logs.</summary>
    public bool IsKubernetesContainer => Labels.TryGetValue(DockershimNames.ContainerTypeLabel, out var t) && t == "container";

    /// <summary>
    /// The container's identity from kubelet's labels, its attempt from its name (else the restartCount
    /// label, never docker's own RestartCount); a name that contradicts the labels, or names that are not
    /// valid, make the container untrusted (a failure, no container).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (RuntimeContainer? Container, PodLogsFailure? Failure) ToRuntimeContainer()
    {
        var ns = Labels.GetValueOrDefault(DockershimNames.PodNamespaceLabel) ?? "";
        var pod = Labels.GetValueOrDefault(DockershimNames.PodNameLabel) ?? "";
        var uid = Labels.GetValueOrDefault(DockershimNames.PodUidLabel) ?? "";
        var container = Labels.GetValueOrDefault(DockershimNames.ContainerNameLabel) ?? "";
        int attempt;
        if (DockershimNames.TryParseContainerName(Name, out var name))
        {
            if (name.Namespace != ns || name.PodName != pod || name.PodUid != uid || name.ContainerName != container)
                return (null, ContainerIdentity.Conflict($"Docker container {Id}", $"its name '{Name}' and its labels name different pods or containers", StateDescription));
            attempt = name.RestartCount;
        }
        else if (Labels.GetValueOrDefault(DockershimNames.RestartCountLabel) is { } label && KubeletPaths.IsAsciiDigits(label))
            attempt = KubeletPaths.TryParseRestartCount(label, out var n) ? n : -1;
        else
        {
            return (null, new PodLogsFailure(ErrorIds.Runtime.ContainerAttemptUnknown, FailureCategory.InvalidData,
                $"Docker container {Id}: neither its name '{Name}' nor the label {DockershimNames.RestartCountLabel} gives the restart count.", StateDescription));
        }

        var result = new RuntimeContainer
        {
            Id = Id,
            Namespace = ns,
            PodName = pod,
            PodUid = uid,
            ContainerName = container,
            RestartCount = attempt,
            State = Running ? ContainerState.Running : Started ? ContainerState.Exited : ContainerState.Created,
            StartedAt = StartedAt,
            LogPath = Labels.GetValueOrDefault(DockershimNames.LogPathLabel),
            DockerJsonLogPath = LogPath,
            // Docker's default driver is json-file, and LogPath is only set for it.
            LogDriver = LogDriver ?? (string.IsNullOrEmpty(LogPath) ? null : "json-file"),
            LogOptions = LogOptions,
            SandboxId = Labels.GetValueOrDefault(DockershimNames.SandboxIdLabel),
            SourceName = SourceName,
            StatePath = StateDescription,
        };
        if (!result.HasValidIdentity)
            return (null, ContainerIdentity.Invalid(result, $"Docker container {Id}", attempt < 0 ? $"over {KubeletPaths.MaxRestartCount} or not written as kubelet writes it" : null));
        return (result, null);
    }
}
