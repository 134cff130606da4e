using Docker.DotNet;
using Docker.DotNet.Models;
using PodLogs.Core;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Runtime.Docker;

/// <summary>
/// The Docker Engine API through Docker.DotNet: kubelet's containers found by label
/// (<c>io.kubernetes.docker.type=container</c>; sandboxes ignored).
/// One list call answers for started containers when the daemon logs with json-file (dockershim and
/// cri-dockerd never set a per-container driver): <c>DockerRootDir</c> from <c>/info</c> plus the
/// json-file naming gives LogPath. Created containers, other drivers and <see cref="InspectEveryContainer"/>
/// are inspected one by one.
/// </summary>
public sealed class DockerApiSource(string endpoint, TimeSpan timeout) : IRuntimeSource
{
    public const string SourceName = "Docker";
    const int MaxConcurrentInspects = 8;

    public string Name => SourceName;

    /// <summary>Inspect every container instead of deriving LogPath from /info (for measurement and comparison).</summary>
    public bool InspectEveryContainer { get; init; }

    public RuntimeSnapshot? Read(NodeLayout layout, IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        // A unix endpoint is a node path, resolved under -Root; tcp:// endpoints are used as given.
        var socketNodePath = NodeSocket.ParseUnixPath(endpoint);
        var uri = socketNodePath is null ? new Uri(endpoint) : new Uri("unix://" + NodeSocket.Resolve(layout, socketNodePath, "docker", endpoint));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using var config = new DockerClientConfiguration(uri, null, timeout);
            using var client = config.CreateClient();
            // Everything is reported here, on the caller's (pipeline) thread, never from a continuation.
            var (records, dataRoot, note) = ReadAsync(client, cts.Token).GetAwaiter().GetResult();
            var containers = new List<RuntimeContainer>();
            foreach (var record in records)
            {
                if (record is null) continue;
                var (container, failure) = record.ToRuntimeContainer();
                if (failure is not null) reporter.Error(failure);
                if (container is not null) containers.Add(container);
            }
            if (containers.Count == 0)
            {
                reporter.Verbose($"The docker daemon at {endpoint} has no Kubernetes containers.");
                return null;
            }
            reporter.Verbose($"Docker API at {endpoint}: {containers.Count} Kubernetes containers, {note}.");
            return new RuntimeSnapshot(SourceName, RuntimeKind.Docker, containers, layout) { DockerDataRoot = dataRoot };
        }
        catch (Exception ex) when (ex is not RuntimeUnavailableException && !cancellationToken.IsCancellationRequested
                                   && ex is OperationCanceledException or TimeoutException or HttpRequestException or DockerApiException or IOException
                                       or System.Net.Sockets.SocketException)
        {
            var why = ex is OperationCanceledException or TimeoutException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message;
            throw new RuntimeUnavailableException(SourceName, endpoint, true, $"The docker daemon at {endpoint} did not answer: {why}.", ex);
        }
    }

    async Task<(DockerContainerRecord?[] Records, string DataRoot, string Note)> ReadAsync(DockerClient client, CancellationToken ct)
    {
        var info = await client.System.GetSystemInfoAsync(ct).ConfigureAwait(false);
        var list = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{DockershimNames.ContainerTypeLabel}=container"] = true },
            },
        }, ct).ConfigureAwait(false);

        var dataRoot = NodePath.Clean(info.DockerRootDir);
        var fastPath = !InspectEveryContainer && info.LoggingDriver == "json-file";
        var records = new DockerContainerRecord?[list.Count];
        using var gate = new SemaphoreSlim(MaxConcurrentInspects);
        await Task.WhenAll(list.Select(async (c, i) =>
        {
            if (fastPath && c.State is "running" or "exited" or "paused" or "restarting" or "dead")
            {
                var labels = c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels);
                records[i] = new DockerContainerRecord(c.ID, c.Names?.FirstOrDefault(), labels, c.State is "running" or "paused" or "restarting", true,
                    null, DockershimNames.JsonLogPath(dataRoot, c.ID), "json-file", SourceName, $"docker container {c.ID}");
                return;
            }
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var inspect = await client.Containers.InspectContainerAsync(c.ID, ct).ConfigureAwait(false);
                records[i] = FromInspect(inspect);
            }
            catch (DockerContainerNotFoundException)
            {
                // Removed between list and inspect.
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);

        return (records, dataRoot, $"data root {dataRoot}, log driver {info.LoggingDriver}" +
            (fastPath ? " (LogPath from the data root for started containers)" : " (every container inspected)"));
    }

    static DockerContainerRecord FromInspect(ContainerInspectResponse c)
    {
        DateTimeOffset? started = DateTimeOffset.TryParse(c.State?.StartedAt, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1 ? t : null;
        var labels = c.Config?.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Config.Labels);
        return new DockerContainerRecord(c.ID, c.Name, labels, c.State?.Running ?? false, started is not null, started, c.LogPath, c.HostConfig?.LogConfig?.Type,
            SourceName, $"docker container {c.ID}")
        {
            LogOptions = c.HostConfig?.LogConfig?.Config is { } options ? new Dictionary<string, string>(options, StringComparer.Ordinal) : null,
        };
    }

}
