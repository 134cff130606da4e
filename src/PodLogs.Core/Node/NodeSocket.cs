using System.Text;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Node;

/// <summary>
/// Runtime endpoints as docker, kubelet and crictl write them (<c>unix:///run/containerd/containerd.sock</c>,
/// or a bare socket path), read as node paths: resolved chroot-style under -Root like every other node
/// path, so <c>-Root /host</c> reaches <c>/host/run/...</c> and a <c>/var/run → /run</c> link stays on the node.
/// </summary>
public static class NodeSocket
{
    const string UnixScheme = "unix://";

    /// <summary>The longest path a <c>sockaddr_un</c> holds (108 bytes with the terminating NUL).</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>The node path of a unix endpoint; null for other schemes (tcp://, npipe://), which are used as given.</summary>
    /// <exception cref="ArgumentException">A unix endpoint whose path is not absolute.</exception>
    public static string? ParseUnixPath(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string path;
        if (endpoint.StartsWith(UnixScheme, StringComparison.OrdinalIgnoreCase)) path = endpoint[UnixScheme.Length..];
        else if (endpoint.Contains("://", StringComparison.Ordinal)) return null;
        else path = endpoint;
        if (!NodePath.IsAbsolute(path) || path.Contains('\0'))
            throw new ArgumentException(
                $"The endpoint '{endpoint}' is not a unix socket: write it as 'unix:///run/containerd/containerd.sock' or as an absolute socket path.", nameof(endpoint));
        return NodePath.Clean(path);
    }

    /// <summary>
    /// The local path of the socket at a node path; a missing socket is a RuntimeUnavailableException with
    /// EndpointExists false, one that is not a socket or cannot be used one with EndpointExists true.
    /// </summary>
    public static string Resolve(NodeLayout layout, string socketNodePath, string sourceName, string endpoint)
    {
        var resolution = layout.Root.Resolve(socketNodePath);
        var local = layout.Root.ToLocal(resolution.NodePath);
        switch (resolution.Outcome)
        {
            case ResolveOutcome.NotFound or ResolveOutcome.NotADirectory:
                throw new RuntimeUnavailableException(sourceName, endpoint, endpointExists: false,
                    $"No {sourceName} socket at {endpoint}: {layout.Root.ToLocal(socketNodePath)} does not exist.");
            case ResolveOutcome.Resolved:
                break;
            case ResolveOutcome.AccessDenied:
                throw new RuntimeUnavailableException(sourceName, endpoint, endpointExists: true,
                    $"The {sourceName} endpoint {endpoint} cannot be reached by this user: resolving {layout.Root.ToLocal(socketNodePath)} stopped at {local} (permission denied). Run as root.")
                    { AccessDenied = true };
            default:
                throw new RuntimeUnavailableException(sourceName, endpoint, endpointExists: true,
                    $"The {sourceName} endpoint {endpoint} cannot be reached: resolving {layout.Root.ToLocal(socketNodePath)} stopped at {local} ({resolution.Outcome}).");
        }
        if (resolution.Status.Kind != FileKind.Socket)
            throw new RuntimeUnavailableException(sourceName, endpoint, endpointExists: true,
                $"The {sourceName} endpoint {endpoint} is not a socket: {local} is a {resolution.Status.Kind}.");
        // connect(2) needs write permission on the socket: a root-only socket is there but not for this user.
        if (Posix.EffectiveAccess(local, Posix.WriteOk) is Posix.EACCES or Posix.EPERM)
            throw new RuntimeUnavailableException(sourceName, endpoint, endpointExists: true,
                $"The {sourceName} socket {local} is there but this user may not connect to it (permission denied). Run as root, or as a member of the socket's group.")
                { AccessDenied = true };
        if (Encoding.UTF8.GetByteCount(local) > MaxSocketPathBytes)
            throw new RuntimeUnavailableException(sourceName, endpoint, endpointExists: true,
                $"The {sourceName} socket path {local} is longer than a unix socket address allows ({MaxSocketPathBytes} bytes); use a shorter -Root.");
        return local;
    }
}
