using System.Text.RegularExpressions;

namespace PodLogs.Core.Logs;

/// <summary>What to read and how (the selection a cmdlet binds).</summary>
public sealed class LogReadOptions
{
    public const int DefaultMaxLineBytes = 1024 * 1024;

    /// <summary>The largest MaxLineBytes: one line is held in one array (1 GiB; .NET arrays stop short of 2 GiB).</summary>
    public const int MaxLineBytesLimit = 1024 * 1024 * 1024;

    /// <summary>Default <see cref="MaxDecompressedBytes"/>: 1 GiB (docs/decisions.md, "Decompression cap").</summary>
    public const long DefaultMaxDecompressedBytes = 1L << 30;

    /// <summary>Default <see cref="MaxCompressionRatio"/>.</summary>
    public const int DefaultMaxCompressionRatio = 100;

    /// <summary>A logical line longer than this is split (flag <see cref="LogLineFlags.Split"/>) with a warning.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>Return physical records instead of merging partial ones.</summary>
    public bool NoMerge { get; init; }

    public LogStreams Streams { get; init; } = LogStreams.All;

    /// <summary>Only lines at or after this instant (found by binary search, not by a scan).</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only lines at or before this instant.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only lines whose message matches (tested on the decoded span, before any object is built).</summary>
    public Regex? Match { get; init; }

    /// <summary>Read block size; the buffer grows up to MaxLineBytes + 64 KiB for one physical line.</summary>
    public int BlockSize { get; init; } = 1024 * 1024;

    /// <summary>Timestamps may run backwards by up to this much (stdout/stderr stamped apart, NTP steps).</summary>
    public TimeSpan TimestampSlack { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A .gz segment is decompressed up to the larger of this and <see cref="MaxCompressionRatio"/> times its
    /// compressed size; past that, reading it stops with a warning naming the file (a gzip bomb).
    /// </summary>
    public long MaxDecompressedBytes { get; init; } = DefaultMaxDecompressedBytes;

    /// <summary>See <see cref="MaxDecompressedBytes"/>.</summary>
    public int MaxCompressionRatio { get; init; } = DefaultMaxCompressionRatio;

    /// <summary>What the readers did (tests and benchmarks look; null: nothing is counted).</summary>
    internal LogReadCounters? Counters { get; init; }

    internal int PhysicalLineCap => MaxLineBytes + 64 * 1024;

    /// <summary>How many bytes a .gz of <paramref name="compressedSize"/> bytes may expand to.</summary>
    internal long DecompressionCap(long compressedSize) =>
        Math.Max(MaxDecompressedBytes, compressedSize > long.MaxValue / Math.Max(1, MaxCompressionRatio) ? long.MaxValue : compressedSize * MaxCompressionRatio);

    /// <summary>Refuses values no reader can work with (the cmdlet refuses them at binding already).</summary>
    internal void Validate()
    {
        if (MaxLineBytes is < 16 or > MaxLineBytesLimit)
            throw new ArgumentOutOfRangeException(nameof(MaxLineBytes), MaxLineBytes, $"MaxLineBytes must be between 16 and {MaxLineBytesLimit}.");
        if (MaxDecompressedBytes < 0) throw new ArgumentOutOfRangeException(nameof(MaxDecompressedBytes), MaxDecompressedBytes, "MaxDecompressedBytes must not be negative.");
        if (MaxCompressionRatio < 0) throw new ArgumentOutOfRangeException(nameof(MaxCompressionRatio), MaxCompressionRatio, "MaxCompressionRatio must not be negative.");
    }
}
