using System.Text.Json;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Runtime;

/// <summary>
/// containerd's running-task bundles, read with no daemon:
/// <c>/run/containerd/io.containerd.runtime.v2.task/k8s.io/&lt;id&gt;/config.json</c> (OCI spec annotations of
/// containerd's CRI plugin, <c>pkg/cri/annotations</c>). Running containers only; the log directory
/// comes from the sandbox's bundle through <c>sandbox-id</c>; no bundle stores the attempt or the log
/// path, so N is inferred from the highest <c>&lt;container&gt;/N.log</c> (kubelet's
/// <c>calcRestartCountByLogDir</c>) and this source gives no Missing verdicts and no N.log repairs.
/// </summary>
public sealed class ContainerdFileSource : IRuntimeSource
{
    public const string SourceName = "ContainerdFiles";
    public const string TaskDirectory = "/run/containerd/io.containerd.runtime.v2.task/k8s.io";
    const string ContainerType = "io.kubernetes.cri.container-type";
    const string SandboxId = "io.kubernetes.cri.sandbox-id";
    const string SandboxLogDirectory = "io.kubernetes.cri.sandbox-log-directory";
    const string SandboxName = "io.kubernetes.cri.sandbox-name";
    const string SandboxNamespace = "io.kubernetes.cri.sandbox-namespace";
    const string SandboxUid = "io.kubernetes.cri.sandbox-uid";
    const string ContainerName = "io.kubernetes.cri.container-name";

    public string Name => SourceName;

    public RuntimeSnapshot? Read(NodeLayout layout, IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        var dir = layout.Root.ResolveDirectory(TaskDirectory);
        var errno = layout.Root.ReadDirectory(dir, out var entries);
        if (errno is Posix.ENOENT or Posix.ENOTDIR)
        {
            reporter.Verbose($"No containerd task state: {TaskDirectory} does not exist under the root.");
            return null;
        }
        if (errno != 0)
        {
            // State that is there but cannot be read (a non-root user) is not "no containerd state".
            reporter.Error(new PodLogsFailure(ErrorIds.Runtime.ContainerdStateUnreadable, PodLogsFailure.ReadCategory(errno),
                $"Cannot list containerd's running tasks in {TaskDirectory}: {Posix.Describe(errno)}.", layout.Root.ToLocal(TaskDirectory)));
            return null;
        }
        var bundles = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!KubernetesNames.IsContainerId(e.Name)) continue;
            var bundle = NodePath.Combine(dir.NodePath, e.Name, "config.json");
            var local = layout.Root.ToLocal(bundle);
            var read = SafeFile.ReadNodeFile(layout.Root, bundle);
            if (read.Outcome == SafeReadOutcome.NotFound) continue;
            if (read.Outcome != SafeReadOutcome.Ok)
            {
                reporter.Error(new PodLogsFailure(ErrorIds.Runtime.ContainerdStateUnreadable, read.Outcome == SafeReadOutcome.AccessDenied ? FailureCategory.PermissionDenied : FailureCategory.ReadError,
                    $"Cannot read containerd's bundle {local}: {SafeFile.Describe(read)}.", local));
                continue;
            }
            try
            {
                bundles[e.Name] = Annotations(read.Content);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                reporter.Error(new PodLogsFailure(ErrorIds.Runtime.ContainerdStateUnreadable, FailureCategory.InvalidData, $"Cannot read containerd's bundle {local}: malformed JSON: {ex.Message}.", local, ex));
            }
        }

        var containers = new List<RuntimeContainer>();
        foreach (var (id, a) in bundles)
        {
            if (a.GetValueOrDefault(ContainerType) != "container") continue;
            if (a.GetValueOrDefault(SandboxId) is not { } sandboxId || !bundles.TryGetValue(sandboxId, out var sandbox)
                || sandbox.GetValueOrDefault(SandboxLogDirectory) is not { } logDirectory)
            {
                reporter.Verbose($"containerd container {id}: its sandbox's bundle (and so its log directory) is not there.");
                continue;
            }
            var dirName = NodePath.FileName(NodePath.Clean(logDirectory));
            KubeletPaths.TryParsePodDirectoryName(dirName, out var fromDirectory);
            var name = a.GetValueOrDefault(ContainerName) ?? "";
            var attempt = HighestRestartCount(layout, NodePath.Combine(NodePath.Clean(logDirectory), name));
            var container = new RuntimeContainer
            {
                Id = id,
                Namespace = sandbox.GetValueOrDefault(SandboxNamespace) ?? fromDirectory.Namespace ?? "",
                PodName = sandbox.GetValueOrDefault(SandboxName) ?? fromDirectory.PodName ?? "",
                PodUid = sandbox.GetValueOrDefault(SandboxUid) ?? fromDirectory.PodUid ?? "",
                ContainerName = name,
                RestartCount = attempt ?? 0,
                RestartCountInferred = true,
                State = ContainerState.Running,
                LogPath = NodePath.Combine(NodePath.Clean(logDirectory), KubeletPaths.BuildContainerLogsPath(name, attempt ?? 0)),
                SandboxId = sandboxId,
                SourceName = SourceName,
                StatePath = layout.Root.ToLocal(NodePath.Combine(dir.NodePath, id)),
            };
            if (!container.HasValidIdentity)
            {
                reporter.Error(ContainerIdentity.Invalid(container, $"containerd container {id}"));
                continue;
            }
            containers.Add(container);
        }
        if (containers.Count == 0)
        {
            reporter.Verbose($"No Kubernetes containers in containerd's task state under {TaskDirectory}.");
            return null;
        }
        reporter.Verbose($"containerd task state: {containers.Count} running Kubernetes containers (restart counts inferred from the log directories).");
        return new RuntimeSnapshot(SourceName, RuntimeKind.Cri, containers, layout) { KnowsEveryContainer = false };
    }

    /// <summary>The highest N among <c>N.log</c> and its rotated siblings (<c>calcRestartCountByLogDir</c>), or null.</summary>
    static int? HighestRestartCount(NodeLayout layout, string containerLogDirectory)
    {
        if (layout.Root.ReadDirectory(layout.Root.ResolveDirectory(containerLogDirectory), out var files) != 0) return null;
        int? max = null;
        foreach (var f in files)
            if (KubeletPaths.TryParseContainerLogFileName(f.Name, out var parsed) && (max is null || parsed.RestartCount > max))
                max = parsed.RestartCount;
        return max;
    }

    static Dictionary<string, string> Annotations(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("annotations", out var a) && a.ValueKind == JsonValueKind.Object)
            foreach (var p in a.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) result[p.Name] = p.Value.GetString()!;
        return result;
    }
}
