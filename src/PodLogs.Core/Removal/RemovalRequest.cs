namespace PodLogs.Core.Removal;

/// <summary>
/// An entry a cleanup rule decided is dead (<see cref="PodDirectoryCleanup"/>, <see cref="LinkCleanup"/>): a node path built
/// from an identity, never taken from input, what it must be, and whose it is and why it goes (carried to the result).
/// </summary>
public sealed record RemovalRequest(string NodePath, RemovalKind Kind)
{
    public string? Namespace { get; init; }
    public string? PodName { get; init; }
    public string? PodUid { get; init; }
    public string? ContainerName { get; init; }
    public int? RestartCount { get; init; }
    public string Reason { get; init; } = "";
}
