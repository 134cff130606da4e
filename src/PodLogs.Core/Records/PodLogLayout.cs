namespace PodLogs.Core;

/// <summary>Which kubelet generation laid out a pod directory (docs/kubelet-facts.md §2).</summary>
public enum PodLogLayout
{
    /// <summary>Kubernetes 1.14+: <c>&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>.</summary>
    Current,
    /// <summary>Kubernetes 1.10–1.13: <c>&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>.</summary>
    UidDirectory,
    /// <summary>Kubernetes 1.5–1.9: <c>&lt;uid&gt;/&lt;container&gt;_&lt;N&gt;.log</c>.</summary>
    UidFlat,
}
