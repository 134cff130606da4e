using PodLogs.Core.Logs;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Reading;

/// <summary>
/// A log file named by -LiteralPath: a path on this machine, read as it is (a file named explicitly is trusted;
/// no -Root resolution), whose container is known where its path says it the kubelet way.
/// </summary>
public static class LiteralLogFile
{
    /// <summary>What to read for <paramref name="path"/> (a link followed to its final target), or null and a failure.</summary>
    public static LogReadTarget? Resolve(string path, IPodLogsReporter? reporter, out PodLogsFailure? failure)
    {
        failure = null;
        var info = new FileInfo(path);
        var file = path;
        if (info.LinkTarget is not null) file = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (!File.Exists(file))
        {
            failure = new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"Cannot find the log file '{path}'{(file != path ? $" (it resolves to '{file}')" : "")}.", path);
            return null;
        }
        return new LogReadTarget(file, LogSegments.Discover(file, reporter), OriginOf(path));
    }

    /// <summary>
    /// The container a path names the kubelet way, <c>.../&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>
    /// (or a rotated sibling of it); every part unknown for any other path. Lexical: the file is not looked at.
    /// </summary>
    public static ContainerLogOrigin OriginOf(string path)
    {
        var containerDir = Path.GetDirectoryName(path);
        if (KubeletPaths.TryParseContainerLogFileName(Path.GetFileName(path), out var logName) && containerDir is not null
            && KubeletPaths.TryParsePodDirectoryName(Path.GetFileName(Path.GetDirectoryName(containerDir) ?? ""), out var podDir))
            return new ContainerLogOrigin(podDir.Namespace, podDir.PodName, podDir.PodUid, Path.GetFileName(containerDir), logName.RestartCount, null);
        return new ContainerLogOrigin(null, null, null, null, null, null);
    }
}
