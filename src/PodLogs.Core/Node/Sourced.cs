namespace PodLogs.Core.Node;

/// <summary>A configured value and where it came from: a node path of the file, a flag (<c>--container-log-max-size</c>), or "default".</summary>
public sealed record Sourced<T>(T Value, string Source)
{
    public const string Default = "default";
    public bool IsDefault => Source == Default;
}
