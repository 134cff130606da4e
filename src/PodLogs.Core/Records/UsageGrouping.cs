namespace PodLogs.Core;

/// <summary>What Measure-PodLog -By adds usage up over.</summary>
public enum UsageGrouping { Instance, Container, Pod, Namespace, Node }
