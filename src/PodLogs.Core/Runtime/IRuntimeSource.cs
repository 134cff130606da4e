using PodLogs.Core.Node;

namespace PodLogs.Core.Runtime;

/// <summary>A source of runtime state (docker's files now; live APIs later, behind the same interface).</summary>
public interface IRuntimeSource
{
    string Name { get; }

    /// <summary>
    /// The snapshot, or null when this source holds no Kubernetes containers (not this node's runtime).
    /// Live sources throw <see cref="RuntimeUnavailableException"/> when they cannot be reached.
    /// </summary>
    RuntimeSnapshot? Read(NodeLayout layout, IPodLogsReporter reporter, CancellationToken cancellationToken);
}
