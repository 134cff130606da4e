using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>Who a path under the pod logs directory belongs to, read back by kubelet's rules (current layout).</summary>
public sealed record PodLogTarget(string Namespace, string PodName, string PodUid, string ContainerName, int RestartCount)
{
    /// <summary>Parses <c>&lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>, either spelling of podLogsDir.</summary>
    public static PodLogTarget? Parse(NodeLayout layout, string nodePath)
    {
        var path = NodePath.Clean(nodePath);
        foreach (var dir in new[] { layout.PodLogsDirectory.Configured, layout.PodLogsDirectory.Canonical })
        {
            if (!NodePath.IsUnder(path, dir) || path == dir) continue;
            var parts = path[(dir == "/" ? 1 : dir.Length + 1)..].Split('/');
            if (parts.Length != 3) continue;
            if (!KubeletPaths.TryParsePodDirectoryName(parts[0], out var pod)) continue;
            if (!KubernetesNames.IsDns1123Label(parts[1])) continue;
            if (!KubeletPaths.TryParseContainerLogFileName(parts[2], out var file) || !file.IsLive) continue;
            return new PodLogTarget(pod.Namespace, pod.PodName, pod.PodUid, parts[1], file.RestartCount);
        }
        return null;
    }
}
