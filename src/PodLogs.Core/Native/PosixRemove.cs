using System.Runtime.InteropServices;

namespace PodLogs.Core.Native;

/// <summary>The removal calls: relative to a directory descriptor, never following a link (unlinkat removes a link itself).</summary>
public static unsafe partial class Posix
{
    const int AtRemoveDir = 0x200;

    public const int EXDEV = 18;

    const ulong StatxAttrMountRoot = 0x2000;

    /// <summary>
    /// Whether <paramref name="name"/> in <paramref name="dirfd"/> (not followed) is the root of a mount, a bind mount of the
    /// same filesystem included (which st_dev does not tell apart): statx's STATX_ATTR_MOUNT_ROOT (Linux 5.8). On an older
    /// kernel that does not report it, false. Returns errno.
    /// </summary>
    public static int IsMountRootAt(int dirfd, string name, out bool isMountRoot)
    {
        isMountRoot = false;
        if (StatxNative(dirfd, name, AtSymlinkNoFollow, StatxBasicStats, out var s) != 0) return Marshal.GetLastPInvokeError();
        isMountRoot = (s.AttributesMask & StatxAttrMountRoot) != 0 && (s.Attributes & StatxAttrMountRoot) != 0;
        return 0;
    }

    /// <summary>rmdir of <paramref name="name"/> in <paramref name="dirfd"/>: an empty directory only (a link is ENOTDIR). Returns errno.</summary>
    public static int RemoveDirectoryAt(int dirfd, string name) =>
        UnlinkAtNative(dirfd, name, AtRemoveDir) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
