using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>Finds pod log directories under the pod logs directory and describes them.</summary>
public sealed class PodDirectoryScanner(NodeLayout layout, IPodLogsReporter reporter)
{
    /// <summary>Every pod directory kubelet could have made, in name order; anything else is reported, not crashed on.</summary>
    public IEnumerable<PodRef> Enumerate(LogSelection selection)
    {
        var podLogs = layout.PodLogsDirectory.Configured;
        var dir = layout.Root.ResolveDirectory(podLogs);
        if (!dir.IsResolved)
        {
            if (dir.Outcome == ResolveOutcome.NotFound) reporter.Verbose($"The pod logs directory {podLogs} does not exist under the root.");
            else ReportUnreadable(podLogs, dir.Errno);
            yield break;
        }
        var errno = layout.Root.ReadDirectory(dir, out var entries);
        if (errno != 0)
        {
            ReportUnreadable(podLogs, errno);
            yield break;
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var entry in entries)
        {
            var nodePath = NodePath.Combine(podLogs, entry.Name);
            if (dir.NodePath == podLogs) layout.Root.Seed(nodePath, entry.TypeHint);
            if (KubeletPaths.TryParsePodDirectoryName(entry.Name, out var id))
            {
                if (selection.MatchesPod(id.Namespace, id.PodName, id.PodUid))
                    yield return new PodRef(id.Namespace, id.PodName, id.PodUid, PodLogLayout.Current, nodePath, true);
                continue;
            }
            if (KubernetesNames.IsPodUid(entry.Name))
            {
                var layoutKind = GuessOldLayout(nodePath);
                if (layoutKind is null) continue;
                if (selection.MatchesPod(null, null, entry.Name))
                    yield return new PodRef(null, null, entry.Name, layoutKind.Value, nodePath, true);
                continue;
            }
            if (selection.SelectsEveryPod && !entry.Name.StartsWith(".podlogs-", StringComparison.Ordinal))
                reporter.Error(new PodLogsFailure(ErrorIds.Selection.PodDirectoryNotRecognized, FailureCategory.InvalidData,
                    $"{nodePath} is not a pod log directory kubelet would make ('<namespace>_<pod>_<uid>', or a bare uid on nodes before 1.14).",
                    layout.Root.ToLocal(nodePath)));
        }
    }

    /// <summary>1.10–1.13 put container directories under a bare uid; 1.5–1.9 put <c>&lt;container&gt;_&lt;n&gt;.log</c> files there.</summary>
    PodLogLayout? GuessOldLayout(string nodePath)
    {
        if (layout.Root.ReadDirectory(nodePath, out var entries) != 0) return null;
        foreach (var e in entries)
            if (e.TypeHint != FileKind.Directory && KubeletPaths.TryParseUidFlatFileName(e.Name, out _, out _))
                return PodLogLayout.UidFlat;
        return PodLogLayout.UidDirectory;
    }

    /// <summary>Kubelet's directory for one pod (<c>BuildPodLogsDirectory</c>), whether or not it exists.</summary>
    public PodRef Compute(string ns, string podName, string podUid)
    {
        var nodePath = KubeletPaths.BuildPodLogsDirectory(layout.PodLogsDirectory.Configured, ns, podName, podUid);
        var tooLong = KubeletPaths.IsPodDirectoryNameTooLong(ns, podName, podUid);
        var exists = !tooLong && layout.Root.Resolve(nodePath, followFinal: false) is { IsResolved: true, Status.Kind: FileKind.Directory };
        return new PodRef(ns, podName, podUid, PodLogLayout.Current, nodePath, exists);
    }

    /// <summary>
    /// The record for a pod: its containers, the bytes its regular files hold, when anything in it last
    /// changed, and with <paramref name="measureTargets"/> the bytes of the files its links point to
    /// outside it (docker's json logs, which removing the directory would not free).
    /// </summary>
    public PodLogDirectory Describe(PodRef pod, bool measureTargets = false)
    {
        var containers = new List<string>();
        var usage = new DirectoryUsage(layout, measureTargets);
        string? located = null;
        if (pod.Exists)
        {
            // Measured where its parents resolve under the root (a symlinked pod logs directory), as it is listed.
            var errno = layout.Root.ReadDirectory(pod.NodePath, out var entries, out var listedAt);
            usage.Located = located = listedAt;
            if (layout.Root.LStat(pod.NodePath, out var podStatus) is null) usage.Add(podStatus, pod.NodePath, isRoot: true);
            if (errno != 0) ReportUnreadable(pod.NodePath, errno);
            foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var childNode = NodePath.Combine(pod.NodePath, entry.Name);
                if (layout.Root.LStatListed(listedAt, entry.Name, out var child) != 0) continue;
                if (pod.Layout == PodLogLayout.UidFlat)
                {
                    if (KubeletPaths.TryParseUidFlatFileName(entry.Name, out var c, out _) && !containers.Contains(c)) containers.Add(c);
                    usage.Add(child, childNode);
                    continue;
                }
                if (entry.TypeHint != FileKind.Directory) { usage.Add(child, childNode); continue; }
                containers.Add(entry.Name);
                usage.Add(child, childNode, isRoot: true);
                if (layout.Root.ReadDirectory(childNode, out var files, out var childListedAt) != 0) continue;
                foreach (var f in files)
                    if (layout.Root.LStatListed(childListedAt, f.Name, out var file) == 0) usage.Add(file, NodePath.Combine(childNode, f.Name));
            }
        }
        return new PodLogDirectory
        {
            Namespace = pod.Namespace,
            PodName = pod.PodName,
            PodUid = pod.PodUid ?? "",
            IsStaticPod = KubernetesNames.IsStaticPodUid(pod.PodUid),
            Layout = pod.Layout,
            Root = layout.Root.LocalRoot,
            NodeNameLookup = layout.Root.NodeName,
            // Where it is (a symlinked pod logs directory followed under the root), as it was listed.
            FullName = layout.Root.ToLocal(located ?? pod.NodePath),
            NodePath = pod.NodePath,
            Exists = pod.Exists,
            NameTooLong = pod.NameTooLong,
            Containers = containers,
            TotalBytes = usage.Bytes,
            TargetBytes = measureTargets ? usage.TargetBytes() : null,
            LastWriteTime = usage.LastWrite,
            Age = usage.LastWrite is { } lastWrite ? DateTimeOffset.UtcNow - lastWrite : null,
        };
    }

    /// <summary>
    /// What one pod directory holds: its regular files, each inode once; links are not followed except to measure
    /// their targets, each inode once and never one the directory itself holds (a hard link of a docker json log in the
    /// directory is in <see cref="Bytes"/>, not again in <see cref="TargetBytes"/>). The same meaning as every record's TotalBytes.
    /// </summary>
    sealed class DirectoryUsage(NodeLayout layout, bool measureTargets)
    {
        readonly DiskUsage _files = new(layout.Root);
        readonly List<string> _links = [];
        /// <summary>Where the pod directory is, its parents resolved: a link whose chain ends in it points inside.</summary>
        public string Located { get; set; } = "/";
        public long Bytes => _files.Bytes;
        public DateTimeOffset? LastWrite { get; private set; }

        /// <param name="s">The entry's lstat, where it was listed.</param>
        public void Add(FileStatus s, string nodePath, bool isRoot = false)
        {
            if (LastWrite is null || s.LastWriteTime > LastWrite) LastWrite = s.LastWriteTime;
            if (isRoot) return;
            if (s.Kind == FileKind.RegularFile) _files.Add(s);
            else if (s.Kind == FileKind.SymbolicLink && measureTargets) _links.Add(nodePath);
        }

        /// <summary>The files the links point to outside the directory, measured once every file inside was counted.</summary>
        public long TargetBytes()
        {
            var targets = new DiskUsage(layout.Root);
            foreach (var link in _links)
            {
                var resolved = layout.Root.Resolve(link);
                // The chain's end was lstat'd where it resolved.
                if (resolved.IsResolved && !NodePath.IsUnder(resolved.NodePath, Located) && !_files.Contains(resolved.Status)) targets.Add(resolved.Status);
            }
            return targets.Bytes;
        }
    }

    void ReportUnreadable(string nodePath, int errno) => reporter.Error(PodLogsFailure.DirectoryUnreadable(layout.Root, nodePath, errno));
}
