using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PodLogs.Core.Native;

/// <summary>
/// Lists a directory with getdents64: one system call per buffer and the entry type for free, where
/// .NET's enumerator stats every symbolic link to learn whether it points at a directory.
/// </summary>
public static unsafe partial class DirectoryReader
{
    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint GetDents64(int fd, byte* buffer, nint count);

    /// <summary>Entries except '.' and '..'; errno on failure (the directory is opened without following a final link).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Read(string localDirectory, out List<DirectoryEntry> entries) => ReadAt(Posix.AtFdCwd, localDirectory, out entries);

    /// <summary>The same for <paramref name="path"/> relative to <paramref name="dirfd"/> ("." for the directory itself).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ReadAt(int dirfd, string path, out List<DirectoryEntry> entries)
    {
        entries = [];
        var errno = Posix.OpenDirectoryForReadingAt(dirfd, path, out var fd);
        if (errno != 0) return errno;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            fixed (byte* p = buffer)
            {
                long firstBatchBytes = 0;
                for (var batch = 0; ; batch++)
                {
                    var n = GetDents64(fd, p, buffer.Length);
                    if (n < 0) return Marshal.GetLastPInvokeError();
                    if (n == 0) return 0;
                    if (batch == 0) firstBatchBytes = n;
                    // A large directory (docker's containers, the legacy links): the list sized once from the
                    // directory's size and the first batch's record size, not doubled a dozen times.
                    else if (batch == 1 && entries.Count > 0 && Posix.FStat(fd, out var directory) == 0)
                        entries.EnsureCapacity((int)Math.Min(directory.Size / Math.Max(1, firstBatchBytes / entries.Count), 1 << 20));
                    for (nint offset = 0; offset < n;)
                    {
                        var record = p + offset;
                        var length = *(ushort*)(record + 16);
                        var type = record[18];
                        var name = record + 19;
                        var nameLength = 0;
                        while (name[nameLength] != 0) nameLength++;
                        offset += length;
                        if (nameLength == 1 && name[0] == '.' || nameLength == 2 && name[0] == '.' && name[1] == '.') continue;
                        entries.Add(new DirectoryEntry(NameBytes.Decode(new ReadOnlySpan<byte>(name, nameLength)), type switch
                        {
                            1 => FileKind.Fifo,
                            2 => FileKind.CharacterDevice,
                            4 => FileKind.Directory,
                            6 => FileKind.BlockDevice,
                            8 => FileKind.RegularFile,
                            10 => FileKind.SymbolicLink,
                            12 => FileKind.Socket,
                            _ => FileKind.None,
                        }));
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            Posix.Close(fd);
        }
    }
}

public static unsafe partial class DirectoryReader
{
    /// <summary>
    /// Appends to <paramref name="numbers"/> the entries of the open directory <paramref name="fd"/> whose names are decimal
    /// numbers (pids in /proc, descriptors in /proc/&lt;pid&gt;/fd), without making a string per entry. Returns errno.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ReadNumbers(int fd, List<int> numbers)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    var n = GetDents64(fd, p, buffer.Length);
                    if (n < 0) return Marshal.GetLastPInvokeError();
                    if (n == 0) return 0;
                    for (nint offset = 0; offset < n;)
                    {
                        var record = p + offset;
                        offset += *(ushort*)(record + 16);
                        var name = record + 19;
                        long value = 0;
                        var i = 0;
                        for (; name[i] != 0; i++)
                        {
                            if (name[i] is < (byte)'0' or > (byte)'9' || i >= 10) { value = -1; break; }
                            value = value * 10 + (name[i] - '0');
                        }
                        if (i > 0 && value is >= 0 and <= int.MaxValue) numbers.Add((int)value);
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>Chooses a directory entry by its name's bytes and a caller's key: a tag (&gt;= 0) to keep it, -1 to pass it by.</summary>
public delegate int EntryNameFilter(ReadOnlySpan<byte> name, ReadOnlySpan<byte> key);

public static unsafe partial class DirectoryReader
{
    /// <summary>
    /// Lists a directory (opened as <see cref="Read"/> opens it) and lstat's, relative to its descriptor, each entry
    /// <paramref name="filter"/> keeps, adding its tag and status to <paramref name="found"/>: where only a few entries
    /// of a directory matter, no string is made for any and no path is walked again per entry. An entry gone between
    /// the listing and its lstat is passed by. Returns errno of the listing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int StatMatching(string localDirectory, ReadOnlySpan<byte> key, EntryNameFilter filter, List<(int Tag, FileStatus Status)> found)
    {
        var errno = Posix.OpenDirectoryForReadingAt(Posix.AtFdCwd, localDirectory, out var fd);
        if (errno != 0) return errno;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            fixed (byte* p = buffer)
            {
                while (true)
                {
                    var n = GetDents64(fd, p, buffer.Length);
                    if (n < 0) return Marshal.GetLastPInvokeError();
                    if (n == 0) return 0;
                    for (nint offset = 0; offset < n;)
                    {
                        var record = p + offset;
                        offset += *(ushort*)(record + 16);
                        var name = record + 19;
                        var nameLength = 0;
                        while (name[nameLength] != 0) nameLength++;
                        if (nameLength == 1 && name[0] == '.' || nameLength == 2 && name[0] == '.' && name[1] == '.') continue;
                        var tag = filter(new ReadOnlySpan<byte>(name, nameLength), key);
                        if (tag >= 0 && Posix.LStatAt(fd, new ReadOnlySpan<byte>(name, nameLength + 1), out var status) == 0) found.Add((tag, status));
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            Posix.Close(fd);
        }
    }
}
