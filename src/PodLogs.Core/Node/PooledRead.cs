using System.Buffers;

namespace PodLogs.Core.Node;

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
