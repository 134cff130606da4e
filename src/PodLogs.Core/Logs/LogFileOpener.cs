using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Logs;

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
            reporter.Error(OpenFailure(path, door, errno));
            return null;
        }
        errno = Posix.FStat(fd, out status);
        if (errno != 0 || status.Kind != FileKind.RegularFile)
        {
            Posix.Close(fd);
            reporter.Error(NotRegular(path, errno != 0 ? Posix.Describe(errno) : $"it is a {status.Kind}, not a regular file"));
            return null;
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Why a log file could not be opened (<paramref name="errno"/> from <see cref="OpenForScan"/>); the reader and the follower say it alike.</summary>
    public static PodLogsFailure OpenFailure(string path, LogDoor? door, int errno)
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
        return new PodLogsFailure(id, cat, $"Cannot read log file '{path}' at byte 0: {why}.", path);
    }

    /// <summary>What is at a log file's name is not a regular file (<paramref name="why"/>: what it is).</summary>
    public static PodLogsFailure NotRegular(string path, string why) =>
        new(ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData, $"Cannot read log file '{path}' at byte 0: {why}.", path);

    /// <summary>A read of an open log file failed.</summary>
    public static PodLogsFailure ReadFailure(string path, long offset, IOException ex) =>
        new(ErrorIds.Logs.LogFileReadError, FailureCategory.ReadError, $"Cannot read log file '{path}' at byte {offset}: {ex.Message}", path, ex);
}
