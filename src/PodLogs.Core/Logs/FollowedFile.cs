using Microsoft.Win32.SafeHandles;

namespace PodLogs.Core.Logs;

/// <summary>One file that has been at the followed name, held by descriptor.</summary>
internal sealed class FollowedFile : IDisposable
{
    public required SafeFileHandle Handle { get; init; }
    public required string Path { get; init; }
    public required ulong Device { get; init; }
    public required ulong Inode { get; init; }
    /// <summary>When this file was first seen (the grace of the file before it runs from here).</summary>
    public long SeenAt { get; init; }
    public long ReadOffset;
    /// <summary>The last bytes read before ReadOffset: if they change, the file was truncated and rewritten.</summary>
    public byte[] Signature = new byte[32];
    public int SignatureLength;
    public void Dispose() => Handle.Dispose();
}
