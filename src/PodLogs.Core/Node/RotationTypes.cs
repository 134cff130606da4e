namespace PodLogs.Core.Node;

/// <summary>Who cuts a container instance's log file when it grows (kubelet-facts.md §5, §11).</summary>
public enum RotationOwner { Kubelet, Docker, CriO, Logrotate, Nobody }

/// <summary>A configured value and where it came from: a node path of the file, a flag (<c>--container-log-max-size</c>), or "default".</summary>
public sealed record Sourced<T>(T Value, string Source)
{
    public const string Default = "default";
    public bool IsDefault => Source == Default;
}

/// <summary>Kubelet's rotation settings (<c>container_log_manager.go</c>); MaxSize ≤ 0 turns rotation off.</summary>
public sealed record KubeletRotation(Sourced<long> MaxSize, Sourced<int> MaxFiles, Sourced<int> MaxWorkers, Sourced<TimeSpan> MonitorInterval, string? ConfigFile);

/// <summary>dockerd's defaults for new containers (<c>daemon.json</c> <c>log-driver</c> and <c>log-opts</c>), with the file they came from.</summary>
public sealed record DockerDaemonLogConfig(Sourced<string> Driver, IReadOnlyDictionary<string, string> Options, string OptionsSource);

/// <summary>One logrotate rule whose paths cover a log root: the file, its paths, the roots covered, and its limits.</summary>
public sealed record LogrotateRule(string File, IReadOnlyList<string> Paths, IReadOnlyList<string> CoveredRoots, long? SizeBytes, int? Rotate, bool CopyTruncate);

/// <summary>The answer for one container instance: who rotates its log, at what size, keeping how many files, and where each came from.</summary>
public sealed record RotationAnswer(RotationOwner RotatedBy, string RotatedBySource, long? MaxBytes, string? MaxBytesSource, int? MaxFiles, string? MaxFilesSource)
{
    /// <summary>logrotate rules that also cover this instance's log while another owner rotates it (each warned about once per command).</summary>
    public IReadOnlyList<LogrotateRule> ConflictingRules { get; init; } = [];
}
