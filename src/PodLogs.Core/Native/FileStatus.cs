namespace PodLogs.Core.Native;

/// <summary>File type bits of st_mode.</summary>
public enum FileKind
{
    None = 0,
    Fifo = 0x1000,
    CharacterDevice = 0x2000,
    Directory = 0x4000,
    BlockDevice = 0x6000,
    RegularFile = 0x8000,
    SymbolicLink = 0xA000,
    Socket = 0xC000,
}

/// <summary>What one lstat/fstat returned.</summary>
public readonly record struct FileStatus(FileKind Kind, long Size, long AllocatedBytes, ulong Device, ulong Inode, DateTimeOffset LastWriteTime);
