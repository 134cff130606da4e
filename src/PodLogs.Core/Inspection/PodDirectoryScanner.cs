using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>A pod as found on disk (or computed): identity, layout and where its directory is.</summary>
public sealed record PodRef(string? Namespace, string? PodName, string? PodUid, PodLogLayout Layout, string NodePath, bool Exists)
{
    public bool NameTooLong => Namespace is not null && PodName is not null && PodUid is not null
        && KubeletPaths.IsPodDirectoryNameTooLong(Namespace, PodName, PodUid);
}

/// <summary>Finds pod log directories under the pod logs directory and describes them.</summary>
public sealed class PodDirectoryScanner(NodeLayout layout, IPodLogsReporter reporter)
{
    const string NotRecognizedId = "PodDirectoryNotRecognized";

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
        var errno = DirectoryReader.Read(layout.Root.ToLocal(dir.NodePath), out var entries);
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
                reporter.Error(new PodLogsFailure(NotRecognizedId, FailureCategory.InvalidData,
                    $"{nodePath} is not a pod log directory kubelet would make ('<namespace>_<pod>_<uid>', or a bare uid on nodes before 1.14).",
                    layout.Root.ToLocal(nodePath)));
        }
    }

    /// <summary>1.10–1.13 put container directories under a bare uid; 1.5–1.9 put <c>&lt;container&gt;_&lt;n&gt;.log</c> files there.</summary>
    PodLogLayout? GuessOldLayout(string nodePath)
    {
        if (DirectoryReader.Read(layout.Root.ToLocal(nodePath), out var entries) != 0) return null;
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

    /// <summary>The record for a pod: its containers and the bytes its regular files hold.</summary>
    public PodLogDirectory Describe(PodRef pod)
    {
        var containers = new List<string>();
        long bytes = 0;
        DateTimeOffset? lastWrite = null;
        if (pod.Exists)
        {
            var local = layout.Root.ToLocal(pod.NodePath);
            if (Posix.LStat(local, out var dirStatus) == 0) lastWrite = dirStatus.LastWriteTime;
            var errno = DirectoryReader.Read(local, out var entries);
            if (errno != 0) ReportUnreadable(pod.NodePath, errno);
            foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
            {
                var child = Path.Combine(local, entry.Name);
                if (pod.Layout == PodLogLayout.UidFlat)
                {
                    if (KubeletPaths.TryParseUidFlatFileName(entry.Name, out var c, out _) && !containers.Contains(c)) containers.Add(c);
                    bytes += RegularFileBytes(child);
                    continue;
                }
                if (entry.TypeHint != FileKind.Directory) { bytes += RegularFileBytes(child); continue; }
                containers.Add(entry.Name);
                if (DirectoryReader.Read(child, out var files) != 0) continue;
                foreach (var f in files) bytes += RegularFileBytes(Path.Combine(child, f.Name));
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
            FullName = layout.Root.ToLocal(pod.NodePath),
            NodePath = pod.NodePath,
            Exists = pod.Exists,
            NameTooLong = pod.NameTooLong,
            Containers = containers,
            TotalBytes = bytes,
            LastWriteTime = lastWrite,
        };
    }

    static long RegularFileBytes(string localPath) =>
        Posix.LStat(localPath, out var s) == 0 && s.Kind == FileKind.RegularFile ? s.AllocatedBytes : 0;

    void ReportUnreadable(string nodePath, int errno) =>
        reporter.Error(new PodLogsFailure("DirectoryUnreadable",
            errno is Posix.EACCES or Posix.EPERM ? FailureCategory.PermissionDenied : FailureCategory.ReadError,
            $"Cannot read {nodePath}: {Posix.Describe(errno)}.", layout.Root.ToLocal(nodePath)));
}
