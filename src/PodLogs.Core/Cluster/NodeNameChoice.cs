namespace PodLogs.Core.Cluster;

/// <summary>The node name to ask the API about, and how it was found.</summary>
public sealed record NodeNameChoice(string Name, string FoundBy);
