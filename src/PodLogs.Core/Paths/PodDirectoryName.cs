namespace PodLogs.Core.Paths;

/// <summary>A pod directory's identity as parsed back from its name.</summary>
public readonly record struct PodDirectoryName(string Namespace, string PodName, string PodUid);
