namespace PodLogs.Core.Node;

/// <summary>One logrotate rule whose paths cover a log root: the file, its paths, the roots covered, and its limits.</summary>
public sealed record LogrotateRule(string File, IReadOnlyList<string> Paths, IReadOnlyList<string> CoveredRoots, long? SizeBytes, int? Rotate, bool CopyTruncate);
