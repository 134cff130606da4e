using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Commands;

public sealed class PodNameCompleter : PodDirectoryCompleter
{
    protected override IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, NodeRoot root, string podLogsDirectory) => pods.Select(p => p.PodName);
}
