using System.Runtime.CompilerServices;
using System.Text.Json;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Runtime;

/// <summary>
/// Docker's on-disk state, read with no daemon (moby <c>container/container.go</c>):
/// <c>&lt;dataRoot&gt;/containers/&lt;id&gt;/config.v2.json</c> (ID, Name, State, Config.Labels, LogPath) and
/// <c>hostconfig.json</c> (LogConfig). Files are opened without following links and capped at 1 MiB.
/// </summary>
public sealed class DockerFileSource : IRuntimeSource
{
    public const string SourceName = "DockerFiles";

    public string Name => SourceName;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RuntimeSnapshot? Read(NodeLayout layout, IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        var containersDir = NodePath.Combine(layout.DockerDataRoot.Canonical, "containers");
        var dir = layout.Root.ResolveDirectory(containersDir);
        if (!dir.IsResolved)
        {
            // State that is there but cannot be read (a non-root user, docker's data root 0700) is not "no docker state".
            if (dir.Outcome is not (ResolveOutcome.NotFound or ResolveOutcome.NotADirectory)) return Unlistable(dir.Errno);
            reporter.Verbose($"No docker state: {containersDir} does not exist under the root.");
            return null;
        }
        var errno = layout.Root.ReadDirectory(dir, out var entries);
        if (errno != 0) return Unlistable(errno);
        var ids = new List<string>(entries.Count);
        // Links to directories, followed under the root: their state is read where they resolve.
        Dictionary<string, Resolution>? linked = null;
        foreach (var e in entries)
        {
            // What Directory.GetDirectories lists: directories, and links to directories.
            if (e.TypeHint == FileKind.Directory) ids.Add(e.Name);
            else if (e.TypeHint is FileKind.SymbolicLink or FileKind.None
                && layout.Root.Resolve(NodePath.Combine(dir.NodePath, e.Name)) is { IsResolved: true, Status.Kind: FileKind.Directory } res)
            {
                ids.Add(e.Name);
                if (res.Hops.Count > dir.Hops.Count) (linked ??= new(StringComparer.Ordinal))[e.Name] = res;
            }
        }
        // The listing's types spare inspection an lstat of each container directory a link points into.
        if (dir.NodePath == containersDir)
            layout.Root.SeedSubdirectories(containersDir, entries.Where(e => e.TypeHint == FileKind.Directory).Select(e => e.Name).ToList());

        var results = new (RuntimeContainer? Container, PodLogsFailure? Failure)[ids.Count];
        // State files are opened relative to the containers directory: a short lookup each, and no path built unless needed.
        errno = layout.Root.OpenDirectory(dir, out var dirFd);
        if (errno != 0) return Unlistable(errno);
        try
        {
            Parallel.For(0, ids.Count, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount },
                i => results[i] = linked?.GetValueOrDefault(ids[i]) is { } link
                    ? ReadLinkedContainer(layout, dir.NodePath, link, ids[i])
                    : ReadContainer(layout, dir.NodePath, dirFd, ids[i], ids[i]));
        }
        finally
        {
            Posix.Close(dirFd);
        }

        var containers = new List<RuntimeContainer>();
        foreach (var (container, failure) in results)
        {
            if (failure is not null) reporter.Error(failure);
            if (container is not null) containers.Add(container);
        }
        if (containers.Count == 0)
        {
            reporter.Verbose($"No Kubernetes containers in docker's state under {containersDir}.");
            return null;
        }
        reporter.Verbose($"Docker state: {containers.Count} Kubernetes containers read from {containersDir}.");
        return new RuntimeSnapshot(SourceName, RuntimeKind.Docker, containers, layout);

        RuntimeSnapshot? Unlistable(int errno)
        {
            reporter.Error(new PodLogsFailure(ErrorIds.Runtime.DockerStateUnreadable, PodLogsFailure.ReadCategory(errno),
                $"Cannot list docker's containers in {containersDir}: {Posix.Describe(errno)}", layout.Root.ToLocal(containersDir)));
            return null;
        }
    }

    /// <summary>A container directory that is a link: opened where it resolves under the root (the kernel would follow it from the host's '/').</summary>
    static (RuntimeContainer?, PodLogsFailure?) ReadLinkedContainer(NodeLayout layout, string containersNodeDir, Resolution directory, string id)
    {
        var errno = layout.Root.OpenDirectory(directory, out var fd);
        if (errno != 0)
            return (null, Unreadable(layout.Root.ToLocal(NodePath.Combine(containersNodeDir, id)), Posix.Describe(errno), PodLogsFailure.ReadCategory(errno)));
        try
        {
            return ReadContainer(layout, containersNodeDir, fd, id, ".");
        }
        finally
        {
            Posix.Close(fd);
        }
    }

    /// <param name="directoryFd">The descriptor <paramref name="directory"/> (relative to it) and its state files are opened from.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static (RuntimeContainer?, PodLogsFailure?) ReadContainer(NodeLayout layout, string containersNodeDir, int directoryFd, string id, string directory)
    {
        using var read = SafeFile.ReadSmallFilePooledAt(directoryFd, directory, "config.v2.json");
        if (read.Outcome == SafeReadOutcome.NotFound) return (null, null);
        var configLocal = layout.Root.ToLocal(NodePath.Combine(containersNodeDir, id, "config.v2.json"));
        if (read.Outcome != SafeReadOutcome.Ok)
            return (null, Unreadable(configLocal, SafeFile.Describe(read.Result), read.Outcome switch
            {
                SafeReadOutcome.TooLarge => FailureCategory.LimitsExceeded,
                SafeReadOutcome.AccessDenied => FailureCategory.PermissionDenied,
                SafeReadOutcome.NotRegularFile => FailureCategory.InvalidData,
                _ => FailureCategory.ReadError,
            }));
        DockerConfig config;
        try
        {
            config = DockerConfig.Parse(read.Content);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return (null, Unreadable(configLocal, $"malformed JSON: {ex.Message}", FailureCategory.InvalidData, ex));
        }
        if (config.Labels.GetValueOrDefault(DockershimNames.ContainerTypeLabel) != "container") return (null, null);
        using var hostConfig = SafeFile.ReadSmallFilePooledAt(directoryFd, directory, "hostconfig.json");
        string? driver = null;
        Dictionary<string, string>? logOptions = null;
        if (hostConfig.Outcome == SafeReadOutcome.Ok)
        {
            try { driver = DockerConfig.ParseLogConfig(hostConfig.Content, out logOptions); }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException) { }
        }
        if (config.Id is not null && config.Id != id)
            return (null, new PodLogsFailure(ErrorIds.Runtime.ContainerIdentityInvalid, FailureCategory.InvalidData,
                $"Docker container directory {id} holds the state of another container ({config.Id}); it is not trusted.", configLocal));
        var record = new DockerContainerRecord(id, config.Name, config.Labels, config.Running, config.StartedAt is not null, config.StartedAt, config.LogPath, driver, SourceName, configLocal)
        {
            LogOptions = logOptions,
        };
        return record.ToRuntimeContainer();
    }

    static PodLogsFailure Unreadable(string path, string why, FailureCategory category, Exception? ex = null) =>
        new(ErrorIds.Runtime.DockerStateUnreadable, category, $"Cannot read docker's state file {path}: {why}.", path, ex);
}
