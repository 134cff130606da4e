namespace PodLogs.Core.Runtime;

/// <summary>What the user said about runtime access. Endpoints are node paths (resolved under -Root like every node path).</summary>
public sealed record RuntimeSourceOptions
{
    public RuntimeSourceKind Kind { get; init; } = RuntimeSourceKind.Auto;
    public string? DockerEndpoint { get; init; }
    public string? CriEndpoint { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
}
