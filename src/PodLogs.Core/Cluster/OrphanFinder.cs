using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Node;

namespace PodLogs.Core.Cluster;

/// <summary>
/// Log directories and legacy links no pod on this node in the API owns (issue #4 Deliver 4). A later
/// cleanup deletes what this calls orphaned, so it errs towards keeping: a static pod is matched by its
/// config hash, and nothing that changed after the pod list was taken, minus <paramref name="grace"/>, is
/// judged (a pod created since would own it). Nothing is removed here.
/// </summary>
public sealed class OrphanFinder(NodeLayout layout, ClusterSnapshot cluster, TimeSpan grace, IPodLogsReporter reporter)
{
    /// <summary><see cref="ErrorIds.Selection.InvalidGracePeriod"/> for a negative -GracePeriod, else null (every cmdlet that finds orphans asks this).</summary>
    public static PodLogsFailure? CheckGracePeriod(TimeSpan grace) =>
        grace < TimeSpan.Zero ? new(ErrorIds.Selection.InvalidGracePeriod, FailureCategory.InvalidArgument, $"-GracePeriod {grace} is negative.", null) : null;

    DateTimeOffset Cutoff => cluster.ListedAt - grace;

    public IEnumerable<PodLogDirectory> Directories(PodDirectoryScanner scanner, LogSelection selection, CancellationToken cancellationToken)
    {
        foreach (var pod in scanner.Enumerate(selection))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (cluster.PodOwningDirectory(pod.PodUid) is not null) continue;
            var record = scanner.Describe(pod, measureTargets: true);
            if (ChangedRecently(record.NodePath, record.LastWriteTime)) continue;
            yield return record with
            {
                InCluster = false,
                IsOrphaned = true,
            };
        }
    }

    public IEnumerable<OrphanedLegacyLink> LegacyLinks(LogSelection selection, CancellationToken cancellationToken)
    {
        foreach (var entry in new LegacyLinkIndex(layout, reporter).All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (entry.Namespace is not { } ns || entry.PodName is not { } podName || !selection.MatchesPod(ns, podName, entry.PodUid)) continue;
            // not kubelet's (its GC globs *.log): a cleanup must not take it for an orphaned legacy link
            if (!Paths.KubeletPaths.IsLegacyLinkFileName(entry.Name)) continue;
            string reason;
            if (entry.PodUid is { } uid)
            {
                if (cluster.PodOwningDirectory(uid) is not null) continue;
                reason = $"It points into the directory of pod {ns}/{podName} with uid {uid}, which no pod on node '{cluster.Node.Name}' has in the API.";
            }
            else
            {
                if (cluster.HasPodNamed(ns, podName)) continue;
                reason = $"No pod {ns}/{podName} is on node '{cluster.Node.Name}' in the API.";
            }
            // Reached chroot-style: a symlinked /var/log/containers is followed under the root, not from the host's '/'.
            if (layout.Root.LStat(entry.NodePath, out var status, out var located) is not null) continue;
            if (ChangedRecently(entry.NodePath, status.LastWriteTime)) continue;
            // A link's own few bytes are not counted, as on every record: only a regular file standing in its place.
            var own = new DiskUsage(layout.Root);
            own.Add(status);
            yield return new OrphanedLegacyLink
            {
                Namespace = ns,
                PodName = podName,
                ContainerName = entry.Parsed?.ContainerName,
                ContainerId = entry.Parsed?.ContainerIdPart,
                PodUid = entry.PodUid,
                Root = layout.Root.LocalRoot,
                NodeNameLookup = layout.Root.NodeName,
                FullName = layout.Root.ToLocal(located),
                NodePath = entry.NodePath,
                Target = entry.RawTarget,
                TotalBytes = own.Bytes,
                TargetBytes = TargetBytes(entry.NodePath, status.Kind),
                LastWriteTime = status.LastWriteTime,
                Age = DateTimeOffset.UtcNow - status.LastWriteTime,
                Reason = reason,
            };
        }
    }

    bool ChangedRecently(string nodePath, DateTimeOffset? lastWrite)
    {
        if (lastWrite is null || lastWrite <= Cutoff) return false;
        reporter.Verbose($"{nodePath} is not judged: it changed at {lastWrite:u}, within the grace period before the pod list was taken ({Cutoff:u}).");
        return true;
    }

    /// <summary>
    /// The file a link's chain ends at, resolved under the root. Only for a link: a regular file standing in its place is
    /// its own TotalBytes, and counting it again here counted the same file twice.
    /// </summary>
    long TargetBytes(string linkNodePath, FileKind kind)
    {
        if (kind != FileKind.SymbolicLink) return 0;
        var target = new DiskUsage(layout.Root);
        target.AddChainEnd(linkNodePath);
        return target.Bytes;
    }
}
