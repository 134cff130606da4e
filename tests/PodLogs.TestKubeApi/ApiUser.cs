namespace PodLogs.TestKubeApi;

/// <summary>An authenticated user: the name RBAC sees and its groups.</summary>
/// <param name="Name">e.g. system:node:node-1, or the name a token was added with.</param>
/// <param name="Groups">e.g. system:nodes and system:authenticated.</param>
public sealed record ApiUser(string Name, IReadOnlyList<string> Groups);
