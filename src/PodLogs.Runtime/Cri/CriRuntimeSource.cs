using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using PodLogs.Core;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Cri.V1;
using CoreState = PodLogs.Core.ContainerState;
using CriState = PodLogs.Runtime.Cri.V1.ContainerState;

namespace PodLogs.Runtime.Cri;

/// <summary>
/// A live CRI runtime (containerd, CRI-O, cri-dockerd) over its <c>runtime.v1</c> gRPC socket:
/// <c>Version</c>, <c>ListContainers</c>, then <c>ContainerStatus</c> for each Kubernetes container
/// (the list lacks the log path and the start time). The endpoint is a node path, resolved under
/// -Root like every other node path, so <c>-Root /host</c> reaches <c>/host/run/containerd/containerd.sock</c>.
/// </summary>
/// <remarks>
/// The timeout bounds the whole read, not each call: a hung runtime costs at most the timeout, and
/// the caller's token stops it at once. Status calls run a few at a time on the one HTTP/2
/// connection; the result keeps a fixed order whatever order the answers come in.
/// </remarks>
public sealed class CriRuntimeSource : IRuntimeSource
{
    public const string SourceName = "Cri";
    /// <summary>What kubelet sends as its CRI version (<c>kubeRuntimeAPIVersion</c>).</summary>
    const string KubeletApiVersion = "0.1.0";
    /// <summary>At most this many ContainerStatus calls in flight: enough to hide the round trips, gentle on the runtime.</summary>
    internal const int MaxConcurrentStatusCalls = 8;

    public CriRuntimeSource(string endpoint, TimeSpan timeout)
    {
        SocketNodePath = NodeSocket.ParseUnixPath(endpoint)
                         ?? throw new ArgumentException($"The CRI endpoint '{endpoint}' is not a unix socket: write it as 'unix:///run/containerd/containerd.sock' or as an absolute socket path.", nameof(endpoint));
        if (timeout <= TimeSpan.Zero && timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The CRI timeout must be positive.");
        Endpoint = endpoint;
        // Beyond ~24.8 days a timer cannot count: that is no limit at all.
        Timeout = timeout.TotalMilliseconds > int.MaxValue ? System.Threading.Timeout.InfiniteTimeSpan : timeout;
    }

    public string Name => SourceName;
    /// <summary>The endpoint as given (<c>unix:///run/containerd/containerd.sock</c> or a bare path).</summary>
    public string Endpoint { get; }
    /// <summary>The socket's node-absolute path.</summary>
    public string SocketNodePath { get; }
    public TimeSpan Timeout { get; }

    /// <remarks>
    /// Blocks the calling thread (PowerShell's pipeline thread has no synchronization context) for at
    /// most the timeout; <paramref name="reporter"/> is called only on the calling thread, after the
    /// calls, because a cmdlet may write only from its pipeline thread.
    /// </remarks>
    public RuntimeSnapshot? Read(NodeLayout layout, IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(reporter);
        cancellationToken.ThrowIfCancellationRequested();
        var buffer = new BufferedReporter();
        try
        {
            return ReadAsync(layout, buffer, cancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            buffer.FlushTo(reporter);
        }
    }

    async Task<RuntimeSnapshot?> ReadAsync(NodeLayout layout, BufferedReporter reporter, CancellationToken cancellationToken)
    {
        var socket = FindSocket(layout);

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        DateTime? deadline = null;
        if (Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            budget.CancelAfter(Timeout);
            deadline = DateTime.UtcNow + Timeout;
        }
        var token = budget.Token;

        try
        {
            using var channel = CriEndpoint.CreateChannel(socket);
            var client = new RuntimeService.RuntimeServiceClient(channel);

            VersionResponse version;
            try
            {
                version = await client.VersionAsync(new VersionRequest { Version = KubeletApiVersion }, deadline: deadline, cancellationToken: token).ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                // A gRPC server without the CRI runtime.v1 service: dockerd's own containerd (CRI plugin
                // disabled), or a runtime that only serves v1alpha2 (kubelet 1.26+ cannot use it either).
                // It answered, and it holds no container kubelet could have made: not this node's runtime.
                reporter.Verbose($"The gRPC server at {Endpoint} does not serve CRI runtime.v1 ({ex.Status.Detail}); not a Kubernetes runtime.");
                return null;
            }
            var kind = KindOf(version.RuntimeName);

            var listed = await client.ListContainersAsync(new ListContainersRequest(), deadline: deadline, cancellationToken: token).ConfigureAwait(false);
            // Only containers kubelet made carry the pod uid label; dockerd's own containerd, nerdctl or
            // ctr containers do not, and a runtime holding none of kubelet's is not this node's runtime.
            var candidates = listed.Containers
                .Where(c => c.Labels.ContainsKey(DockershimNames.PodUidLabel))
                .OrderBy(c => c.Labels.GetValueOrDefault(DockershimNames.PodNamespaceLabel), StringComparer.Ordinal)
                .ThenBy(c => c.Labels.GetValueOrDefault(DockershimNames.PodNameLabel), StringComparer.Ordinal)
                .ThenBy(c => c.Labels.GetValueOrDefault(DockershimNames.PodUidLabel), StringComparer.Ordinal)
                .ThenBy(c => c.Metadata?.Name, StringComparer.Ordinal)
                .ThenBy(c => c.Metadata?.Attempt ?? 0)
                .ThenBy(c => c.Id, StringComparer.Ordinal)
                .ToArray();
            var runtime = $"{version.RuntimeName} {version.RuntimeVersion} (CRI {version.RuntimeApiVersion}) at {Endpoint}";
            if (candidates.Length == 0)
            {
                reporter.Verbose($"CRI runtime {runtime}: {listed.Containers.Count} containers, none of them Kubernetes containers.");
                return null;
            }

            var statuses = new V1.ContainerStatus?[candidates.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, candidates.Length),
                new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentStatusCalls, CancellationToken = token },
                async (i, ct) =>
                {
                    try
                    {
                        var response = await client.ContainerStatusAsync(new ContainerStatusRequest { ContainerId = candidates[i].Id }, deadline: deadline, cancellationToken: ct).ConfigureAwait(false);
                        statuses[i] = response.Status;
                    }
                    catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
                    {
                        // Removed between the list and its status: it is gone, not an error.
                    }
                }).ConfigureAwait(false);

            var containers = new List<RuntimeContainer>(candidates.Length);
            for (var i = 0; i < candidates.Length; i++)
            {
                if (statuses[i] is not { } status)
                {
                    reporter.Verbose($"CRI container {candidates[i].Id} was removed while it was being read.");
                    continue;
                }
                var (container, failure) = ToRuntimeContainer(candidates[i], status, socket);
                if (failure is not null) reporter.Error(failure);
                if (container is not null) containers.Add(container);
            }
            if (containers.Count == 0)
            {
                reporter.Verbose($"CRI runtime {runtime}: no Kubernetes container with a valid identity.");
                return null;
            }
            reporter.Verbose($"CRI runtime {runtime}: {containers.Count} Kubernetes containers.");
            return new RuntimeSnapshot(SourceName, kind, containers, layout);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or RpcException)
        {
            // Ctrl+C: a stop, not a failure of the runtime.
            throw new OperationCanceledException("Reading the CRI runtime was cancelled.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex)
        {
            throw TimedOut(ex);
        }
        catch (RpcException ex)
        {
            throw ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled ? TimedOut(ex) : Unavailable(ex);
        }
    }

    /// <summary>Holds what the read reports, in order, until the calling thread can pass it on.</summary>
    sealed class BufferedReporter : IPodLogsReporter
    {
        readonly List<Action<IPodLogsReporter>> _reports = [];
        public void Error(PodLogsFailure failure) { lock (_reports) _reports.Add(r => r.Error(failure)); }
        public void Warning(string message) { lock (_reports) _reports.Add(r => r.Warning(message)); }
        public void Verbose(string message) { lock (_reports) _reports.Add(r => r.Verbose(message)); }

        public void FlushTo(IPodLogsReporter target)
        {
            Action<IPodLogsReporter>[] reports;
            lock (_reports) reports = [.. _reports];
            foreach (var report in reports) report(target);
        }
    }

    /// <summary>cri-dockerd answers "docker": its N.log is a link into docker's data root. Everything else writes N.log itself.</summary>
    internal static RuntimeKind KindOf(string runtimeName) =>
        string.Equals(runtimeName, "docker", StringComparison.OrdinalIgnoreCase) ? RuntimeKind.Docker : RuntimeKind.Cri;

    /// <summary>The socket's local path, resolved chroot-style under -Root (so <c>/var/run → /run</c> stays on the node).</summary>
    string FindSocket(NodeLayout layout) => NodeSocket.Resolve(layout, SocketNodePath, SourceName, Endpoint);

    RuntimeUnavailableException TimedOut(Exception inner) =>
        new(SourceName, Endpoint, endpointExists: true,
            $"The CRI runtime at {Endpoint} did not answer within {Timeout.TotalSeconds:0.###} s.", inner);

    RuntimeUnavailableException Unavailable(RpcException ex)
    {
        var socketError = FindInner<SocketException>(ex)?.SocketErrorCode;
        var why = socketError switch
        {
            SocketError.ConnectionRefused => "the socket exists but nothing listens on it (connection refused)",
            SocketError.AccessDenied => "permission denied on the socket",
            _ when FindInner<HttpProtocolException>(ex) is not null || FindInner<HttpRequestException>(ex)?.HttpRequestError == HttpRequestError.HttpProtocolError =>
                $"it accepted the connection but does not speak gRPC over HTTP/2; is it a CRI socket? ({ex.Status.Detail})",
            _ => $"{ex.StatusCode}: {ex.Status.Detail}",
        };
        return new RuntimeUnavailableException(SourceName, Endpoint, endpointExists: true,
            $"The CRI runtime at {Endpoint} is not available: {why}.", ex);
    }

    static T? FindInner<T>(Exception? ex) where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is T found) return found;
        return null;
    }

    /// <summary>
    /// One Kubernetes container from its list entry (sandbox id) and its status (everything else).
    /// The identity comes from kubelet's labels and the CRI metadata; a name kubelet could not have
    /// built a path from is reported and skipped.
    /// </summary>
    internal static (RuntimeContainer?, PodLogsFailure?) ToRuntimeContainer(Container listed, V1.ContainerStatus status, string target)
    {
        var id = string.IsNullOrEmpty(status.Id) ? listed.Id : status.Id;
        var labels = status.Labels.Count > 0 ? status.Labels : listed.Labels;
        var ns = labels.GetValueOrDefault(DockershimNames.PodNamespaceLabel) ?? "";
        var pod = labels.GetValueOrDefault(DockershimNames.PodNameLabel) ?? "";
        var uid = labels.GetValueOrDefault(DockershimNames.PodUidLabel) ?? "";
        var labelName = labels.GetValueOrDefault(DockershimNames.ContainerNameLabel);
        var metadata = status.Metadata ?? listed.Metadata;
        var metadataName = metadata?.Name;
        if (!string.IsNullOrEmpty(metadataName) && !string.IsNullOrEmpty(labelName) && metadataName != labelName)
            return (null, ContainerIdentity.Conflict($"CRI container {id}", $"its metadata names container '{metadataName}' but its label {DockershimNames.ContainerNameLabel} says '{labelName}'", target));
        var containerName = string.IsNullOrEmpty(metadataName) ? labelName ?? "" : metadataName;
        var attempt = metadata is null || metadata.Attempt > int.MaxValue ? -1 : (int)metadata.Attempt;

        var result = new RuntimeContainer
        {
            Id = id,
            Namespace = ns,
            PodName = pod,
            PodUid = uid,
            ContainerName = containerName,
            RestartCount = attempt,
            State = status.State switch
            {
                CriState.ContainerCreated => CoreState.Created,
                CriState.ContainerRunning => CoreState.Running,
                CriState.ContainerExited => CoreState.Exited,
                _ => CoreState.Unknown,
            },
            StartedAt = FromUnixNanoseconds(status.StartedAt),
            LogPath = string.IsNullOrEmpty(status.LogPath) ? null : status.LogPath,
            SandboxId = string.IsNullOrEmpty(listed.PodSandboxId) ? null : listed.PodSandboxId,
            SourceName = SourceName,
            StatePath = target,
        };
        if (id != listed.Id || !result.HasValidIdentity)
            return (null, ContainerIdentity.Invalid(result, $"CRI container {listed.Id}", metadata?.Attempt.ToString() ?? "none"));
        return (result, null);
    }

    /// <summary>CRI times are nanoseconds since the epoch; 0 means "not set".</summary>
    internal static DateTimeOffset? FromUnixNanoseconds(long nanoseconds) =>
        nanoseconds <= 0 ? null : DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / TimeSpan.NanosecondsPerTick);
}
