using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
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

    /// <summary>
    /// Where the file is under -Root (null for a file a user named on this machine): every open walks the directory
    /// the check resolved from a descriptor of the root, so a directory swapped for a link since is never followed.
    /// </summary>
    public LogDoor? Door { get; init; }

    /// <summary>The size to read: <see cref="Length"/> when set, else the file's size now (0 when it is gone).</summary>
    internal long Size => Length ?? (LogFileOpener.LStat(Path, Door, out var st) == 0 ? st.Size : 0);
}

/// <summary>
/// The directory a log file is in, as a check resolved it under -Root: <paramref name="DirectoryNodePath"/> has no links
/// and no '..' (NodeRoot.Resolve's result). The reader and the follower open files in it by walking it from a
/// descriptor of <paramref name="LocalRoot"/>, component by component with O_NOFOLLOW, then openat the file's name
/// with O_NOFOLLOW (issue #11): never by a local path string the kernel would resolve again.
/// </summary>
public sealed record LogDoor(string LocalRoot, string DirectoryNodePath)
{
    /// <summary>The door of the directory a file that <paramref name="root"/> resolved is in.</summary>
    public static LogDoor Of(NodeRoot root, Resolution resolved)
    {
        if (!resolved.IsResolved) throw new ArgumentException($"{resolved.NodePath} was not resolved ({resolved.Outcome}).", nameof(resolved));
        var slash = resolved.NodePath.LastIndexOf('/');
        return new LogDoor(root.LocalRoot, slash <= 0 ? "/" : resolved.NodePath[..slash]);
    }
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
    /// <param name="door">Where <paramref name="liveFile"/>'s directory is under -Root (every segment is opened through it); null for a file on this machine.</param>
    public static IReadOnlyList<LogSegment> Discover(string liveFile, IPodLogsReporter? reporter = null, LogDoor? door = null)
    {
        var dir = System.IO.Path.GetDirectoryName(liveFile) ?? ".";
        var name = System.IO.Path.GetFileName(liveFile);
        bool kubelet = KubeletPaths.TryParseContainerLogFileName(name, out var parsed) && parsed.RotationSuffix is null;
        bool docker = !kubelet && name.EndsWith(DockerSuffix, StringComparison.Ordinal);
        if (!kubelet && !docker) return [new LogSegment(liveFile, name.EndsWith(".gz", StringComparison.Ordinal), true) { Door = door }];

        var rotated = new List<(string Key, LogSegment Segment)>();
        if (LogFileOpener.ReadDirectory(dir, door, out var entries) == 0)
        {
            var siblings = new List<string>();
            foreach (var e in entries)
                if (e.Name.Length > name.Length + 1 && e.Name.StartsWith(name, StringComparison.Ordinal) && e.Name[name.Length] == '.') siblings.Add(e.Name);
            var (inUse, leftover) = kubelet ? KubeletPaths.SplitRotatedSiblings(siblings) : (siblings, []);
            foreach (var sibling in leftover)
                reporter?.Verbose($"Not read: '{System.IO.Path.Combine(dir, sibling)}' is left from an interrupted kubelet rotation ("
                    + (sibling.EndsWith(".tmp", StringComparison.Ordinal) ? "an unfinished compression" : "its .gz exists and is read instead")
                    + "); kubelet removes it before the next rotation (cleanupUnusedLogs). It takes disk until then.");
            foreach (var sibling in inUse)
            {
                var suffix = sibling[(name.Length + 1)..];
                if (suffix.EndsWith(".tmp", StringComparison.Ordinal)) continue;
                var gz = suffix.EndsWith(".gz", StringComparison.Ordinal);
                var stem = gz ? suffix[..^3] : suffix;
                if (kubelet && IsRotationStamp(stem))
                    rotated.Add((stem, new LogSegment(System.IO.Path.Combine(dir, sibling), gz, false) { Door = door }));
                else if (docker && stem.Length is > 0 and < 10 && stem.All(char.IsAsciiDigit))
                    // .1 is the newest rotated file: a descending key puts the oldest first
                    rotated.Add(((999_999_999 - int.Parse(stem)).ToString("D9"), new LogSegment(System.IO.Path.Combine(dir, sibling), gz, false) { Door = door }));
            }
        }
        rotated.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var result = rotated.Select(r => r.Segment).ToList();
        if (LogFileOpener.LStat(liveFile, door, out _) == 0) result.Add(new LogSegment(liveFile, false, true) { Door = door });
        return result;
    }

    /// <summary>Go layout 20060102-150405 (kubelet's local time).</summary>
    static bool IsRotationStamp(string s) =>
        s.Length == 15 && s[8] == '-' && s.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0 && s.AsSpan(9).IndexOfAnyExceptInRange('0', '9') < 0;
}

/// <summary>
/// Opens a log segment the safe way: O_NOFOLLOW|O_NONBLOCK, then fstat must say regular file. The only place in
/// Logs/ that touches the file system by path. A file under -Root has a <see cref="LogDoor"/>: its directory is walked
/// from the root's descriptor (<see cref="BeneathRoot.Walk"/>) and the file opened relative to it, so only the name's
/// last component is looked up, with O_NOFOLLOW. Without a door it is handed local paths a user gave as paths on this
/// machine (-LiteralPath), and looks only at them and at their siblings (rotated files).
/// </summary>
internal static class LogFileOpener
{
    /// <summary>Test hook: called with the file's local path just before it is opened (after the check that chose it).</summary>
    [ThreadStatic] internal static Action<string>? BeforeOpen;

    /// <summary>lstat of a segment (or the live file a follower watches); returns errno.</summary>
    public static int LStat(string path, LogDoor? door, out FileStatus status)
    {
        if (door is null) return Posix.LStat(path, out status);
        status = default;
        var errno = BeneathRoot.Walk(door.LocalRoot, door.DirectoryNodePath, out var dir);
        if (errno != 0) return errno;
        errno = Posix.LStatAt(dir, System.IO.Path.GetFileName(path), out status);
        Posix.Close(dir);
        return errno;
    }

    /// <summary>The entries of the directory a live file is in (its rotated siblings); returns errno.</summary>
    public static int ReadDirectory(string directory, LogDoor? door, out List<DirectoryEntry> entries)
    {
        if (door is null) return DirectoryReader.Read(directory, out entries);
        entries = [];
        var errno = BeneathRoot.Walk(door.LocalRoot, door.DirectoryNodePath, out var dir);
        if (errno != 0) return errno;
        errno = DirectoryReader.ReadAt(dir, ".", out entries);
        Posix.Close(dir);
        return errno;
    }

    /// <summary>Opens a file with O_NOFOLLOW|O_NONBLOCK (through its door when it has one); returns errno.</summary>
    public static int OpenForScan(string path, LogDoor? door, out int fd)
    {
        BeforeOpen?.Invoke(path);
        if (door is null) return Posix.OpenForScan(path, out fd);
        fd = -1;
        var errno = BeneathRoot.Walk(door.LocalRoot, door.DirectoryNodePath, out var dir);
        if (errno != 0) return errno;
        errno = Posix.OpenForScanAt(dir, System.IO.Path.GetFileName(path), out fd);
        Posix.Close(dir);
        return errno;
    }

    /// <summary>Opens a segment (through the follower's descriptor when it has one); the size in <paramref name="status"/> is capped at its Length.</summary>
    public static SafeFileHandle? Open(LogSegment segment, IPodLogsReporter reporter, out FileStatus status)
    {
        SafeFileHandle? handle;
        if (segment.Held is { } held)
        {
            Posix.FStat((int)held.DangerousGetHandle(), out status);
            handle = new SafeFileHandle(held.DangerousGetHandle(), ownsHandle: false);
        }
        else handle = Open(segment.Path, segment.Door, reporter, out status);
        if (handle is not null && segment.Length is { } length && status.Size > length) status = status with { Size = length };
        return handle;
    }

    public static SafeFileHandle? Open(string path, LogDoor? door, IPodLogsReporter reporter, out FileStatus status)
    {
        status = default;
        var errno = OpenForScan(path, door, out var fd);
        if (errno != 0)
        {
            var (id, cat, why) = errno switch
            {
                Posix.ENOENT => (ErrorIds.Logs.LogFileVanished, FailureCategory.ObjectNotFound, "it no longer exists"),
                Posix.ELOOP when door is not null => (ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData, "it, or a directory above it under the root, is a symbolic link (swapped in since it was checked)"),
                Posix.ENOTDIR when door is not null => (ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData, "a directory above it under the root is no longer a directory (swapped since it was checked)"),
                Posix.ELOOP => (ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData, "it is a symbolic link"),
                Posix.EACCES or Posix.EPERM => (ErrorIds.Logs.LogFileAccessDenied, FailureCategory.PermissionDenied, "permission denied"),
                _ => (ErrorIds.Logs.LogFileUnreadable, FailureCategory.ReadError, Posix.Describe(errno)),
            };
            reporter.Error(new PodLogsFailure(id, cat, $"Cannot read log file '{path}' at byte 0: {why}.", path));
            return null;
        }
        errno = Posix.FStat(fd, out status);
        if (errno != 0 || status.Kind != FileKind.RegularFile)
        {
            Posix.Close(fd);
            var why = errno != 0 ? Posix.Describe(errno) : $"it is a {status.Kind}, not a regular file";
            reporter.Error(new PodLogsFailure(ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData, $"Cannot read log file '{path}' at byte 0: {why}.", path));
            return null;
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
