namespace PodLogs.Core.Metrics;

/// <summary>One sample of a family: its label pairs (names fixed by <see cref="NodeMetrics"/>, values from the node) and its value.</summary>
public sealed record MetricSample(IReadOnlyList<KeyValuePair<string, string>> Labels, double Value);
