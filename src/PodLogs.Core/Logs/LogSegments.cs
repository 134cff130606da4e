using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Logs;

/// <summary>One file of a container's log stream.</summary>
/// <param name="Path">Local path (under -Root).</param>
/// <param name="Compressed">A .gz segment: read through GZipStream, never seeked.</param>
/// <param name="Live">The file the runtime writes now (N.log or &lt;id&gt;-json.log).</param>
public sealed record LogSegment(string Path, bool Compressed, bool Live)
{
    /// <summary>Read only this many bytes: the part of a followed live file that comes before following (<see cref="LogFollower.Begin"/>).</summary>
    public long? Length { get; init; }

    /// <summary>The live file as a follower holds it, read through this descriptor: it may have been rotated away from <see cref="Path"/> since.</summary>
    internal SafeFileHandle? Held { get; init; }

    /// <summary>The size to read: <see cref="Length"/> when set, else the file's size now (0 when it is gone).</summary>
    internal long Size => Length ?? (LogFileOpener.LStat(Path, out var st) == 0 ? st.Size : 0);
}

/// <summary>
/// Finds an instance's segments: kubelet's <c>N.log</c> with <c>N.log.YYYYMMDD-hhmmss[.gz]</c>, or
/// docker's <c>&lt;id&gt;-json.log</c> with <c>.1</c>, <c>.2</c>, <c>.N.gz</c>; oldest first, <c>.tmp</c> skipped, and
/// a plain rotated file whose <c>.gz</c> exists skipped too (kubelet's leftovers: read once, as the <c>.gz</c>).
/// </summary>
public static class LogSegments
{
    const string DockerSuffix = "-json.log";

    /// <summary>
    /// The segments of the stream whose live file is <paramref name="liveFile"/> (which need not exist:
    /// rotated siblings are still returned). Any other file name is a stream of its own.
    /// </summary>
    /// <param name="reporter">Told (verbose) of kubelet's leftovers beside the live file, which are not read (<see cref="KubeletPaths.IsLeftoverRotatedFile"/>).</param>
    public static IReadOnlyList<LogSegment> Discover(string liveFile, IPodLogsReporter? reporter = null)
    {
        var dir = System.IO.Path.GetDirectoryName(liveFile) ?? ".";
        var name = System.IO.Path.GetFileName(liveFile);
        bool kubelet = KubeletPaths.TryParseContainerLogFileName(name, out var parsed) && parsed.RotationSuffix is null;
        bool docker = !kubelet && name.EndsWith(DockerSuffix, StringComparison.Ordinal);
        if (!kubelet && !docker) return [new LogSegment(liveFile, name.EndsWith(".gz", StringComparison.Ordinal), true)];

        var rotated = new List<(string Key, LogSegment Segment)>();
        if (LogFileOpener.ReadDirectory(dir, out var entries) == 0)
        {
            var siblings = new List<string>();
            foreach (var e in entries)
                if (e.Name.Length > name.Length + 1 && e.Name.StartsWith(name, StringComparison.Ordinal) && e.Name[name.Length] == '.') siblings.Add(e.Name);
            foreach (var sibling in siblings)
            {
                var suffix = sibling[(name.Length + 1)..];
                if (kubelet && KubeletPaths.IsLeftoverRotatedFile(sibling, siblings))
                {
                    reporter?.Verbose($"Not read: '{System.IO.Path.Combine(dir, sibling)}' is left from an interrupted kubelet rotation ("
                        + (suffix.EndsWith(".tmp", StringComparison.Ordinal) ? "an unfinished compression" : "its .gz exists and is read instead")
                        + "); kubelet removes it before the next rotation (cleanupUnusedLogs). It takes disk until then.");
                    continue;
                }
                if (suffix.EndsWith(".tmp", StringComparison.Ordinal)) continue;
                var gz = suffix.EndsWith(".gz", StringComparison.Ordinal);
                var stem = gz ? suffix[..^3] : suffix;
                if (kubelet && IsRotationStamp(stem))
                    rotated.Add((stem, new LogSegment(System.IO.Path.Combine(dir, sibling), gz, false)));
                else if (docker && stem.Length is > 0 and < 10 && stem.All(char.IsAsciiDigit))
                    // .1 is the newest rotated file: a descending key puts the oldest first
                    rotated.Add(((999_999_999 - int.Parse(stem)).ToString("D9"), new LogSegment(System.IO.Path.Combine(dir, sibling), gz, false)));
            }
        }
        rotated.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var result = rotated.Select(r => r.Segment).ToList();
        if (LogFileOpener.LStat(liveFile, out _) == 0) result.Add(new LogSegment(liveFile, false, true));
        return result;
    }

    /// <summary>Go layout 20060102-150405 (kubelet's local time).</summary>
    static bool IsRotationStamp(string s) =>
        s.Length == 15 && s[8] == '-' && s.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0 && s.AsSpan(9).IndexOfAnyExceptInRange('0', '9') < 0;
}

/// <summary>
/// Opens a log segment the safe way: O_NOFOLLOW|O_NONBLOCK, then fstat must say regular file. The only place in
/// Logs/ that touches the file system by path: it is handed local paths that NodeRoot resolved under -Root
/// (<see cref="Node.NodeRoot.LocalPathOf"/>), or that a user gave as paths on this machine (-LiteralPath), and looks
/// only at them and at their siblings (rotated files), never at a path put together from a node path.
/// </summary>
internal static class LogFileOpener
{
    /// <summary>lstat of a segment (or the live file a follower watches); returns errno.</summary>
    public static int LStat(string path, out FileStatus status) => Posix.LStat(path, out status);

    /// <summary>The entries of the directory a live file is in (its rotated siblings); returns errno.</summary>
    public static int ReadDirectory(string directory, out List<DirectoryEntry> entries) => DirectoryReader.Read(directory, out entries);

    /// <summary>Opens a file with O_NOFOLLOW|O_NONBLOCK; returns errno.</summary>
    public static int OpenForScan(string path, out int fd) => Posix.OpenForScan(path, out fd);

    /// <summary>Opens a segment (through the follower's descriptor when it has one); the size in <paramref name="status"/> is capped at its Length.</summary>
    public static SafeFileHandle? Open(LogSegment segment, IPodLogsReporter reporter, out FileStatus status)
    {
        SafeFileHandle? handle;
        if (segment.Held is { } held)
        {
            Posix.FStat((int)held.DangerousGetHandle(), out status);
            handle = new SafeFileHandle(held.DangerousGetHandle(), ownsHandle: false);
        }
        else handle = Open(segment.Path, reporter, out status);
        if (handle is not null && segment.Length is { } length && status.Size > length) status = status with { Size = length };
        return handle;
    }

    public static SafeFileHandle? Open(string path, IPodLogsReporter reporter, out FileStatus status)
    {
        status = default;
        var errno = Posix.OpenForScan(path, out var fd);
        if (errno != 0)
        {
            var (id, cat, why) = errno switch
            {
                Posix.ENOENT => ("LogFileVanished", FailureCategory.ObjectNotFound, "it no longer exists"),
                Posix.ELOOP => ("LogFileNotRegular", FailureCategory.InvalidData, "it is a symbolic link"),
                Posix.EACCES or Posix.EPERM => ("LogFileAccessDenied", FailureCategory.PermissionDenied, "permission denied"),
                _ => ("LogFileUnreadable", FailureCategory.ReadError, Posix.Describe(errno)),
            };
            reporter.Error(new PodLogsFailure(id, cat, $"Cannot read log file '{path}' at byte 0: {why}.", path));
            return null;
        }
        errno = Posix.FStat(fd, out status);
        if (errno != 0 || status.Kind != FileKind.RegularFile)
        {
            Posix.Close(fd);
            var why = errno != 0 ? Posix.Describe(errno) : $"it is a {status.Kind}, not a regular file";
            reporter.Error(new PodLogsFailure("LogFileNotRegular", FailureCategory.InvalidData, $"Cannot read log file '{path}' at byte 0: {why}.", path));
            return null;
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
