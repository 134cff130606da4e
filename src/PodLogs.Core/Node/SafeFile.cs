using System.Buffers;
using PodLogs.Core.Native;

namespace PodLogs.Core.Node;

/// <summary>
/// Reads a small file found while scanning: opened with O_NOFOLLOW|O_NONBLOCK (a planted link is not
/// followed, a planted FIFO does not block), checked with fstat to be a regular file, capped in size.
/// </summary>
public static class SafeFile
{
    public const int StateFileLimit = 1024 * 1024;

    public static SafeReadResult ReadSmallFile(string localPath, int maxBytes = StateFileLimit) =>
        Copied(ReadOpened(Posix.OpenForScan(localPath, out var fd), fd, maxBytes));

    /// <summary>
    /// A file a user named on this machine (not a node path): a final link is followed, but the end must still
    /// be a regular file within the cap, and a FIFO or device is refused without blocking.
    /// </summary>
    public static SafeReadResult ReadUserFile(string localPath, int maxBytes) =>
        Copied(ReadOpened(Posix.OpenFollowing(localPath, out var fd), fd, maxBytes));

    /// <summary>A pooled read as a result that owns its bytes; the pooled buffer goes back.</summary>
    static SafeReadResult Copied(PooledRead pooled)
    {
        using var read = pooled;
        return read.Outcome == SafeReadOutcome.Ok ? read.Result with { Content = read.Content.ToArray() } : read.Result;
    }

    /// <summary>
    /// The same for <paramref name="directory"/>/<paramref name="name"/> relative to the directory descriptor
    /// <paramref name="dirFd"/>, into a buffer rented from the shared pool (dispose the result to return it):
    /// docker's state is two small files per container, read and parsed at once.
    /// </summary>
    public static PooledRead ReadSmallFilePooledAt(int dirFd, string directory, string name, int maxBytes = StateFileLimit) =>
        ReadOpened(Posix.OpenForScanAt(dirFd, directory, name, out var fd), fd, maxBytes);

    /// <summary>
    /// Reads an opened file (closing it): sized by fstat, one byte more, so one read ends a regular file that did not
    /// grow since; a file that grew (or a /proc file, which fstat sizes 0) is read on up to the cap.
    /// </summary>
    static PooledRead ReadOpened(int errno, int fd, int maxBytes)
    {
        if (errno != 0) return Failed(ToOutcome(errno), default, errno);
        byte[]? buffer = null;
        try
        {
            errno = Posix.FStat(fd, out var status);
            if (errno != 0) return Failed(SafeReadOutcome.Error, default, errno);
            if (status.Kind != FileKind.RegularFile) return Failed(SafeReadOutcome.NotRegularFile, status, 0);
            if (status.Size > maxBytes) return Failed(SafeReadOutcome.TooLarge, status, 0);
            buffer = ArrayPool<byte>.Shared.Rent((int)status.Size + 1);
            var total = 0;
            while (true)
            {
                var n = Posix.PRead(fd, buffer.AsSpan(total), total);
                if (n < 0) return Failed(SafeReadOutcome.Error, status, -n);
                total += n;
                // A read short of the buffer at fstat's size is the end of a regular file that did not grow.
                if (n == 0 || total < buffer.Length && total == status.Size) break;
                if (total > maxBytes) return Failed(SafeReadOutcome.TooLarge, status, 0);
                if (total < buffer.Length) continue;
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, maxBytes + 1L));
                buffer.AsSpan(0, total).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            var read = new PooledRead(new SafeReadResult(SafeReadOutcome.Ok, [], status, 0), buffer, total);
            buffer = null;
            return read;
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            Posix.Close(fd);
        }
    }

    static PooledRead Failed(SafeReadOutcome outcome, FileStatus status, int errno) => new(new SafeReadResult(outcome, [], status, errno), null, 0);

    /// <summary>A small text file on the node (links resolved under the root), or null when it is absent or unreadable.</summary>
    public static string? ReadNodeText(NodeRoot root, string nodePath, int maxBytes = 64 * 1024)
    {
        var read = ReadNodeFile(root, nodePath, maxBytes);
        return read.Outcome == SafeReadOutcome.Ok ? System.Text.Encoding.UTF8.GetString(read.Content) : null;
    }

    /// <summary>
    /// A small file on the node, reached chroot-style (links followed under the root, the last one too) and read
    /// where it resolved; NotFound when the path does not resolve, AccessDenied when a directory on the way cannot be searched.
    /// </summary>
    public static SafeReadResult ReadNodeFile(NodeRoot root, string nodePath, int maxBytes = StateFileLimit)
    {
        var resolved = root.Resolve(nodePath);
        if (resolved.IsResolved) return ReadSmallFile(root.LocalPathOf(resolved), maxBytes);
        var outcome = resolved.Outcome switch
        {
            ResolveOutcome.NotFound or ResolveOutcome.NotADirectory => SafeReadOutcome.NotFound,
            ResolveOutcome.AccessDenied => SafeReadOutcome.AccessDenied,
            _ => SafeReadOutcome.Error,
        };
        return new SafeReadResult(outcome, [], default, resolved.Errno);
    }

    static SafeReadOutcome ToOutcome(int errno) => errno switch
    {
        Posix.ENOENT or Posix.ENOTDIR => SafeReadOutcome.NotFound,
        Posix.ELOOP => SafeReadOutcome.NotRegularFile,
        Posix.EACCES or Posix.EPERM => SafeReadOutcome.AccessDenied,
        _ => SafeReadOutcome.Error,
    };

    public static string Describe(SafeReadResult r, int maxBytes = StateFileLimit) => r.Outcome switch
    {
        SafeReadOutcome.NotFound => "it does not exist",
        SafeReadOutcome.NotRegularFile => r.Status.Kind == FileKind.None ? "it is a symbolic link" : $"it is a {r.Status.Kind}, not a regular file",
        SafeReadOutcome.TooLarge => maxBytes >= 1024 * 1024 ? $"it is larger than {maxBytes / (1024 * 1024)} MiB" : $"it is larger than {maxBytes / 1024} KiB",
        SafeReadOutcome.AccessDenied => "permission denied",
        _ => Posix.Describe(r.Errno),
    };
}
