using System.Runtime.InteropServices;

namespace PodLogs.Core.Native;

/// <summary>The removal calls: relative to a directory descriptor, never following a link (unlinkat removes a link itself).</summary>
public static unsafe partial class Posix
{
    const int AtRemoveDir = 0x200;

    public const int ENOTEMPTY = 39, EXDEV = 18, EBUSY = 16;

    /// <summary>rmdir of <paramref name="name"/> in <paramref name="dirfd"/>: an empty directory only (a link is ENOTDIR). Returns errno.</summary>
    public static int RemoveDirectoryAt(int dirfd, string name) =>
        UnlinkAtNative(dirfd, name, AtRemoveDir) == 0 ? 0 : Marshal.GetLastPInvokeError();
}
