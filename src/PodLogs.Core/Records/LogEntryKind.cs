namespace PodLogs.Core;

/// <summary>Which of kubelet's two entries a record describes.</summary>
public enum LogEntryKind
{
    /// <summary><c>&lt;podLogsDir&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c> (or an older layout's equivalent).</summary>
    PodLog,
    /// <summary><c>/var/log/containers/&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;.log</c>.</summary>
    Legacy,
}
