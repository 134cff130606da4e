using System.Runtime.InteropServices;

namespace PodLogs.Core.Native;

/// <summary>
/// The calls the open-handle scan makes under /proc: fstatfs (is it a procfs at all), realpath (how the kernel spells -Root), and readlinkat/statx relative to a
/// descriptor of /proc/&lt;pid&gt;/fd with the name and the target in caller buffers, so a handle that is not a log costs no
/// allocation. Nothing here opens what a descriptor link points at.
/// </summary>
public static unsafe partial class Posix
{
    /// <summary>PROC_SUPER_MAGIC (linux/magic.h): statfs' f_type of a procfs.</summary>
    public const long ProcSuperMagic = 0x9fa0;

    public const int ESRCH = 3;

    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    private static partial int FStatFsNative(int fd, byte* buf);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true)]
    private static partial nint ReadLinkAtNative(int dirfd, byte* path, byte* buf, nint size);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static partial int StatxNative(int dirfd, byte* path, int flags, uint mask, out Statx buf);

    /// <summary>
    /// The file system type (statfs' f_type) of the file system <paramref name="fd"/> lies on (an O_PATH descriptor will do,
    /// Linux 3.12). f_type is the first field, a machine word (<c>__fsword_t</c>), on every Linux architecture. Returns errno.
    /// </summary>
    public static int FileSystemTypeOf(int fd, out long type)
    {
        // struct statfs is 120 bytes on 64-bit Linux, 84 on 32-bit; the buffer leaves room.
        var buf = stackalloc byte[256];
        type = 0;
        if (FStatFsNative(fd, buf) != 0) return Marshal.GetLastPInvokeError();
        type = IntPtr.Size == 8 ? *(long*)buf : *(int*)buf;
        return 0;
    }

    /// <summary>
    /// readlinkat with a NUL-terminated <paramref name="name"/> into <paramref name="target"/>: the target's length, or minus
    /// errno. A target as long as the buffer may be cut (the caller's buffer is PATH_MAX, the kernel's own limit for /proc links).
    /// </summary>
    public static int ReadLinkAtInto(int dirfd, ReadOnlySpan<byte> name, Span<byte> target)
    {
        nint n;
        fixed (byte* p = name)
        fixed (byte* t = target)
            n = ReadLinkAtNative(dirfd, p, t, target.Length);
        return n < 0 ? -Marshal.GetLastPInvokeError() : (int)n;
    }

    /// <summary>
    /// statx of <paramref name="name"/> (NUL-terminated) in <paramref name="dirfd"/>, following a final link: through a
    /// /proc/&lt;pid&gt;/fd/N magic link this is the open file itself, deleted or not, without opening it. Returns errno.
    /// </summary>
    public static int StatFollowingAt(int dirfd, ReadOnlySpan<byte> name, out FileStatus status, out uint linkCount)
    {
        int r;
        Statx s;
        fixed (byte* p = name) r = StatxNative(dirfd, p, 0, StatxBasicStats, out s);
        if (r != 0)
        {
            status = default;
            linkCount = 0;
            return Marshal.GetLastPInvokeError();
        }
        status = ToStatus(s);
        linkCount = s.NLink;
        return 0;
    }

    /// <summary>Opens <paramref name="name"/> (NUL-terminated) in <paramref name="dirfd"/> as a directory to list, refusing a final link.</summary>
    public static int OpenDirectoryForReadingAt(int dirfd, ReadOnlySpan<byte> name, out int fd)
    {
        fixed (byte* p = name) fd = OpenAtNative(dirfd, p, ODirectory | ONoFollow | OCloexec | ONonBlock, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Opens <paramref name="name"/> (NUL-terminated) in <paramref name="dirfd"/> read-only for a small read: no final link, no blocking.</summary>
    public static int OpenForScanAt(int dirfd, ReadOnlySpan<byte> name, out int fd)
    {
        fixed (byte* p = name) fd = OpenAtNative(dirfd, p, ONoFollow | ONonBlock | OCloexec, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    [LibraryImport("libc", EntryPoint = "realpath", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial byte* RealPathNative(string path, byte* resolved);

    /// <summary>realpath(3) into a PATH_MAX buffer: the path with every link resolved, as the kernel spells open files. Returns errno.</summary>
    public static int RealPath(string path, out string resolved)
    {
        var buf = stackalloc byte[4096];
        if (RealPathNative(path, buf) == null)
        {
            resolved = "";
            return Marshal.GetLastPInvokeError();
        }
        var n = 0;
        while (buf[n] != 0) n++;
        resolved = NameBytes.Decode(new ReadOnlySpan<byte>(buf, n));
        return 0;
    }
}
