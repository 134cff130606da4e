using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri;

namespace PodLogs.Runtime;

/// <summary>
/// The entry points the module calls by reflection: it loads this assembly into a private
/// AssemblyLoadContext, so the signatures hold only BCL and PodLogs.Core types (Core is shared
/// with the default context; gRPC and protobuf types never cross).
/// </summary>
public static partial class RuntimeSources
{
    /// <summary>
    /// A live CRI runtime source. <paramref name="endpoint"/> is <c>unix:///run/containerd/containerd.sock</c>
    /// or a bare socket path, a node path resolved under the layout's root when read;
    /// <paramref name="timeout"/> bounds each whole read.
    /// </summary>
    /// <exception cref="ArgumentException">The endpoint is not a unix socket path.</exception>
    public static IRuntimeSource CreateCri(string endpoint, TimeSpan timeout) => new CriRuntimeSource(endpoint, timeout);
}
