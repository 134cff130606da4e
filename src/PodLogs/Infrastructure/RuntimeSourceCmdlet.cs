using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;

namespace PodLogs.Commands;

/// <summary>
/// Pod selection plus the runtime's state: -Source, the daemons' endpoints and -TimeoutSec, and the one way a command
/// asks for the state (a live daemon that answers, else the files under -Root).
/// </summary>
public abstract class RuntimeSourceCmdlet : PodSelectionCmdlet
{
    /// <summary>Which runtime state to consult: Auto (kubelet's config, then a live daemon that answers, then files), None, Docker, DockerFiles, Cri, ContainerdFiles.</summary>
    [Parameter]
    public RuntimeSourceKind Source { get; set; } = RuntimeSourceKind.Auto;

    /// <summary>The Docker Engine endpoint on this machine (<c>unix:///var/run/docker.sock</c> or a socket path).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DockerEndpoint { get; set; }

    /// <summary>The CRI endpoint on this machine (<c>unix:///run/containerd/containerd.sock</c> or a socket path).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CriEndpoint { get; set; }

    /// <summary>How long one call may take: a daemon's answer here, an API server request with -Cluster (<see cref="ClusterParameters"/>; 0 when not given).</summary>
    [Parameter]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    /// <summary>The runtime source that answered, to ask again (null when none did).</summary>
    protected RuntimeSourceOptions? Answered { get; private set; }

    /// <summary>
    /// The node layout and the runtime's state under it (null when no source answered: <paramref name="withoutState"/> says
    /// what the command does then, in a verbose line).
    /// </summary>
    protected (RuntimeSnapshot? Runtime, NodeLayout Layout) LoadRuntime(string withoutState)
    {
        var layout = LoadLayout(wantsRuntimeEndpoint: Source is RuntimeSourceKind.Auto or RuntimeSourceKind.Cri && CriEndpoint is null);
        var options = new RuntimeSourceOptions
        {
            Kind = Source,
            DockerEndpoint = DockerEndpoint,
            CriEndpoint = CriEndpoint,
            Timeout = ClusterParameters.RuntimeTimeout(TimeoutSec),
        };
        var selector = new RuntimeSourceSelector(DependencyLoadContext.Factory, this);
        var (runtime, effectiveLayout) = selector.Select(layout, options, Cancellation);
        Answered = selector.Answered;
        if (runtime is null && Source != RuntimeSourceKind.None)
            WriteVerbose($"No runtime state found: {withoutState}.");
        else if (runtime is not null)
            WriteVerbose($"Runtime state from {runtime.SourceName}: {runtime.Containers.Count} Kubernetes containers.");
        return (runtime, effectiveLayout);
    }
}
