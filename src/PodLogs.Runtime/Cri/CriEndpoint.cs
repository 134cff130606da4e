using System.Net.Sockets;
using Grpc.Net.Client;
using PodLogs.Core.Paths;

namespace PodLogs.Runtime.Cri;

/// <summary>
/// A CRI endpoint as kubelet and crictl take it, and the gRPC channel to it.
/// </summary>
internal static class CriEndpoint
{
    const string UnixScheme = "unix://";

    /// <summary>Kubelet's limit for CRI messages (<c>maxMsgSize</c> in k8s.io/cri-client, 16 MiB); gRPC's default 4 MiB is too small for big nodes.</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024;

    /// <summary>
    /// A gRPC channel speaking HTTP/2 without TLS over the unix socket at <paramref name="localSocketPath"/>
    /// (the address is only a placeholder: every connection goes to the socket).
    /// </summary>
    public static GrpcChannel CreateChannel(string localSocketPath)
    {
        var endPoint = new UnixDomainSocketEndPoint(localSocketPath);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = MaxMessageBytes,
            MaxSendMessageSize = MaxMessageBytes,
        });
    }
}
