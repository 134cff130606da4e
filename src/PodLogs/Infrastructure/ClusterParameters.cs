namespace PodLogs.Commands;

/// <summary>
/// What the cluster parameters mean wherever they are declared: -Kubeconfig, -Context and -NodeName (ClusterLinkCmdlet,
/// Get-PodLogDirectory) and -TimeoutSec (ContainerSelectionCmdlet, Get-PodLogDirectory). PowerShell binds only a cmdlet's
/// own properties and the two put them in different parameter sets (every set of the link cmdlets, Get-PodLogDirectory's
/// ByName set only), so each declares the properties; -TimeoutSec's defaults are here once, and the help of all four is in
/// shared-parameters.xml once.
/// </summary>
internal static class ClusterParameters
{
    /// <summary>-TimeoutSec's default for one answer from a container runtime daemon: the Docker Engine API, a CRI runtime.</summary>
    public const int RuntimeDefaultTimeoutSec = 5;

    /// <summary>-TimeoutSec's default for one request to the Kubernetes API server: the Node object, the pods bound to this node.</summary>
    public const int ApiDefaultTimeoutSec = 10;

    /// <summary>The bound of a runtime daemon call; <paramref name="timeoutSec"/> 0 is -TimeoutSec not given (a given one is 1 or more).</summary>
    public static TimeSpan RuntimeTimeout(int timeoutSec) => TimeSpan.FromSeconds(timeoutSec > 0 ? timeoutSec : RuntimeDefaultTimeoutSec);

    /// <summary>The bound of an API server request; <paramref name="timeoutSec"/> 0 is -TimeoutSec not given.</summary>
    public static TimeSpan ApiTimeout(int timeoutSec) => TimeSpan.FromSeconds(timeoutSec > 0 ? timeoutSec : ApiDefaultTimeoutSec);
}
