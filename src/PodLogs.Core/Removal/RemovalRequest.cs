namespace PodLogs.Core.Removal;

/// <summary>An entry a caller decided is dead (issue #13 decides which): a node path built from an identity, and what it must be.</summary>
public sealed record RemovalRequest(string NodePath, RemovalKind Kind);
