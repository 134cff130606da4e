namespace PodLogs.Core.Node;

/// <summary>dockerd's defaults for new containers (<c>daemon.json</c> <c>log-driver</c> and <c>log-opts</c>), with the file they came from.</summary>
public sealed record DockerDaemonLogConfig(Sourced<string> Driver, IReadOnlyDictionary<string, string> Options, string OptionsSource);
