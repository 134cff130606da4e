namespace PodLogs.Core.Metrics;

/// <summary>A metric family of the Prometheus text format: one name, its HELP text, its TYPE and its samples.</summary>
public sealed record MetricFamily(string Name, string Help, string Type, IReadOnlyList<MetricSample> Samples);
