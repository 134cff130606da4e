namespace PodLogs.Core.Logs;

/// <summary>Counts what readers did, across readers and threads.</summary>
internal sealed class LogReadCounters
{
    long _decompressed, _capped;

    /// <summary>Bytes that came out of GZipStream.</summary>
    public long DecompressedBytes => Interlocked.Read(ref _decompressed);

    /// <summary>Segments whose reading stopped at the decompression cap.</summary>
    public long CappedSegments => Interlocked.Read(ref _capped);

    public void AddDecompressed(long n) => Interlocked.Add(ref _decompressed, n);
    public void AddCapped() => Interlocked.Increment(ref _capped);
}
