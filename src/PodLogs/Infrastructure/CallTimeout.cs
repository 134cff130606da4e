namespace PodLogs.Commands;

/// <summary>
/// What -TimeoutSec means wherever it is declared (ContainerSelectionCmdlet, Get-PodLogDirectory): the bound of one call,
/// and without it a default per kind of call, the same in every cmdlet (the help says so once, in shared-parameters.xml).
/// </summary>
internal static class CallTimeout
{
    /// <summary>One answer from a container runtime daemon: the Docker Engine API, a CRI runtime.</summary>
    public const int RuntimeDefaultSec = 5;

    /// <summary>One request to the Kubernetes API server: the Node object, the pods bound to this node.</summary>
    public const int ApiDefaultSec = 10;

    /// <summary>The bound of a runtime daemon call; <paramref name="timeoutSec"/> 0 is -TimeoutSec not given (a given one is 1 or more).</summary>
    public static TimeSpan Runtime(int timeoutSec) => TimeSpan.FromSeconds(timeoutSec > 0 ? timeoutSec : RuntimeDefaultSec);

    /// <summary>The bound of an API server request; <paramref name="timeoutSec"/> 0 is -TimeoutSec not given.</summary>
    public static TimeSpan Api(int timeoutSec) => TimeSpan.FromSeconds(timeoutSec > 0 ? timeoutSec : ApiDefaultSec);
}
