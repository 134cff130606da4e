using System.Buffers;
using PodLogs.Core.Native;

namespace PodLogs.Core.Node;

public enum SafeReadOutcome { Ok, NotFound, NotRegularFile, TooLarge, AccessDenied, Error }

public readonly record struct SafeReadResult(SafeReadOutcome Outcome, byte[] Content, FileStatus Status, int Errno);

/// <summary>A small file read into a buffer rented from the shared pool; <see cref="Dispose"/> gives the buffer back.</summary>
public readonly struct PooledRead(SafeReadResult result, byte[]? buffer, int length) : IDisposable
{
    /// <summary>The outcome; its <see cref="SafeReadResult.Content"/> is empty (the bytes are in <see cref="Content"/>).</summary>
    public SafeReadResult Result => result;
    public SafeReadOutcome Outcome => result.Outcome;
    public ReadOnlyMemory<byte> Content => buffer is null ? ReadOnlyMemory<byte>.Empty : buffer.AsMemory(0, length);

    public void Dispose()
    {
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }
}

/// <summary>
/// Reads a small file found while scanning: opened with O_NOFOLLOW|O_NONBLOCK (a planted link is not
/// followed, a planted FIFO does not block), checked with fstat to be a regular file, capped in size.
/// </summary>
public static class SafeFile
{
    public const int StateFileLimit = 1024 * 1024;

    public static SafeReadResult ReadSmallFile(string localPath, int maxBytes = StateFileLimit) =>
        ReadSmallFileAt(Posix.AtFdCwd, localPath, maxBytes);

    /// <summary>The same, with <paramref name="path"/> relative to the directory descriptor <paramref name="dirFd"/>.</summary>
    public static SafeReadResult ReadSmallFileAt(int dirFd, string path, int maxBytes = StateFileLimit) =>
        ReadOpened(Posix.OpenForScanAt(dirFd, path, out var fd), fd, maxBytes);

    /// <summary>The same for <paramref name="directory"/>/<paramref name="name"/>, with no string made for the path (docker's state is read per container).</summary>
    public static SafeReadResult ReadSmallFileAt(int dirFd, string directory, string name, int maxBytes = StateFileLimit) =>
        ReadOpened(Posix.OpenForScanAt(dirFd, directory, name, out var fd), fd, maxBytes);

    /// <summary>
    /// The same for <paramref name="directory"/>/<paramref name="name"/>, into a buffer rented from the shared pool
    /// (dispose the result to return it): docker's state is two small files per container, read and parsed at once.
    /// The buffer is one byte larger than fstat's size, so one read ends a file that did not grow.
    /// </summary>
    public static PooledRead ReadSmallFilePooledAt(int dirFd, string directory, string name, int maxBytes = StateFileLimit)
    {
        var errno = Posix.OpenForScanAt(dirFd, directory, name, out var fd);
        if (errno != 0) return new PooledRead(new SafeReadResult(ToOutcome(errno), [], default, errno), null, 0);
        byte[]? buffer = null;
        try
        {
            errno = Posix.FStat(fd, out var status);
            if (errno != 0) return new PooledRead(new SafeReadResult(SafeReadOutcome.Error, [], default, errno), null, 0);
            if (status.Kind != FileKind.RegularFile) return new PooledRead(new SafeReadResult(SafeReadOutcome.NotRegularFile, [], status, 0), null, 0);
            if (status.Size > maxBytes) return new PooledRead(new SafeReadResult(SafeReadOutcome.TooLarge, [], status, 0), null, 0);
            buffer = ArrayPool<byte>.Shared.Rent((int)status.Size + 1);
            var total = 0;
            while (true)
            {
                var n = Posix.PRead(fd, buffer.AsSpan(total), total);
                if (n < 0) return new PooledRead(new SafeReadResult(SafeReadOutcome.Error, [], status, -n), null, 0);
                total += n;
                // Short of a buffer larger than the file: its end (a regular file reads short only there).
                if (n == 0 || total < buffer.Length) break;
                if (total > maxBytes) return new PooledRead(new SafeReadResult(SafeReadOutcome.TooLarge, [], status, 0), null, 0);
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

    static SafeReadResult ReadOpened(int errno, int fd, int maxBytes)
    {
        if (errno != 0) return new SafeReadResult(ToOutcome(errno), [], default, errno);
        try
        {
            errno = Posix.FStat(fd, out var status);
            if (errno != 0) return new SafeReadResult(SafeReadOutcome.Error, [], default, errno);
            if (status.Kind != FileKind.RegularFile) return new SafeReadResult(SafeReadOutcome.NotRegularFile, [], status, 0);
            if (status.Size > maxBytes) return new SafeReadResult(SafeReadOutcome.TooLarge, [], status, 0);
            using var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            fd = -1;
            // Sized by fstat, grown up to the cap if the file grew since (a cap-sized buffer per file made
            // reading docker's 400 state files allocate 400 MiB); a one-byte read past the end sees growth.
            var buffer = new byte[(int)Math.Min(status.Size, maxBytes)];
            var total = 0;
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                var n = total < buffer.Length ? RandomAccess.Read(handle, buffer.AsSpan(total), total) : RandomAccess.Read(handle, probe, total);
                if (n == 0) break;
                if (total == buffer.Length)
                {
                    if (buffer.Length >= maxBytes) return new SafeReadResult(SafeReadOutcome.TooLarge, [], status, 0);
                    Array.Resize(ref buffer, (int)Math.Min(Math.Max((long)buffer.Length * 2, 4096), maxBytes));
                    buffer[total] = probe[0];
                }
                total += n;
            }
            return new SafeReadResult(SafeReadOutcome.Ok, total == buffer.Length ? buffer : buffer[..total], status, 0);
        }
        catch (IOException ex)
        {
            return new SafeReadResult(SafeReadOutcome.Error, [], default, ex.HResult);
        }
        finally
        {
            if (fd >= 0) Posix.Close(fd);
        }
    }

    /// <summary>A small text file on the node (links resolved under the root), or null when it is absent or unreadable.</summary>
    public static string? ReadNodeText(NodeRoot root, string nodePath, int maxBytes = 64 * 1024)
    {
        var resolved = root.Resolve(nodePath);
        if (!resolved.IsResolved) return null;
        var read = ReadSmallFile(root.ToLocal(resolved.NodePath), maxBytes);
        return read.Outcome == SafeReadOutcome.Ok ? System.Text.Encoding.UTF8.GetString(read.Content) : null;
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
        SafeReadOutcome.TooLarge => $"it is larger than {maxBytes / 1024} KiB",
        SafeReadOutcome.AccessDenied => "permission denied",
        _ => Posix.Describe(r.Errno),
    };
}
