namespace PodLogs.Core;

/// <summary>
/// Every ErrorId the module raises, by area. A runbook catches these by name, so each is a contract:
/// add, never rename. The help test enumerates this class by reflection and fails on an id without help.
/// </summary>
public static class ErrorIds
{
    /// <summary>The node under -Root: its directories, kubelet's and docker's configuration.</summary>
    public static class Node
    {
        public const string RootNotFound = "RootNotFound";
        public const string NodePathNotAbsolute = "NodePathNotAbsolute";
        public const string NodeDirectoryNotFound = "NodeDirectoryNotFound";
        public const string LogRootUnsafe = "LogRootUnsafe";
        public const string DirectoryUnreadable = "DirectoryUnreadable";
        public const string KubeletConfigNotFound = "KubeletConfigNotFound";
        public const string KubeletConfigUnreadable = "KubeletConfigUnreadable";
        public const string DockerConfigUnreadable = "DockerConfigUnreadable";
    }

    /// <summary>The container runtime's own record of its containers (files or API).</summary>
    public static class Runtime
    {
        public const string RuntimeUnavailable = "RuntimeUnavailable";
        public const string InvalidEndpoint = "InvalidEndpoint";
        public const string DockerStateUnreadable = "DockerStateUnreadable";
        public const string ContainerdStateUnreadable = "ContainerdStateUnreadable";
        public const string CriStateUnreadable = "CriStateUnreadable";
        public const string ContainerIdentityInvalid = "ContainerIdentityInvalid";
        public const string ContainerIdentityConflict = "ContainerIdentityConflict";
        public const string ContainerAttemptUnknown = "ContainerAttemptUnknown";
    }

    /// <summary>The Kubernetes API: kubeconfig, connection, the node's identity.</summary>
    public static class Cluster
    {
        public const string ClusterConfigNotFound = "ClusterConfigNotFound";
        public const string ClusterConfigInvalid = "ClusterConfigInvalid";
        public const string ClusterContextNotFound = "ClusterContextNotFound";
        public const string ClusterUnreachable = "ClusterUnreachable";
        public const string ClusterCertificateUntrusted = "ClusterCertificateUntrusted";
        public const string ClusterUnauthorized = "ClusterUnauthorized";
        public const string ClusterForbidden = "ClusterForbidden";
        public const string ClusterTimeout = "ClusterTimeout";
        public const string ClusterRequestFailed = "ClusterRequestFailed";
        public const string NodeNotFound = "NodeNotFound";
        public const string NodeIdentityMismatch = "NodeIdentityMismatch";
        public const string NodeNameUnknown = "NodeNameUnknown";
    }

    /// <summary>What the command was asked for: names, ids, piped records, pod directories and entries.</summary>
    public static class Selection
    {
        public const string SelectionNotFound = "SelectionNotFound";
        public const string InputObjectNotAPod = "InputObjectNotAPod";
        public const string InvalidPodIdentity = "InvalidPodIdentity";
        public const string InvalidPodUid = "InvalidPodUid";
        public const string InvalidContainerId = "InvalidContainerId";
        public const string InvalidRestartCount = "InvalidRestartCount";
        public const string InvalidGracePeriod = "InvalidGracePeriod";
        public const string InputFromAnotherRoot = "InputFromAnotherRoot";
        public const string InputFromManyRoots = "InputFromManyRoots";
        public const string PodDirectoryNotRecognized = "PodDirectoryNotRecognized";
        public const string LogEntryUnreadable = "LogEntryUnreadable";
        public const string LogEntryNotFound = "LogEntryNotFound";
    }

    /// <summary>Planning and writing a repair of the link chain.</summary>
    public static class Repair
    {
        public const string NotAKubeletLogPath = "NotAKubeletLogPath";
        public const string NotRepairable = "NotRepairable";
        public const string ChainNotRepairable = "ChainNotRepairable";
        public const string NoOwningContainer = "NoOwningContainer";
        public const string NoRuntimeState = "NoRuntimeState";
        public const string ContainerLogGone = "ContainerLogGone";
        public const string LinkTargetMissing = "LinkTargetMissing";
        public const string LabelPathMismatch = "LabelPathMismatch";
        public const string LogPathMismatch = "LogPathMismatch";
        public const string RuntimeOwnsLogFile = "RuntimeOwnsLogFile";
        public const string RegularFileInTheWay = "RegularFileInTheWay";
        public const string EntryInTheWay = "EntryInTheWay";
        public const string PodDirectoryRemoved = "PodDirectoryRemoved";
        public const string PodDirectoryNameTooLong = "PodDirectoryNameTooLong";
        public const string LogTargetNotRegularFile = "LogTargetNotRegularFile";
        public const string LogTargetNotOwnLog = "LogTargetNotOwnLog";
        public const string LogRootNotFound = "LogRootNotFound";
        public const string ParentNotFound = "ParentNotFound";
        public const string ParentIsLink = "ParentIsLink";
        public const string EntryChanged = "EntryChanged";
        public const string EntryRestoreFailed = "EntryRestoreFailed";
        public const string AtomicRenameUnsupported = "AtomicRenameUnsupported";
        public const string RepairPermissionDenied = "RepairPermissionDenied";
        public const string RepairFailed = "RepairFailed";
    }

    /// <summary>Reading container logs: choosing the file, opening it, the filters.</summary>
    public static class Logs
    {
        public const string ContainerLogNotFound = "ContainerLogNotFound";
        public const string LogTargetOutsideRoots = "LogTargetOutsideRoots";
        public const string FollowWithPrevious = "FollowWithPrevious";
        public const string RestartCountWithPrevious = "RestartCountWithPrevious";
        public const string InvalidTimeBound = "InvalidTimeBound";
        public const string InvalidMatchPattern = "InvalidMatchPattern";
        public const string MatchTimedOut = "MatchTimedOut";
        public const string LogFileNotRegular = "LogFileNotRegular";
        public const string LogFileAccessDenied = "LogFileAccessDenied";
        public const string LogFileUnreadable = "LogFileUnreadable";
        public const string LogFileVanished = "LogFileVanished";
        public const string LogFileReadError = "LogFileReadError";
    }

    /// <summary>
    /// Removing a dead pod's directory tree, a dead link or kubelet's leftovers (Removal/: Remove-PodLogDirectory,
    /// Remove-ContainerLogLink; issue #13 item 4).
    /// </summary>
    public static class Removal
    {
        public const string OutsideLogRoots = "OutsideLogRoots";
        public const string LogRootNotRemovable = "LogRootNotRemovable";
        public const string RegularFileNotRemoved = "RegularFileNotRemoved";
        public const string RemovalPermissionDenied = "RemovalPermissionDenied";
        public const string RemovalFailed = "RemovalFailed";
        public const string NotALeftover = "NotALeftover";
        /// <summary>The API lists a pod that owns the directory (or the link's pod): it is not dead.</summary>
        public const string PodInCluster = "PodInCluster";
        /// <summary>The runtime still has a container of the pod (or the link's container).</summary>
        public const string ContainerStillPresent = "ContainerStillPresent";
        /// <summary>The link's container is running: kubelet spares its dangling link during a rotation, and so does PodLogs.</summary>
        public const string ContainerRunning = "ContainerRunning";
        /// <summary>Deciding needs the runtime's word (or, for a pod directory without -Force, the cluster's), and none could be had.</summary>
        public const string RuntimeWordRequired = "RuntimeWordRequired";
        /// <summary>The entry changed within -GracePeriod.</summary>
        public const string WithinGracePeriod = "WithinGracePeriod";
        /// <summary>A named entry is not dead: a live log's link, a pod directory in use.</summary>
        public const string EntryInUse = "EntryInUse";
    }

    /// <summary>Writing the embedded sample node.</summary>
    public static class Samples
    {
        public const string SampleRootNotEmpty = "SampleRootNotEmpty";
        public const string SampleNodeWriteFailed = "SampleNodeWriteFailed";
    }

    /// <summary>Export-PodLogMetric: the records it turns into metrics and the file it writes (issue #14 item 1).</summary>
    public static class Metrics
    {
        public const string MetricInputNotRecognized = "MetricInputNotRecognized";
        public const string MetricsPathIsDirectory = "MetricsPathIsDirectory";
        public const string MetricsWriteFailed = "MetricsWriteFailed";
        public const string MetricInputFromManyNodes = "MetricInputFromManyNodes";
        public const string PassThruWithoutPath = "PassThruWithoutPath";
    }
}
