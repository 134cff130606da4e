using System.Runtime.CompilerServices;
using System.Text.Json;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>
/// The node under -Root: where pod logs, legacy links and docker's state live, found the way kubelet
/// and dockerd find them, with explicit overrides winning.
/// </summary>
public sealed class NodeLayout
{
    public const string DefaultDockerDataRoot = "/var/lib/docker";
    public const string DockerDaemonConfig = "/etc/docker/daemon.json";

    /// <summary>Where kubelet's --config usually is, in order: kubeadm, kubeadm JSON, EKS, kops/others.</summary>
    public static readonly IReadOnlyList<string> KubeletConfigCandidates =
    [
        "/var/lib/kubelet/config.yaml",
        "/var/lib/kubelet/config.json",
        "/etc/kubernetes/kubelet/kubelet-config.json",
        "/etc/kubernetes/kubelet-config.yaml",
        "/etc/kubernetes/kubelet.yaml",
    ];

    NodeLayout(NodeRoot root, NodeDirectory podLogs, NodeDirectory containerLogs, NodeDirectory dockerDataRoot, string? kubeletConfig)
    {
        Root = root;
        PodLogsDirectory = podLogs;
        ContainerLogsDirectory = containerLogs;
        DockerDataRoot = dockerDataRoot;
        DockerContainersDirectory = Canonicalise(root, NodePath.Combine(dockerDataRoot.Configured, "containers"), "DockerDataRoot", "docker containers directory");
        KubeletConfigFile = kubeletConfig;
    }

    public NodeRoot Root { get; }
    public NodeDirectory PodLogsDirectory { get; }
    public NodeDirectory ContainerLogsDirectory { get; }
    public NodeDirectory DockerDataRoot { get; }
    /// <summary>
    /// Docker's <c>containers</c> directory under its data root, where the json logs live: the runtime's log root.
    /// The rest of the data root (overlay layers, volumes, images) holds no container log (issue #11).
    /// </summary>
    public NodeDirectory DockerContainersDirectory { get; }
    /// <summary>The kubelet configuration file read, if any (node path).</summary>
    public string? KubeletConfigFile { get; }

    /// <summary>The CRI endpoint kubelet is configured with (<c>containerRuntimeEndpoint</c> or <c>--container-runtime-endpoint</c>), as written on the node.</summary>
    public string? KubeletRuntimeEndpoint { get; private init; }

    /// <summary>True when a resolved node path lies in one of the node's log roots: pod logs, legacy links, docker's containers directory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool IsInsideRoots(string resolvedNodePath) =>
        PodLogsDirectory.Contains(resolvedNodePath) || ContainerLogsDirectory.Contains(resolvedNodePath) || DockerContainersDirectory.Contains(resolvedNodePath);

    /// <summary>The log roots, as reasons name them.</summary>
    public string DescribeRoots() => $"{PodLogsDirectory.Configured}, {ContainerLogsDirectory.Configured}, {DockerContainersDirectory.Configured}";

    /// <summary>The same layout with docker's data root as a live daemon reports it.</summary>
    public NodeLayout WithDockerDataRoot(string nodePath) =>
        new(Root, PodLogsDirectory, ContainerLogsDirectory, Canonicalise(Root, NodePath.Clean(nodePath), "DockerDataRoot", "docker data root"), KubeletConfigFile)
        {
            KubeletRuntimeEndpoint = KubeletRuntimeEndpoint,
        };

    public static NodeLayout Load(NodeLayoutOptions options, IPodLogsReporter reporter)
    {
        var localRoot = string.IsNullOrEmpty(options.Root) ? "/" : options.Root;
        if (!Directory.Exists(localRoot))
            throw new PodLogsException(ErrorIds.Node.RootNotFound, FailureCategory.ObjectNotFound, $"The root '{localRoot}' does not exist or is not a directory.", localRoot);
        var root = new NodeRoot(localRoot);

        var podLogs = ValidateOverride(options.PodLogsDirectory, "PodLogsDirectory");
        var containerLogs = ValidateOverride(options.ContainerLogsDirectory, "ContainerLogsDirectory") ?? KubeletPaths.DefaultContainerLogsDirectory;
        var dataRoot = ValidateOverride(options.DockerDataRoot, "DockerDataRoot");
        var kubeletConfig = ValidateOverride(options.KubeletConfigPath, "KubeletConfigPath");

        string? configFile = null;
        string? runtimeEndpoint = null;
        if (podLogs is null || options.WantsRuntimeEndpoint)
        {
            var flags = KubeletProcess.ReadFlags(root);
            configFile = kubeletConfig ?? FindKubeletConfig(root, flags, reporter);
            if (podLogs is null)
            {
                podLogs = configFile is null ? null : ReadKubeletConfigValue(root, configFile, "podLogsDir", kubeletConfig is not null);
                if (podLogs is not null && !NodePath.IsAbsolute(podLogs))
                    throw Unreadable(root, configFile!, "podLogsDir", $"podLogsDir '{podLogs}' is not an absolute path (kubelet rejects it too)");
                if (podLogs is null) reporter.Verbose($"Pod logs directory: {KubeletPaths.DefaultPodLogsDirectory} (kubelet's default; no podLogsDir configured).");
                else reporter.Verbose($"Pod logs directory: {podLogs} (podLogsDir in {configFile}).");
                podLogs = podLogs is null ? KubeletPaths.DefaultPodLogsDirectory : NodePath.Clean(podLogs);
            }
            if (options.WantsRuntimeEndpoint)
            {
                // The config field wins over the deprecated flag, as in kubelet.
                runtimeEndpoint = (configFile is null ? null : ReadKubeletConfigValue(root, configFile, "containerRuntimeEndpoint", kubeletConfig is not null))
                                  ?? KubeletProcess.FindFlag(flags, "--container-runtime-endpoint");
                if (runtimeEndpoint is not null) reporter.Verbose($"kubelet's container runtime endpoint: {runtimeEndpoint}");
            }
        }
        dataRoot ??= (options.WantsDockerDataRoot ? ReadDockerDataRoot(root, reporter) : null) ?? DefaultDockerDataRoot;

        // A directory the user named is a claim about this node: one that is not there is an error before any
        // verdict is made from it (every entry under it would otherwise be Missing, or silently nothing).
        RequireDirectory(root, options.PodLogsDirectory, podLogs, "PodLogsDirectory");
        RequireDirectory(root, options.ContainerLogsDirectory, containerLogs, "ContainerLogsDirectory");
        RequireDirectory(root, options.DockerDataRoot, dataRoot, "DockerDataRoot");
        if (options.ExpectsNode && options.PodLogsDirectory is null && options.ContainerLogsDirectory is null
            && root.ResolveDirectory(podLogs).Outcome is ResolveOutcome.NotFound or ResolveOutcome.NotADirectory
            && root.ResolveDirectory(containerLogs).Outcome is ResolveOutcome.NotFound or ResolveOutcome.NotADirectory)
            // kubelet creates /var/log/containers when it starts (kubelet.go initializeModules, MkdirAll(ContainerLogsDir)),
            // before any pod: a root with neither directory is not a node's '/' (a subdirectory, a typo, an unmounted disk).
            reporter.Warning($"The root '{localRoot}' has neither the pod logs directory '{root.ToLocal(podLogs)}' nor the legacy links directory '{root.ToLocal(containerLogs)}': "
                             + "is it the node's '/'? (kubelet creates the legacy links directory when it starts, so even a node without pods has it.) Pass the directory that holds the node's var/log as -Root.");

        return new NodeLayout(root, Canonicalise(root, podLogs, "PodLogsDirectory", "pod logs directory"), Canonicalise(root, containerLogs, "ContainerLogsDirectory", "legacy links directory"),
            Canonicalise(root, dataRoot, "DockerDataRoot", "docker data root"), configFile)
        {
            KubeletRuntimeEndpoint = runtimeEndpoint,
        };
    }

    /// <summary>An override that names no directory under the root stops the command, naming the local path looked at.</summary>
    static void RequireDirectory(NodeRoot root, string? given, string? nodePath, string parameter)
    {
        if (given is null || nodePath is null) return;
        var r = root.ResolveDirectory(nodePath);
        if (r.Outcome is ResolveOutcome.NotFound or ResolveOutcome.NotADirectory)
            throw new PodLogsException(ErrorIds.Node.NodeDirectoryNotFound, FailureCategory.ObjectNotFound,
                $"-{parameter} '{given}' does not exist under the root: '{root.ToLocal(nodePath)}' is {(r.Outcome == ResolveOutcome.NotFound ? "not there" : "not a directory")}. "
                + $"Name the directory as the node sees it (node-absolute; it is looked for under -Root '{root.LocalRoot}'), or leave -{parameter} out to use the node's configuration.",
                root.ToLocal(nodePath));
    }

    static string? ValidateOverride(string? value, string parameter)
    {
        if (value is null) return null;
        if (!NodePath.IsAbsolute(value) || value.Contains('\0'))
            throw new PodLogsException(ErrorIds.Node.NodePathNotAbsolute, FailureCategory.InvalidArgument,
                $"-{parameter} '{value}' must be an absolute path on the node (it is resolved under -Root).", value);
        return NodePath.Clean(value);
    }

    /// <summary>
    /// dockerd canonicalises a symlinked data root; links and LogPaths then use the resolved spelling. A root that
    /// is, or resolves to, '/' or a directory that holds the node's system directories is refused (issue #11): a
    /// planted /var/log/containers -> / would otherwise make every file on the node "inside the log roots".
    /// </summary>
    /// <param name="parameter">The override that moves it; <paramref name="label"/> is what the message calls it.</param>
    static NodeDirectory Canonicalise(NodeRoot root, string configured, string parameter, string label)
    {
        var r = root.ResolveDirectory(configured);
        var directory = new NodeDirectory(configured, r.IsResolved ? r.NodePath : configured);
        if ((SystemDirectoryUnder(directory.Canonical) ?? SystemDirectoryUnder(directory.Configured)) is { } system)
            throw new PodLogsException(ErrorIds.Node.LogRootUnsafe, FailureCategory.SecurityError,
                $"The {label} {configured}" + (directory.Canonical == configured ? "" : $" resolves to {directory.Canonical}, which")
                + (system == directory.Canonical || system == configured ? $" is the system directory {system}" : $" holds the system directory {system}")
                + $"; a log root that covers the node's system files is refused. Check the link at {configured} under the root '{root.LocalRoot}', or pass -{parameter}.",
                root.ToLocal(configured));
        return directory;
    }

    /// <summary>Directories no log root may be, or hold: what a log root covering them would expose to reading and writing.</summary>
    static readonly string[] SystemDirectories =
        ["/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/usr", "/var/lib", "/var/run"];

    /// <summary>The first system directory that <paramref name="directory"/> is or holds, or null.</summary>
    static string? SystemDirectoryUnder(string directory)
    {
        if (directory == "/") return "/";
        foreach (var system in SystemDirectories)
            if (NodePath.IsUnder(system, directory)) return system;
        return null;
    }

    /// <summary>Kubelet's --config from its flags, else the usual locations.</summary>
    internal static string? FindKubeletConfig(NodeRoot root, string flags, IPodLogsReporter reporter)
    {
        if (KubeletProcess.FindFlag(flags, "--config") is { } fromFlags)
        {
            reporter.Verbose($"kubelet's --config: {fromFlags}");
            return fromFlags;
        }
        foreach (var candidate in KubeletConfigCandidates)
            if (root.Resolve(candidate).IsResolved) return candidate;
        return null;
    }

    static string? ReadKubeletConfigValue(NodeRoot root, string configFile, string key, bool explicitlyNamed)
    {
        var resolved = root.Resolve(configFile);
        if (!resolved.IsResolved)
        {
            if (!explicitlyNamed) return null;
            throw new PodLogsException(ErrorIds.Node.KubeletConfigNotFound, FailureCategory.ObjectNotFound,
                $"The kubelet configuration '{configFile}' does not exist under the root '{root.LocalRoot}'.", root.ToLocal(configFile));
        }
        var read = SafeFile.ReadSmallFile(root.ToLocal(resolved.NodePath));
        if (read.Outcome != SafeReadOutcome.Ok)
            throw Unreadable(root, configFile, key, SafeFile.Describe(read));
        try
        {
            return ReadScalar(read.Content, key);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw Unreadable(root, configFile, key, ex.Message, ex);
        }
    }

    static PodLogsException Unreadable(NodeRoot root, string file, string key, string why, Exception? inner = null) =>
        new(ErrorIds.Node.KubeletConfigUnreadable, FailureCategory.ReadError,
            $"Cannot read '{key}' from the kubelet configuration '{file}': {why}. Pass {(key == "podLogsDir" ? "-PodLogsDirectory to say where pod logs are" : "-CriEndpoint to name the runtime's socket")}, or -KubeletConfigPath to name another file.",
            root.ToLocal(file), inner);

    /// <summary>A top-level string of a JSON or YAML config (kubelet accepts both).</summary>
    internal static string? ReadScalar(byte[] content, string key)
    {
        var text = System.Text.Encoding.UTF8.GetString(content).TrimStart('\uFEFF');
        if (text.TrimStart().StartsWith('{'))
        {
            using var doc = JsonDocument.Parse(content.AsMemory().TrimStartBom());
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("the document is not an object");
            if (!doc.RootElement.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"'{key}' is not a string");
        }
        return MinimalYaml.ReadTopLevelScalars(text).TryGetValue(key, out var yamlValue) ? yamlValue : null;
    }

    /// <summary>docker's data root: <c>data-root</c> in daemon.json (older: <c>graph</c>).</summary>
    static string? ReadDockerDataRoot(NodeRoot root, IPodLogsReporter reporter)
    {
        var resolved = root.Resolve(DockerDaemonConfig);
        if (!resolved.IsResolved) return null;
        var read = SafeFile.ReadSmallFile(root.ToLocal(resolved.NodePath));
        string? value = null;
        try
        {
            if (read.Outcome != SafeReadOutcome.Ok) throw new FormatException(SafeFile.Describe(read));
            using var doc = JsonDocument.Parse(read.Content.AsMemory().TrimStartBom());
            foreach (var key in new[] { "data-root", "graph" })
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String)
                {
                    value = v.GetString();
                    break;
                }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            throw new PodLogsException(ErrorIds.Node.DockerConfigUnreadable, FailureCategory.ReadError,
                $"Cannot read 'data-root' from docker's configuration '{DockerDaemonConfig}': {ex.Message}. Pass -DockerDataRoot to say where docker keeps its state.",
                root.ToLocal(DockerDaemonConfig), ex);
        }
        if (value is null) return null;
        if (!NodePath.IsAbsolute(value))
            throw new PodLogsException(ErrorIds.Node.DockerConfigUnreadable, FailureCategory.InvalidData,
                $"'data-root' in '{DockerDaemonConfig}' is '{value}', not an absolute path. Pass -DockerDataRoot.", root.ToLocal(DockerDaemonConfig));
        reporter.Verbose($"Docker data root: {value} (from {DockerDaemonConfig}).");
        return NodePath.Clean(value);
    }
}
