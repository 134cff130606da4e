using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Commands;

public sealed class ContainerNameCompleter : PodDirectoryCompleter
{
    protected override IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, NodeRoot root, string podLogsDirectory) =>
        pods.SelectMany(p => root.ReadDirectory(NodePath.Combine(podLogsDirectory, KubeletPaths.PodDirectoryName(p.Namespace, p.PodName, p.PodUid)), out var entries) == 0
            ? entries.Where(e => e.TypeHint == FileKind.Directory).Select(e => e.Name)
            : []);
}
