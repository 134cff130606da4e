namespace PodLogs.Core.Paths;

/// <summary>
/// The pod uid and container id a process's <c>/proc/&lt;pid&gt;/cgroup</c> names when kubelet placed it (docs/kubelet-facts.md §11).
/// Kubelet's names (k8s <c>pkg/kubelet/cm</c>): the root <c>kubepods</c>, a QoS level <c>burstable</c>/<c>besteffort</c>
/// (none for Guaranteed) and the pod <c>pod&lt;uid&gt;</c> (<c>pod_container_manager_linux.go</c> <c>GetPodContainerName</c>);
/// with the systemd driver each is a slice named by its whole ancestry with '-' in the uid escaped as '_'
/// (<c>cgroup_manager_linux.go</c> <c>ToSystemd</c>, <c>escapeSystemdCgroupName</c>): <c>kubepods-burstable-pod&lt;uid&gt;.slice</c>.
/// The container's own cgroup below it is the runtime's: the bare 64-hex id (cgroupfs), <c>docker-&lt;id&gt;.scope</c>,
/// <c>cri-containerd-&lt;id&gt;.scope</c>, <c>crio-&lt;id&gt;.scope</c> (systemd) or <c>crio-&lt;id&gt;</c> (CRI-O on cgroupfs).
/// cgroup v1 repeats the path once per hierarchy (<c>12:memory:/kubepods/...</c>), v2 has one line (<c>0::/kubepods.slice/...</c>).
/// CRI-O's <c>crio-conmon-&lt;id&gt;</c> monitor is not in the container, so it names no container.
/// </summary>
public static class KubepodsCgroup
{
    static readonly string[] ContainerPrefixes = ["docker-", "cri-containerd-", "crio-"];

    /// <summary>
    /// The pod uid (dashed, as the API writes it) and the container id (64 hex) of the first line that lies under kubelet's
    /// <c>kubepods</c> cgroup; either may be null (a pod-level process, a path that is not kubelet's). False when no line does.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> cgroupFile, out string? podUid, out string? containerId)
    {
        podUid = null;
        containerId = null;
        var rest = cgroupFile;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            // hierarchy-ID:controller-list:cgroup-path; the path may itself hold ':'.
            var first = line.IndexOf(':');
            if (first < 0) continue;
            var second = line[(first + 1)..].IndexOf(':');
            if (second < 0) continue;
            if (TryParsePath(line[(first + 1 + second + 1)..], out podUid, out containerId)) return true;
        }
        return false;
    }

    /// <summary>One cgroup path, as <see cref="TryParse"/> reads each line's.</summary>
    public static bool TryParsePath(ReadOnlySpan<char> path, out string? podUid, out string? containerId)
    {
        podUid = null;
        containerId = null;
        var underKubepods = false;
        ReadOnlySpan<char> last = default;
        var rest = path;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('/');
            var segment = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            if (segment.IsEmpty) continue;
            last = segment;
            if (!underKubepods)
            {
                underKubepods = segment is "kubepods" or "kubepods.slice";
                continue;
            }
            if (podUid is null && TryParsePodSegment(segment, out var uid)) podUid = uid;
        }
        if (!underKubepods) return false;
        if (podUid is not null) containerId = ParseContainerSegment(last);
        return true;
    }

    /// <summary><c>pod&lt;uid&gt;</c> (cgroupfs) or <c>kubepods[-&lt;qos&gt;]-pod&lt;uid with '_'&gt;.slice</c> (systemd).</summary>
    static bool TryParsePodSegment(ReadOnlySpan<char> segment, out string? uid)
    {
        uid = null;
        ReadOnlySpan<char> text;
        var systemd = segment.EndsWith(".slice", StringComparison.Ordinal);
        if (systemd)
        {
            var stem = segment[..^".slice".Length];
            var at = stem.LastIndexOf("-pod", StringComparison.Ordinal);
            if (at < 0 || !stem.StartsWith("kubepods", StringComparison.Ordinal)) return false;
            text = stem[(at + "-pod".Length)..];
        }
        else
        {
            if (!segment.StartsWith("pod", StringComparison.Ordinal)) return false;
            text = segment["pod".Length..];
        }
        if (text.IsEmpty || text.Length > 64) return false;
        Span<char> unescaped = stackalloc char[text.Length];
        text.CopyTo(unescaped);
        if (systemd) unescaped.Replace('_', '-');
        if (!KubernetesNames.IsPodUid(unescaped)) return false;
        uid = unescaped.ToString();
        return true;
    }

    static string? ParseContainerSegment(ReadOnlySpan<char> segment)
    {
        if (segment.EndsWith(".scope", StringComparison.Ordinal)) segment = segment[..^".scope".Length];
        foreach (var prefix in ContainerPrefixes)
            if (segment.StartsWith(prefix, StringComparison.Ordinal))
            {
                segment = segment[prefix.Length..];
                break;
            }
        return KubernetesNames.IsContainerId(segment) ? segment.ToString() : null;
    }
}
