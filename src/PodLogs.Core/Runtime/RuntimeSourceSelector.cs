using PodLogs.Core.Node;

namespace PodLogs.Core.Runtime;

/// <summary>
/// Chooses and reads the runtime state for one command, as issue #3 orders it: an explicit -Source;
/// else kubelet's configured endpoint; else a live source that answers with Kubernetes containers;
/// else docker's or containerd's files. A socket that exists but fails is a warning; a missing one a
/// verbose note. On a cri-dockerd node the CRI answer is joined with docker's json-log paths.
/// </summary>
public sealed class RuntimeSourceSelector(ILiveRuntimeFactory? live, IPodLogsReporter reporter)
{
    /// <summary>CRI sockets probed when kubelet's config names none (docs/kubelet-facts.md §10).</summary>
    public static readonly IReadOnlyList<string> CriProbes = ["/run/containerd/containerd.sock", "/var/run/crio/crio.sock", "/run/cri-dockerd.sock"];
    public const string DefaultDockerSocket = "/var/run/docker.sock";

    /// <summary>
    /// The explicit options (-Source and endpoint) of the source that gave the last snapshot: selecting with
    /// them again reads the same runtime (a follower polls it), never another one Auto would fall back to.
    /// </summary>
    public RuntimeSourceOptions? Answered { get; private set; }

    public (RuntimeSnapshot? Snapshot, NodeLayout Layout) Select(NodeLayout layout, RuntimeSourceOptions options, CancellationToken ct)
    {
        Answered = null;
        RuntimeSnapshot? snapshot = options.Kind switch
        {
            RuntimeSourceKind.None => null,
            RuntimeSourceKind.DockerFiles => ReadFiles(new DockerFileSource(), RuntimeSourceKind.DockerFiles, layout, options, ct),
            RuntimeSourceKind.ContainerdFiles => ReadFiles(new ContainerdFileSource(), RuntimeSourceKind.ContainerdFiles, layout, options, ct),
            RuntimeSourceKind.Docker => ReadDocker(layout, options, ct, required: true),
            RuntimeSourceKind.Cri => ReadCri(layout, options, CriEndpoints(layout, options).First(), ct, required: true),
            _ => Auto(layout, options, ct),
        };
        if (snapshot?.DockerDataRoot is { } dataRoot && dataRoot != layout.DockerDataRoot.Configured && dataRoot != layout.DockerDataRoot.Canonical)
            layout = layout.WithDockerDataRoot(dataRoot);
        return (snapshot, layout);
    }

    ILiveRuntimeFactory Live => live ?? throw new InvalidOperationException("No live runtime factory.");

    RuntimeSnapshot? Auto(NodeLayout layout, RuntimeSourceOptions options, CancellationToken ct)
    {
        if (live is not null)
        {
            if (options.CriEndpoint is not null || layout.KubeletRuntimeEndpoint is not null)
            {
                var named = ReadCri(layout, options, CriEndpoints(layout, options).First(), ct, required: false);
                if (named is not null) return named;
            }
            var docker = ReadDocker(layout, options, ct, required: false);
            if (docker is not null) return docker;
            if (options.CriEndpoint is null && layout.KubeletRuntimeEndpoint is null)
                foreach (var probe in CriEndpoints(layout, options))
                    if (ReadCri(layout, options, probe, ct, required: false) is { } probed) return probed;
        }
        return ReadFiles(new DockerFileSource(), RuntimeSourceKind.DockerFiles, layout, options, ct)
            ?? ReadFiles(new ContainerdFileSource(), RuntimeSourceKind.ContainerdFiles, layout, options, ct);
    }

    RuntimeSnapshot? ReadFiles(IRuntimeSource source, RuntimeSourceKind kind, NodeLayout layout, RuntimeSourceOptions options, CancellationToken ct)
    {
        var snapshot = source.Read(layout, reporter, ct);
        if (snapshot is not null) Answered = options with { Kind = kind };
        return snapshot;
    }

    RuntimeSnapshot? ReadCri(NodeLayout layout, RuntimeSourceOptions options, string endpoint, CancellationToken ct, bool required)
    {
        var named = options.CriEndpoint is not null || layout.KubeletRuntimeEndpoint is not null;
        var cri = ReadLive("Cri", endpoint, () => Live.CreateCri(endpoint, options.Timeout), layout, ct, required, named);
        if (cri is null) return null;
        if (cri.Kind == RuntimeKind.Docker)
        {
            // cri-dockerd: CRI names containers and attempts, but ContainerStatus does not return docker's
            // json path; the link target comes from docker, through its API or its files.
            var docker = ReadDocker(layout, options, ct, required: false) ?? new DockerFileSource().Read(layout, reporter, ct);
            cri = cri.WithDockerLogs(docker, layout);
        }
        Answered = options with { Kind = RuntimeSourceKind.Cri, CriEndpoint = endpoint };
        return cri;
    }

    RuntimeSnapshot? ReadDocker(NodeLayout layout, RuntimeSourceOptions options, CancellationToken ct, bool required)
    {
        var endpoint = DockerEndpoint(layout, options);
        var docker = ReadLive("Docker", endpoint, () => Live.CreateDocker(endpoint, options.Timeout), layout, ct, required, named: options.DockerEndpoint is not null);
        if (docker is not null) Answered = options with { Kind = RuntimeSourceKind.Docker, DockerEndpoint = endpoint };
        return docker;
    }

    /// <summary>
    /// Reads a live source. A unix socket that is not there is checked here first, so the private load
    /// context (and its packages) is only loaded when there is a daemon to talk to.
    /// </summary>
    /// <param name="named">The endpoint was named (by a parameter or kubelet's config), not probed.</param>
    RuntimeSnapshot? ReadLive(string source, string endpoint, Func<IRuntimeSource> create, NodeLayout layout, CancellationToken ct, bool required, bool named)
    {
        try
        {
            if (NodeSocket.ParseUnixPath(endpoint) is { } socket) NodeSocket.Resolve(layout, socket, source, endpoint);
            return create().Read(layout, reporter, ct);
        }
        catch (RuntimeUnavailableException ex) when (ex.AccessDenied && required)
        {
            throw new PodLogsException(ErrorIds.Runtime.RuntimeUnavailable, FailureCategory.PermissionDenied, ex.Message, ex.Endpoint, ex);
        }
        catch (RuntimeUnavailableException ex) when (ex.AccessDenied && named)
        {
            // Runtime state that is there but cannot be read is an error, not "no runtime": the verdicts that follow lack it.
            reporter.Error(new PodLogsFailure(source == "Docker" ? ErrorIds.Runtime.DockerStateUnreadable : ErrorIds.Runtime.CriStateUnreadable, FailureCategory.PermissionDenied, ex.Message, ex.Endpoint));
            return null;
        }
        catch (RuntimeUnavailableException ex) when (!required)
        {
            if (ex.EndpointExists) reporter.Warning(ex.Message);
            else reporter.Verbose(ex.Message);
            return null;
        }
        catch (RuntimeUnavailableException ex)
        {
            throw new PodLogsException(ErrorIds.Runtime.RuntimeUnavailable, FailureCategory.ResourceUnavailable, ex.Message, ex.Endpoint, ex);
        }
        catch (ArgumentException ex)
        {
            throw new PodLogsException(ErrorIds.Runtime.InvalidEndpoint, FailureCategory.InvalidArgument, ex.Message, endpoint, ex);
        }
    }

    /// <summary>-DockerEndpoint; else DOCKER_HOST (only when -Root is '/'); else the node's docker socket.</summary>
    static string DockerEndpoint(NodeLayout layout, RuntimeSourceOptions options)
    {
        if (options.DockerEndpoint is not null) return options.DockerEndpoint;
        if (layout.Root.IsHostRoot && Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host) return host;
        return "unix://" + DefaultDockerSocket;
    }

    /// <summary>-CriEndpoint; else kubelet's endpoint; else the probes (all node paths).</summary>
    static IEnumerable<string> CriEndpoints(NodeLayout layout, RuntimeSourceOptions options)
    {
        if (options.CriEndpoint is not null) return [options.CriEndpoint];
        if (layout.KubeletRuntimeEndpoint is { } configured) return [configured];
        return CriProbes.Select(p => "unix://" + p);
    }
}
