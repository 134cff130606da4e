using System.Runtime.CompilerServices;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>Who a path under the pod logs directory belongs to, read back by kubelet's rules (current layout).</summary>
public sealed record PodLogTarget(string Namespace, string PodName, string PodUid, string ContainerName, int RestartCount)
{
    /// <summary>Parses <c>&lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>, either spelling of podLogsDir.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PodLogTarget? Parse(NodeLayout layout, string nodePath)
    {
        var path = NodePath.Clean(nodePath);
        return Parse(path, layout.PodLogsDirectory.Configured) ?? (layout.PodLogsDirectory.Canonical == layout.PodLogsDirectory.Configured ? null : Parse(path, layout.PodLogsDirectory.Canonical));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static PodLogTarget? Parse(string path, string dir)
    {
        if (!NodePath.IsUnder(path, dir) || path == dir) return null;
        var rest = path.AsSpan(dir == "/" ? 1 : dir.Length + 1);
        var first = rest.IndexOf('/');
        if (first < 0) return null;
        var second = rest[(first + 1)..].IndexOf('/') is var i and >= 0 ? first + 1 + i : -1;
        if (second < 0 || rest[(second + 1)..].Contains('/')) return null;
        var container = rest[(first + 1)..second];
        if (!KubeletPaths.TryParsePodDirectoryName(rest[..first], out var pod) || !KubernetesNames.IsDns1123Label(container)) return null;
        if (!KubeletPaths.TryParseContainerLogFileName(rest[(second + 1)..], out var file) || !file.IsLive) return null;
        return new PodLogTarget(pod.Namespace, pod.PodName, pod.PodUid, container.ToString(), file.RestartCount);
    }
}
