using PodLogs.Core.Paths;

namespace PodLogs.Core.Runtime;

/// <summary>
/// A Kubernetes container as a runtime reports it. Every field is untrusted input: a label can say
/// anything, so paths are recomputed from the identity and compared, never taken.
/// </summary>
public sealed record RuntimeContainer
{
    public required string Id { get; init; }
    public required string Namespace { get; init; }
    public required string PodName { get; init; }
    public required string PodUid { get; init; }
    public required string ContainerName { get; init; }
    public int RestartCount { get; init; }
    /// <summary>The restart count was inferred from the log files (containerd's bundles do not store it), not reported.</summary>
    public bool RestartCountInferred { get; init; }
    public ContainerState State { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    /// <summary>The log path kubelet gave the runtime (docker: the <c>io.kubernetes.container.logpath</c> label).</summary>
    public string? LogPath { get; init; }
    /// <summary>Docker's json-file log (<c>LogPath</c> in config.v2.json); empty until the container first starts.</summary>
    public string? DockerJsonLogPath { get; init; }
    /// <summary>Docker's log driver (<c>hostconfig.json</c> LogConfig.Type); null when not docker.</summary>
    public string? LogDriver { get; init; }
    /// <summary>Docker's log options (<c>hostconfig.json</c> LogConfig.Config: max-size, max-file, compress); null when not read or not docker.</summary>
    public IReadOnlyDictionary<string, string>? LogOptions { get; init; }
    /// <summary>The pod sandbox the container runs in, when the source says.</summary>
    public string? SandboxId { get; init; }
    /// <summary>Which source reported it (DockerFiles, …).</summary>
    public required string SourceName { get; init; }
    /// <summary>Where this container's state was read from (for error messages).</summary>
    public string? StatePath { get; init; }

    /// <summary>Whether the identity fields are names kubelet could have built a path from.</summary>
    public bool HasValidIdentity =>
        KubernetesNames.IsContainerId(Id) && KubernetesNames.IsDns1123Label(Namespace) && KubernetesNames.IsDns1123Subdomain(PodName)
        && KubernetesNames.IsPodUidPart(PodUid) && KubernetesNames.IsDns1123Label(ContainerName) && KubeletPaths.IsRestartCount(RestartCount);

    /// <summary>Docker writes a json log (and dockershim links N.log to it) only with the json-file driver, once started.</summary>
    public bool ExpectsDockerLink => LogDriver is "json-file" && !string.IsNullOrEmpty(DockerJsonLogPath);

    /// <summary>The order "started last wins" uses when two containers claim one path.</summary>
    public static int CompareByStart(RuntimeContainer a, RuntimeContainer b)
    {
        var c = Nullable.Compare(a.StartedAt, b.StartedAt);
        if (c != 0) return c;
        c = a.RestartCount.CompareTo(b.RestartCount);
        return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
    }
}
