using System.Runtime.CompilerServices;
namespace PodLogs.Core.Paths;

/// <summary>
/// Docker-side naming as dockershim and cri-dockerd do it (cri-dockerd <c>core/naming.go</c>,
/// moby <c>daemon/logger/jsonfilelog</c>).
/// </summary>
public static class DockershimNames
{
    public const string ContainerTypeLabel = "io.kubernetes.docker.type";
    public const string PodNameLabel = "io.kubernetes.pod.name";
    public const string PodNamespaceLabel = "io.kubernetes.pod.namespace";
    public const string PodUidLabel = "io.kubernetes.pod.uid";
    public const string ContainerNameLabel = "io.kubernetes.container.name";
    public const string LogPathLabel = "io.kubernetes.container.logpath";
    public const string RestartCountLabel = "annotation.io.kubernetes.container.restartCount";
    public const string SandboxIdLabel = "io.kubernetes.sandbox.id";

    /// <summary>
    /// <c>parseContainerName</c>: <c>k8s_&lt;container&gt;_&lt;pod&gt;_&lt;ns&gt;_&lt;uid&gt;_&lt;attempt&gt;</c>, optionally followed by
    /// <c>_&lt;8 hex&gt;</c> from <c>randomizeName</c> after a name conflict. A leading '/' (docker's own) is ignored.
    /// </summary>
    public static bool TryParseContainerName(string? name, out DockerContainerName parsed)
    {
        parsed = default;
        if (string.IsNullOrEmpty(name)) return false;
        var s = name.AsSpan().TrimStart('/');
        // Eight slots: a name of eight or more fields fills the last one with the rest, and is refused.
        Span<Range> parts = stackalloc Range[8];
        if (s.Split(parts, '_') is not (6 or 7) || s[parts[0]] is not "k8s") return false;
        var attemptText = s[parts[5]];
        if (!KubeletPaths.IsAsciiDigits(attemptText)) return false;
        // dockershim's name, with an attempt kubelet could not have given: -1, which no identity accepts.
        if (!KubeletPaths.TryParseRestartCount(attemptText, out var attempt)) attempt = -1;
        parsed = new DockerContainerName(s[parts[1]].ToString(), s[parts[2]].ToString(), s[parts[3]].ToString(), s[parts[4]].ToString(), attempt);
        return true;
    }

    /// <summary>The json-file driver's log: <c>&lt;dataRoot&gt;/containers/&lt;id&gt;/&lt;id&gt;-json.log</c>.</summary>
    public static string JsonLogPath(string dockerDataRoot, string containerId) =>
        NodePath.Combine(dockerDataRoot, "containers", containerId, containerId + "-json.log");

    /// <summary>The container id of a path shaped like <see cref="JsonLogPath"/> under the data root, else null.</summary>
    public static string? ContainerIdFromJsonLogPath(string dockerDataRoot, string nodePath) =>
        ContainerIdOffsetInJsonLogPath(dockerDataRoot, nodePath) is var start and >= 0 ? nodePath.Substring(start, ContainerIdLength) : null;

    public const int ContainerIdLength = 64;

    /// <summary>Where the container id starts in a path shaped like <see cref="JsonLogPath"/> under the data root, else -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ContainerIdOffsetInJsonLogPath(string dockerDataRoot, string nodePath)
    {
        // <root>/containers/<64 hex>/<same 64 hex>-json.log, compared in place.
        const string Containers = "containers/", Suffix = "-json.log";
        var root = dockerDataRoot.AsSpan().TrimEnd('/');
        var path = nodePath.AsSpan();
        if (!path.StartsWith(root, StringComparison.Ordinal) || path.Length != root.Length + 1 + Containers.Length + 64 + 1 + 64 + Suffix.Length) return -1;
        var rest = path[root.Length..];
        if (rest[0] != '/' || !rest[1..].StartsWith(Containers, StringComparison.Ordinal)) return -1;
        var start = root.Length + 1 + Containers.Length;
        rest = rest[(1 + Containers.Length)..];
        if (rest[64] != '/' || !rest[..64].SequenceEqual(rest.Slice(65, 64)) || !rest[129..].SequenceEqual(Suffix)) return -1;
        return KubernetesNames.IsContainerId(rest[..64]) ? start : -1;
    }
}
