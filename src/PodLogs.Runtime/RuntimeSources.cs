using PodLogs.Core.Runtime;
using PodLogs.Runtime.Docker;

namespace PodLogs.Runtime;

/// <summary>
/// The entry points the module calls by reflection once it has loaded this assembly into its private
/// load context: plain static methods with only BCL and Core types in their signatures.
/// </summary>
public static class RuntimeSources
{
    /// <summary>The Docker Engine API at a local endpoint (URL or socket path).</summary>
    public static IRuntimeSource CreateDocker(string endpoint, TimeSpan timeout) => new DockerApiSource(endpoint, timeout);

    /// <summary>The same, inspecting every container (the slower, always-exact way; for benchmarks).</summary>
    public static IRuntimeSource CreateDockerInspectingAll(string endpoint, TimeSpan timeout) =>
        new DockerApiSource(endpoint, timeout) { InspectEveryContainer = true };
}
