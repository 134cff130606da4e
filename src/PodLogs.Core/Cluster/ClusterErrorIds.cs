namespace PodLogs.Core.Cluster;

/// <summary>The stable ErrorIds of cluster failures (a runbook catches these by name).</summary>
public static class ClusterErrorIds
{
    public const string ConfigNotFound = "ClusterConfigNotFound";
    public const string ConfigInvalid = "ClusterConfigInvalid";
    public const string ContextNotFound = "ClusterContextNotFound";
    public const string Unreachable = "ClusterUnreachable";
    public const string CertificateUntrusted = "ClusterCertificateUntrusted";
    public const string Unauthorized = "ClusterUnauthorized";
    public const string Forbidden = "ClusterForbidden";
    public const string Timeout = "ClusterTimeout";
    public const string RequestFailed = "ClusterRequestFailed";
    public const string NodeNotFound = "NodeNotFound";
    public const string NodeIdentityMismatch = "NodeIdentityMismatch";
    public const string NodeNameUnknown = "NodeNameUnknown";
}
