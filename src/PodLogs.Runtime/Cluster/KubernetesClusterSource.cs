using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using k8s;
using k8s.Autorest;
using k8s.Models;
using PodLogs.Core;
using PodLogs.Core.Cluster;

namespace PodLogs.Runtime.Cluster;

/// <summary>
/// The Kubernetes API through KubernetesClient: the Node object and the pods bound to it. Every call is
/// bounded by the timeout and stops at once on the caller's token; every failure becomes a
/// <see cref="PodLogsException"/> with one of <see cref="ErrorIds.Cluster"/>.
/// </summary>
internal sealed class KubernetesClusterSource : IClusterSource
{
    const int PageSize = 500;
    readonly Kubernetes _client;
    readonly TimeSpan _timeout;
    // What an error names as its target: the kubeconfig file, or the server for the service account.
    readonly string _target;

    // A first call spends most of its time building KubernetesClient's JSON contracts for the Node and the
    // pod list; on a second core that work overlaps reading the kubeconfig and the TLS handshake
    // (benchmarks/ClusterStartup.ps1, issue #4's 1 s target for a first call).
    static readonly Lazy<Task> JsonWarmUp = new(() => Task.Run(() =>
    {
        KubernetesJson.Deserialize<V1Node>("{}");
        KubernetesJson.Deserialize<V1PodList>("""{"items":[]}""");
    }));

    public KubernetesClusterSource(ClusterConfigChoice choice, TimeSpan timeout)
    {
        _ = JsonWarmUp.Value;
        var config = KubeconfigLoader.Load(choice);
        // Our own token bounds each call; KubernetesClient's would surface as a bare TaskCanceledException.
        config.HttpClientTimeout = Timeout.InfiniteTimeSpan;
        _client = new Kubernetes(config);
        _timeout = timeout;
        _target = choice.Files.FirstOrDefault() ?? config.Host;
        Description = $"the Kubernetes API at {config.Host}" + (config.CurrentContext is { } context ? $" (context '{context}')" : "");
    }

    public string Description { get; }

    public ClusterNode ReadNode(string name, CancellationToken cancellationToken)
    {
        var node = Call($"read node '{name}'", ct => _client.CoreV1.ReadNodeAsync(name, cancellationToken: ct), cancellationToken,
            notFound: () => new PodLogsException(ErrorIds.Cluster.NodeNotFound, FailureCategory.ObjectNotFound,
                $"There is no Node '{name}' in {Description}: pass -NodeName with the name kubelet registered, or check the kubeconfig's context.", _target));
        var info = node.Status?.NodeInfo;
        return new ClusterNode(node.Metadata?.Name ?? name, info?.MachineID, info?.SystemUUID, info?.BootID);
    }

    public IReadOnlyList<ClusterPod> ListPodsOnNode(string nodeName, CancellationToken cancellationToken)
    {
        var pods = new List<ClusterPod>();
        string? continueToken = null;
        do
        {
            var page = Call($"list the pods on node '{nodeName}'", ct => _client.CoreV1.ListPodForAllNamespacesAsync(
                    fieldSelector: $"spec.nodeName={nodeName}", limit: PageSize, continueParameter: continueToken, cancellationToken: ct),
                cancellationToken);
            pods.AddRange(page.Items.Select(ToClusterPod).OfType<ClusterPod>());
            continueToken = page.Metadata?.ContinueProperty;
        } while (!string.IsNullOrEmpty(continueToken));
        return pods;
    }

    static ClusterPod? ToClusterPod(V1Pod pod)
    {
        if (pod.Metadata is not { Name: { } name, Uid: { } uid } metadata) return null;
        var status = pod.Status;
        return new ClusterPod
        {
            Namespace = metadata.NamespaceProperty ?? "default",
            Name = name,
            Uid = uid.ToLowerInvariant(),
            NodeName = pod.Spec?.NodeName,
            Phase = status?.Phase,
            RestartPolicy = pod.Spec?.RestartPolicy,
            MirrorHash = metadata.Annotations?.TryGetValue("kubernetes.io/config.mirror", out var hash) == true && !string.IsNullOrEmpty(hash) ? hash : null,
            CreationTimestamp = metadata.CreationTimestamp is { } created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            DeletionTimestamp = metadata.DeletionTimestamp is { } deleted ? new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) : null,
            Containers =
            [
                .. Statuses(status?.InitContainerStatuses, ClusterContainerKind.Init),
                .. Statuses(status?.ContainerStatuses, ClusterContainerKind.Regular),
                .. Statuses(status?.EphemeralContainerStatuses, ClusterContainerKind.Ephemeral),
            ],
        };
    }

    static IEnumerable<ClusterContainerStatus> Statuses(IList<V1ContainerStatus>? statuses, ClusterContainerKind kind) =>
        (statuses ?? []).Where(s => !string.IsNullOrEmpty(s.Name)).Select(s => new ClusterContainerStatus
        {
            Name = s.Name,
            Kind = kind,
            ContainerId = BareId(s.ContainerID),
            RestartCount = s.RestartCount,
            State = s.State switch
            {
                { Running: not null } => ClusterContainerState.Running,
                { Terminated: not null } => ClusterContainerState.Terminated,
                { Waiting: not null } => ClusterContainerState.Waiting,
                _ => ClusterContainerState.None,
            },
            TerminatedContainerId = BareId(s.State?.Terminated?.ContainerID),
            WaitingReason = s.State?.Waiting?.Reason,
            HasLastTerminated = s.LastState?.Terminated is not null,
            LastTerminatedContainerId = BareId(s.LastState?.Terminated?.ContainerID),
        });

    /// <summary><c>containerd://&lt;id&gt;</c> → the bare lowercase id.</summary>
    static string? BareId(string? id)
    {
        if (string.IsNullOrEmpty(id)) return null;
        var scheme = id.IndexOf("://", StringComparison.Ordinal);
        return (scheme >= 0 ? id[(scheme + 3)..] : id).ToLowerInvariant();
    }

    T Call<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, Func<PodLogsException>? notFound = null)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(_timeout);
        try
        {
            return call(bounded.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(ErrorIds.Cluster.ClusterTimeout, FailureCategory.OperationTimeout, $"{Description} did not answer within {_timeout.TotalSeconds:0.#} s when asked to {what} (-TimeoutSec).", null);
        }
        catch (HttpOperationException ex)
        {
            var code = ex.Response?.StatusCode;
            if (code == HttpStatusCode.NotFound && notFound is not null) throw notFound();
            var message = ApiMessage(ex);
            throw code switch
            {
                HttpStatusCode.Unauthorized => Failure(ErrorIds.Cluster.ClusterUnauthorized, FailureCategory.SecurityError,
                    $"{Description} refused the credentials (401 Unauthorized) when asked to {what}: {message}. The kubeconfig's token or client certificate is wrong or expired.", ex),
                HttpStatusCode.Forbidden => Failure(ErrorIds.Cluster.ClusterForbidden, FailureCategory.PermissionDenied,
                    $"{Description} forbids this (403) when asked to {what}: {message}", ex),
                _ => Failure(ErrorIds.Cluster.ClusterRequestFailed, FailureCategory.ResourceUnavailable,
                    $"{Description} answered {(int?)code} {code} when asked to {what}: {message}", ex),
            };
        }
        catch (HttpRequestException ex) when (Find<AuthenticationException>(ex) is { } tls)
        {
            throw Failure(ErrorIds.Cluster.ClusterCertificateUntrusted, FailureCategory.SecurityError,
                $"The TLS handshake with {Description} failed when asked to {what}: {tls.Message} The server's certificate is not signed by the kubeconfig's certificate authority, or the kubeconfig is for another cluster.", ex);
        }
        catch (HttpRequestException ex)
        {
            var socket = Find<SocketException>(ex);
            throw Failure(ErrorIds.Cluster.ClusterUnreachable, FailureCategory.ResourceUnavailable,
                $"Cannot reach {Description} to {what}: {socket?.Message ?? ex.Message}", ex);
        }
    }

    static string ApiMessage(HttpOperationException ex)
    {
        var content = ex.Response?.Content;
        if (string.IsNullOrEmpty(content)) return ex.Message;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(content);
            return doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { Length: > 0 } text ? text : content;
        }
        catch (System.Text.Json.JsonException)
        {
            return content.Length > 200 ? content[..200] : content;
        }
    }

    static TException? Find<TException>(Exception ex) where TException : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is TException found) return found;
        return null;
    }

    PodLogsException Failure(string id, FailureCategory category, string message, Exception? inner) => new(id, category, message, _target, inner);

    public void Dispose() => _client.Dispose();
}
