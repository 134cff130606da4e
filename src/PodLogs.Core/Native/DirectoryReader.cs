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
    /// <summary>What a listing hands each entry's name to (a struct, so the loop is compiled for it and nothing is allocated).</summary>
    interface INameVisitor
    {
        /// <param name="name">The name's bytes, NUL-terminated at <paramref name="name"/>[<paramref name="length"/>].</param>
        void Visit(byte* name, int length);
    }

    /// <summary>Every name in the open directory <paramref name="fd"/> ('.' and '..' too), without making a string for any. Returns errno.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int VisitNames<TVisitor>(int fd, ref TVisitor visitor) where TVisitor : struct, INameVisitor
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
                        var length = 0;
                        while (name[length] != 0) length++;
                        visitor.Visit(name, length);
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Appends to <paramref name="numbers"/> the entries of the open directory <paramref name="fd"/> whose names are decimal
    /// numbers (pids in /proc, descriptors in /proc/&lt;pid&gt;/fd), without making a string per entry. Returns errno.
    /// </summary>
    public static int ReadNumbers(int fd, List<int> numbers)
    {
        var visitor = new NumberCollector(numbers);
        return VisitNames(fd, ref visitor);
    }

    readonly struct NumberCollector(List<int> numbers) : INameVisitor
    {
        public void Visit(byte* name, int length)
        {
            if (length is 0 or > 10) return;
            long value = 0;
            for (var i = 0; i < length; i++)
            {
                if (name[i] is < (byte)'0' or > (byte)'9') return;
                value = value * 10 + (name[i] - '0');
            }
            if (value <= int.MaxValue) numbers.Add((int)value);
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
    public static int StatMatching(string localDirectory, ReadOnlySpan<byte> key, EntryNameFilter filter, List<(int Tag, FileStatus Status)> found)
    {
        var errno = Posix.OpenDirectoryForReadingAt(Posix.AtFdCwd, localDirectory, out var fd);
        if (errno != 0) return errno;
        try
        {
            fixed (byte* k = key)
            {
                var visitor = new MatchingStatter(fd, k, key.Length, filter, found);
                return VisitNames(fd, ref visitor);
            }
        }
        finally
        {
            Posix.Close(fd);
        }
    }

    readonly struct MatchingStatter(int fd, byte* key, int keyLength, EntryNameFilter filter, List<(int Tag, FileStatus Status)> found) : INameVisitor
    {
        public void Visit(byte* name, int length)
        {
            if (length == 1 && name[0] == '.' || length == 2 && name[0] == '.' && name[1] == '.') return;
            var tag = filter(new ReadOnlySpan<byte>(name, length), new ReadOnlySpan<byte>(key, keyLength));
            if (tag >= 0 && Posix.LStatAt(fd, new ReadOnlySpan<byte>(name, length + 1), out var status) == 0) found.Add((tag, status));
        }
    }
}
