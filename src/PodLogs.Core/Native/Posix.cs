using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace PodLogs.Core.Native;

/// <summary>
/// The few Linux calls .NET does not expose: statx (architecture-independent layout, gives
/// st_blocks), open with O_NOFOLLOW|O_NONBLOCK, symlinkat/renameat2/readlinkat relative to a
/// directory descriptor so a repair never follows a swapped-in parent.
/// </summary>
public static unsafe partial class Posix
{
    public const int AtFdCwd = -100;
    const int AtSymlinkNoFollow = 0x100;
    const int AtEmptyPath = 0x1000;
    const uint StatxBasicStats = 0x7ff;
    public const uint RenameNoReplace = 1;
    public const uint RenameExchange = 2;

    public const int ENOENT = 2, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ELOOP = 40, EPERM = 1, ENOSYS = 38;

    static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    static int ONoFollow => IsArm ? 0x8000 : 0x20000;
    static int ODirectory => IsArm ? 0x4000 : 0x10000;
    const int ONonBlock = 0x800, OCloexec = 0x80000, OPath = 0x200000;

    [StructLayout(LayoutKind.Sequential)]
    struct StatxTimestamp { public long Sec; public uint Nsec; public int Reserved; }

    [StructLayout(LayoutKind.Sequential)]
    struct Statx
    {
        public uint Mask, BlkSize; public ulong Attributes;
        public uint NLink, Uid, Gid; public ushort Mode, Spare0;
        public ulong Ino, Size, Blocks, AttributesMask;
        public StatxTimestamp ATime, BTime, CTime, MTime;
        public uint RdevMajor, RdevMinor, DevMajor, DevMinor;
        public fixed ulong Spare[14];
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int StatxNative(int dirfd, string path, int flags, uint mask, out Statx buf);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int OpenNative(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int OpenAtNative(int dirfd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true)]
    private static partial int OpenAtNative(int dirfd, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PReadNative(int fd, byte* buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial nint ReadLinkAtNative(int dirfd, string path, byte* buf, nint size);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int SymlinkAtNative(string target, int dirfd, string linkPath);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int RenameAt2Native(int olddirfd, string oldPath, int newdirfd, string newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int UnlinkAtNative(int dirfd, string path, int flags);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int MkdirAtNative(int dirfd, string path, int mode);

    [LibraryImport("libc", EntryPoint = "faccessat", SetLastError = true, StringMarshalling = StringMarshalling.Custom, StringMarshallingCustomType = typeof(NameBytes.Marshaller))]
    private static partial int FAccessAtNative(int dirfd, string path, int mode, int flags);

    public const int WriteOk = 2;
    const int AtEAccess = 0x200;

    /// <summary>Whether this process (its effective ids) may use a path in the given way (<see cref="WriteOk"/>: connect to a socket). Returns errno.</summary>
    public static int EffectiveAccess(string path, int mode) =>
        FAccessAtNative(AtFdCwd, path, mode, AtEAccess) == 0 ? 0 : Marshal.GetLastPInvokeError();

    static FileStatus ToStatus(in Statx s) => new(
        (FileKind)(s.Mode & 0xF000), (long)s.Size, (long)s.Blocks * 512, ((ulong)s.DevMajor << 32) | s.DevMinor, s.Ino,
        DateTimeOffset.FromUnixTimeSeconds(s.MTime.Sec).AddTicks(s.MTime.Nsec / 100));

    /// <summary>lstat: the entry itself, never what a link points to. Returns errno (0 on success).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int LStat(string path, out FileStatus status) =>
        StatusOf(StatxNative(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var s), s, out status);

    /// <summary>stat: follows links (what .NET asks to know whether a link points at a directory). Returns errno.</summary>
    public static int Stat(string path, out FileStatus status) =>
        StatusOf(StatxNative(AtFdCwd, path, 0, StatxBasicStats, out var s), s, out status);

    public static int LStatAt(int dirfd, string name, out FileStatus status) =>
        StatusOf(StatxNative(dirfd, name, AtSymlinkNoFollow, StatxBasicStats, out var s), s, out status);

    /// <summary>lstat of <paramref name="name"/> (NUL-terminated bytes: a directory entry's as getdents64 gave it) relative to <paramref name="dirfd"/>. Returns errno.</summary>
    public static int LStatAt(int dirfd, ReadOnlySpan<byte> name, out FileStatus status)
    {
        fixed (byte* p = name) return StatusOf(StatxNative(dirfd, p, AtSymlinkNoFollow, StatxBasicStats, out var s), s, out status);
    }

    /// <summary>A statx call's answer as a status and errno; read right after the call, before anything else can set errno.</summary>
    static int StatusOf(int returned, in Statx s, out FileStatus status)
    {
        if (returned != 0)
        {
            status = default;
            return Marshal.GetLastPInvokeError();
        }
        status = ToStatus(s);
        return 0;
    }

    /// <summary>pread into <paramref name="buffer"/>: bytes read (0 at the end), or minus errno.</summary>
    public static int PRead(int fd, Span<byte> buffer, long offset)
    {
        nint n;
        fixed (byte* p = buffer) n = PReadNative(fd, p, buffer.Length, offset);
        return n < 0 ? -Marshal.GetLastPInvokeError() : (int)n;
    }

    public static int FStat(int fd, out FileStatus status) =>
        StatusOf(StatxNative(fd, "", AtEmptyPath, StatxBasicStats, out var s), s, out status);

    /// <summary>readlink; returns errno and the raw target text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ReadLinkAt(int dirfd, string path, out string target)
    {
        // Kubelet's and docker's targets fit the stack buffer; longer ones take the loop below.
        Span<byte> small = stackalloc byte[512];
        nint got;
        fixed (byte* p = small) got = ReadLinkAtNative(dirfd, path, p, small.Length);
        if (got < 0)
        {
            target = "";
            return Marshal.GetLastPInvokeError();
        }
        if (got < small.Length)
        {
            target = NameBytes.Decode(small[..(int)got]);
            return 0;
        }
        var size = 2048;
        while (true)
        {
            var buf = new byte[size];
            nint n;
            fixed (byte* p = buf) n = ReadLinkAtNative(dirfd, path, p, size);
            if (n < 0)
            {
                target = "";
                return Marshal.GetLastPInvokeError();
            }
            if (n < size)
            {
                target = NameBytes.Decode(buf.AsSpan(0, (int)n));
                return 0;
            }
            size *= 4;
        }
    }

    public static int ReadLink(string path, out string target) => ReadLinkAt(AtFdCwd, path, out target);

    /// <summary>Opens a file found while scanning: never follows a final link, never blocks on a FIFO.</summary>
    public static int OpenForScan(string path, out int fd) => OpenForScanAt(AtFdCwd, path, out fd);

    public static int OpenForScanAt(int dirfd, string path, out int fd)
    {
        fd = OpenAtNative(dirfd, path, ONoFollow | ONonBlock | OCloexec, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>
    /// Opens a file a user named (a kubeconfig and what it names): links are followed as any tool follows
    /// them, but a FIFO still does not block the open.
    /// </summary>
    public static int OpenFollowing(string path, out int fd)
    {
        fd = OpenAtNative(AtFdCwd, path, ONonBlock | OCloexec, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>The same for <paramref name="directory"/>/<paramref name="name"/>, the path put together on the stack.</summary>
    public static int OpenForScanAt(int dirfd, string directory, string name, out int fd)
    {
        var max = NameBytes.GetMaxByteCount(directory.Length + 1 + name.Length) + 1;
        if (max > 1024) return OpenForScanAt(dirfd, directory + "/" + name, out fd);
        Span<byte> path = stackalloc byte[max];
        var n = NameBytes.GetBytes(directory, path);
        path[n++] = (byte)'/';
        n += NameBytes.GetBytes(name, path[n..]);
        path[n] = 0;
        fixed (byte* p = path) fd = OpenAtNative(dirfd, p, ONoFollow | ONonBlock | OCloexec, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Opens a directory as an anchor for *at calls; refuses a final link.</summary>
    public static int OpenDirectory(string path, out int fd)
    {
        fd = OpenNative(path, ODirectory | ONoFollow | OCloexec | OPath, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Opens the directory a user named as -Root (a link to it is followed: the user chose it) as an anchor for *at calls.</summary>
    public static int OpenRootDirectory(string path, out int fd)
    {
        fd = OpenNative(path, ODirectory | OCloexec | OPath, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>Opens one component below a directory descriptor as a directory, refusing a link.</summary>
    public static int OpenDirectoryAt(int dirfd, string name, out int fd)
    {
        fd = OpenAtNative(dirfd, name, ODirectory | ONoFollow | OCloexec | OPath, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    public static int OpenDirectoryForReading(string path, out int fd)
    {
        fd = OpenNative(path, ODirectory | ONoFollow | OCloexec | ONonBlock, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    public static int OpenDirectoryForReadingAt(int dirfd, string name, out int fd)
    {
        fd = OpenAtNative(dirfd, name, ODirectory | ONoFollow | OCloexec | ONonBlock, 0);
        return fd < 0 ? Marshal.GetLastPInvokeError() : 0;
    }

    public static int SymlinkAt(string target, int dirfd, string name) =>
        SymlinkAtNative(target, dirfd, name) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static int RenameAt2(int dirfd, string from, string to, uint flags) =>
        RenameAt2Native(dirfd, from, dirfd, to, flags) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static int UnlinkAt(int dirfd, string name) =>
        UnlinkAtNative(dirfd, name, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static int MkdirAt(int dirfd, string name, int mode) =>
        MkdirAtNative(dirfd, name, mode) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => errno switch
    {
        ENOENT => "no such file or directory",
        EACCES => "permission denied",
        EPERM => "operation not permitted",
        EEXIST => "already exists",
        ENOTDIR => "not a directory",
        ELOOP => "too many levels of symbolic links",
        ENOSYS => "not supported by this kernel",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    };
}
