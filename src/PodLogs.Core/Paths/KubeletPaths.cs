using System.Runtime.CompilerServices;
using System.Text;

namespace PodLogs.Core.Paths;

/// <summary>
/// Kubelet's path rules, each in one function, exactly as kubelet applies them
/// (kubernetes/kubernetes <c>pkg/kubelet/kuberuntime/helpers.go</c>, <c>legacy.go</c>).
/// Callers validate names with <see cref="KubernetesNames"/> first.
/// </summary>
public static class KubeletPaths
{
    public const string DefaultPodLogsDirectory = "/var/log/pods";
    /// <summary><c>legacyContainerLogsDir</c>: stays put even when podLogsDir moves.</summary>
    public const string DefaultContainerLogsDirectory = "/var/log/containers";
    /// <summary><c>ext4MaxFileNameLen</c> (255) minus <c>len(".log")</c>.</summary>
    public const int LegacyStemMaxBytes = 251;
    public const int MaxFileNameBytes = 255;
    public const string LogSuffix = ".log";

    /// <summary><c>BuildPodLogsDirectory</c>: <c>&lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;</c>.</summary>
    public static string BuildPodLogsDirectory(string podLogsDirectory, string ns, string podName, string podUid) =>
        NodePath.Combine(podLogsDirectory, PodDirectoryName(ns, podName, podUid));

    public static string PodDirectoryName(string ns, string podName, string podUid) => $"{ns}_{podName}_{podUid}";

    /// <summary>
    /// A pod directory name over 255 bytes cannot be created; kubelet does not cut it and the pod
    /// silently gets no logs (kubernetes#80042).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsPodDirectoryNameTooLong(string ns, string podName, string podUid) =>
        Encoding.UTF8.GetByteCount(ns) + 1 + Encoding.UTF8.GetByteCount(podName) + 1 + Encoding.UTF8.GetByteCount(podUid) > MaxFileNameBytes;

    /// <summary><c>buildContainerLogsPath</c>: <c>&lt;container&gt;/&lt;restartCount&gt;.log</c>, relative to the pod directory.</summary>
    public static string BuildContainerLogsPath(string containerName, int restartCount) =>
        $"{containerName}/{restartCount}{LogSuffix}";

    /// <summary>The full node path of one container instance's log: the pod directory joined with <see cref="BuildContainerLogsPath"/>.</summary>
    public static string BuildContainerLogFile(string podLogsDirectory, string ns, string podName, string podUid, string containerName, int restartCount) =>
        NodePath.Combine(BuildPodLogsDirectory(podLogsDirectory, ns, podName, podUid), BuildContainerLogsPath(containerName, restartCount));

    /// <summary>
    /// <c>legacyLogSymlink</c> → <c>logSymlink</c>: stem <c>&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;</c>; a stem over
    /// 251 bytes keeps only its first 251 bytes (<c>logPath[:251]</c>), then <c>.log</c> is added.
    /// </summary>
    public static string LegacyLinkName(string podName, string ns, string containerName, string containerId)
    {
        var stem = LegacyLinkStem(podName, ns, containerName, containerId);
        return CutToBytes(stem, LegacyStemMaxBytes) + LogSuffix;
    }

    public static string LegacyLinkPath(string containerLogsDirectory, string podName, string ns, string containerName, string containerId) =>
        NodePath.Combine(containerLogsDirectory, LegacyLinkName(podName, ns, containerName, containerId));

    static string LegacyLinkStem(string podName, string ns, string containerName, string containerId) =>
        $"{podName}_{ns}_{containerName}-{containerId}";

    /// <summary>True when kubelet's 251-byte cut removes part of the id (Fluent Bit's 64-hex tag regex then cannot match).</summary>
    public static bool IsLegacyLinkNameCut(string podName, string ns, string containerName, string containerId) =>
        Encoding.UTF8.GetByteCount(podName) + 1 + Encoding.UTF8.GetByteCount(ns) + 1 + Encoding.UTF8.GetByteCount(containerName) + 1
        + Encoding.UTF8.GetByteCount(containerId) > LegacyStemMaxBytes;

    /// <summary>True when the cut removed the whole id, so every instance of the container gets the same name.</summary>
    public static bool LegacyLinkNameLosesWholeId(string podName, string ns, string containerName) =>
        Encoding.UTF8.GetByteCount($"{podName}_{ns}_{containerName}-") >= LegacyStemMaxBytes;

    static string CutToBytes(string s, int maxBytes)
    {
        // Names are validated DNS-1123, so ASCII: bytes and chars agree. Go slices bytes; so do we.
        var bytes = Encoding.UTF8.GetBytes(s);
        return bytes.Length <= maxBytes ? s : Encoding.UTF8.GetString(bytes, 0, maxBytes);
    }

    /// <summary>
    /// <c>parsePodUIDFromLogsDirectory</c> and its inverse: split on '_' (namespaces and pod names never
    /// contain it), uid last. Only names whose three parts validate are kubelet's; the uid as kubelet writes it,
    /// which for a static pod may be any uid its manifest set (<see cref="KubernetesNames.IsPodUidPart(ReadOnlySpan{char})"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParsePodDirectoryName(ReadOnlySpan<char> name, out PodDirectoryName parsed)
    {
        parsed = default;
        var first = name.IndexOf('_');
        if (first < 0) return false;
        var second = name[(first + 1)..].IndexOf('_') is var i and >= 0 ? first + 1 + i : -1;
        if (second < 0 || name[(second + 1)..].Contains('_')) return false;
        var ns = name[..first];
        var pod = name[(first + 1)..second];
        var uid = name[(second + 1)..];
        if (!KubernetesNames.IsDns1123Label(ns) || !KubernetesNames.IsDns1123Subdomain(pod) || !KubernetesNames.IsPodUidPart(uid))
            return false;
        parsed = new PodDirectoryName(ns.ToString(), pod.ToString(), uid.ToString());
        return true;
    }

    /// <summary>
    /// Whether an entry of the legacy links directory can be one of kubelet's: kubelet's GC (<c>evictPodLogsDirectories</c>
    /// in <c>kuberuntime_gc.go</c>) globs <c>*.log</c> there and never looks at anything else.
    /// </summary>
    public static bool IsLegacyLinkFileName(string fileName) => fileName.EndsWith(LogSuffix, StringComparison.Ordinal);

    /// <summary>
    /// Whether <paramref name="nodePath"/> (clean) is where kubelet can keep a legacy link: directly in the legacy links
    /// directory (<c>legacyContainerLogsDir</c>, not below it) and named <c>*.log</c> (<see cref="IsLegacyLinkFileName"/>).
    /// </summary>
    public static bool IsLegacyLinkPath(string containerLogsDirectory, string nodePath) =>
        NodePath.Parent(nodePath) == containerLogsDirectory && IsLegacyLinkFileName(NodePath.FileName(nodePath));

    /// <summary>
    /// Reads a legacy link name back like <c>getContainerIDFromLegacyLogSymlink</c>: from the right, the id
    /// after the last '-'. A 255-byte name was cut: its id, container, namespace or pod name may be partial,
    /// so the fields that cannot be known are null and the caller matches it against known containers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseLegacyLinkName(string fileName, out LegacyLinkName parsed)
    {
        parsed = default;
        if (!fileName.EndsWith(LogSuffix, StringComparison.Ordinal)) return false;
        var stem = fileName.AsSpan(0, fileName.Length - LogSuffix.Length);
        var isCut = Encoding.UTF8.GetByteCount(stem) == LegacyStemMaxBytes;
        var firstUnderscore = stem.IndexOf('_');
        var secondUnderscore = firstUnderscore < 0 ? -1 : stem[(firstUnderscore + 1)..].IndexOf('_') is var i and >= 0 ? firstUnderscore + 1 + i : -1;
        if (secondUnderscore < 0)
        {
            if (!isCut) return false;
            parsed = new LegacyLinkName(null, null, null, "", true);
            return true;
        }
        var pod = stem[..firstUnderscore];
        var ns = stem[(firstUnderscore + 1)..secondUnderscore];
        var rest = stem[(secondUnderscore + 1)..];
        if (rest.Contains('_') || !KubernetesNames.IsDns1123Subdomain(pod)) return false;
        var dash = rest.LastIndexOf('-');
        if (dash > 0)
        {
            var id = rest[(dash + 1)..];
            var container = rest[..dash];
            if (KubernetesNames.IsDns1123Label(ns) && KubernetesNames.IsDns1123Label(container) && KubernetesNames.IsContainerId(id))
            {
                parsed = new LegacyLinkName(pod.ToString(), ns.ToString(), container.ToString(), id.ToString(), false);
                return true;
            }
        }
        if (!isCut) return false;
        // Cut: the last '-' may belong to the container name, and the namespace may itself be cut. What follows the
        // last '-' is the id kubelet reads back (getContainerIDFromLegacyLogSymlink, at least 6 characters).
        var prefix = dash > 0 && KubernetesNames.IsContainerIdPrefix(rest[(dash + 1)..]) ? rest[(dash + 1)..].ToString() : "";
        parsed = new LegacyLinkName(pod.ToString(), rest.Length == 0 ? null : ns.ToString(), null, prefix, true);
        return true;
    }

    /// <summary>
    /// Whether a cut legacy name is the one kubelet builds for this container (any instance when
    /// the cut removed the whole id).
    /// </summary>
    public static bool LegacyLinkNameMatches(string fileName, string podName, string ns, string containerName, string containerId) =>
        string.Equals(fileName, LegacyLinkName(podName, ns, containerName, containerId), StringComparison.Ordinal);

    /// <summary>
    /// The largest restart count PodLogs takes as kubelet's. Kubelet's restartCount is an int32 it increments once per
    /// container start, and CrashLoopBackOff spaces restarts by up to five minutes: a billion restarts would take
    /// centuries, so a larger value (or one beyond int32) was not written by kubelet. The one rule for every place a
    /// restart count is read: N.log names, docker names and labels, the CRI's attempt (<see cref="IsRestartCount"/>).
    /// </summary>
    public const int MaxRestartCount = 999_999_999;

    /// <summary>Whether kubelet could have given this restart count (0 to <see cref="MaxRestartCount"/>).</summary>
    public static bool IsRestartCount(long n) => n is >= 0 and <= MaxRestartCount;

    /// <summary>
    /// A restart count as kubelet writes one (<c>strconv.Itoa</c>): ASCII digits, no sign, no leading zero, at most
    /// <see cref="MaxRestartCount"/>.
    /// </summary>
    public static bool TryParseRestartCount(ReadOnlySpan<char> text, out int restartCount)
    {
        restartCount = 0;
        if (!IsAsciiDigits(text) || text.Length > 9 || (text[0] == '0' && text.Length > 1)) return false;
        foreach (var c in text) restartCount = restartCount * 10 + (c - '0');
        return true;
    }

    /// <summary>One or more ASCII digits and nothing else (the shape of a number kubelet writes).</summary>
    public static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
            if (!char.IsAsciiDigit(c)) return false;
        return !text.IsEmpty;
    }

    /// <summary>
    /// A file in a container directory: <c>N.log</c>, or a rotated sibling <c>N.log.&lt;suffix&gt;</c>
    /// (<c>YYYYMMDD-hhmmss</c>, <c>.gz</c>, <c>.tmp</c>). Kubelet's <c>calcRestartCountByLogDir</c> regex
    /// is <c>^(\d+)\.log(\..*)?</c>; rotated siblings belong to N, they are not restarts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryParseContainerLogFileName(ReadOnlySpan<char> fileName, out ContainerLogFileName parsed)
    {
        parsed = default;
        var i = 0;
        while (i < fileName.Length && char.IsAsciiDigit(fileName[i])) i++;
        if (!TryParseRestartCount(fileName[..i], out var restartCount)) return false;
        if (!fileName[i..].StartsWith(LogSuffix, StringComparison.Ordinal)) return false;
        var end = i + LogSuffix.Length;
        string? suffix = null;
        if (end < fileName.Length)
        {
            if (fileName[end] != '.' || end + 1 == fileName.Length) return false;
            suffix = fileName[(end + 1)..].ToString();
        }
        parsed = new ContainerLogFileName(restartCount, suffix);
        return true;
    }

    /// <summary>
    /// Kubelet's <c>cleanupUnusedLogs</c> rule (<c>pkg/kubelet/logs/container_log_manager.go</c> <c>isInUse</c>): among
    /// the files next to a live log (<paramref name="siblingNames"/>, the names beginning <c>N.log.</c>), a <c>.tmp</c>
    /// (a compression that did not finish) and an uncompressed file whose <c>.gz</c> also exists (a kubelet that
    /// died between compressing and deleting) are not in use: kubelet removes them before its next rotation.
    /// They are no part of the log, but they take disk.
    /// </summary>
    public static bool IsLeftoverRotatedFile(string name, IReadOnlyCollection<string> siblingNames)
    {
        if (name.EndsWith(TmpSuffix, StringComparison.Ordinal)) return true;
        if (name.EndsWith(GzSuffix, StringComparison.Ordinal)) return false;
        foreach (var other in siblingNames)
            if (other.Length == name.Length + GzSuffix.Length && other.StartsWith(name, StringComparison.Ordinal) && other.EndsWith(GzSuffix, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>Splits a live log's siblings into the rotated files of its stream and kubelet's leftovers (<see cref="IsLeftoverRotatedFile"/>), keeping their order.</summary>
    public static (List<string> Rotated, List<string> Leftover) SplitRotatedSiblings(IReadOnlyList<string> siblingNames)
    {
        var rotated = new List<string>(siblingNames.Count);
        var leftover = new List<string>();
        foreach (var name in siblingNames) (IsLeftoverRotatedFile(name, siblingNames) ? leftover : rotated).Add(name);
        return (rotated, leftover);
    }

    public const string TmpSuffix = ".tmp";
    public const string GzSuffix = ".gz";

    /// <summary>The 1.5–1.9 layout: <c>/var/log/pods/&lt;uid&gt;/&lt;container&gt;_&lt;n&gt;.log</c> (PR #34858).</summary>
    public static bool TryParseUidFlatFileName(string fileName, out string containerName, out int restartCount)
    {
        containerName = "";
        restartCount = 0;
        if (!fileName.EndsWith(LogSuffix, StringComparison.Ordinal)) return false;
        var stem = fileName[..^LogSuffix.Length];
        var underscore = stem.LastIndexOf('_');
        if (underscore <= 0 || !TryParseRestartCount(stem.AsSpan(underscore + 1), out restartCount)) return false;
        containerName = stem[..underscore];
        return KubernetesNames.IsDns1123Label(containerName);
    }
}
