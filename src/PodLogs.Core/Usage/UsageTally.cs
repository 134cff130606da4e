using PodLogs.Core.Node;

namespace PodLogs.Core;

/// <summary>One tally per byte field, so groups add up each file once per field (<see cref="DiskUsage.Add(DiskUsage)"/>).</summary>
internal sealed class UsageTally(NodeRoot root)
{
    public DiskUsage Active { get; } = new(root);
    public DiskUsage Rotated { get; } = new(root);
    public DiskUsage Compressed { get; } = new(root);
    public DiskUsage Leftover { get; } = new(root);
    /// <summary>Deleted files a process still holds open, by device and inode (their blocks are free only when it closes them); null when not scanned.</summary>
    public Dictionary<(ulong Device, ulong Inode), long>? DeletedOpen { get; set; }
    public long? DeletedOpenBytes => DeletedOpen?.Values.Sum();

    /// <summary>The files of all four figures, each once, and their bytes.</summary>
    public (int FileCount, long Bytes) Total()
    {
        var rotated = Rotated.Excluding([Active]);
        var compressed = Compressed.Excluding([Active, Rotated]);
        var leftover = Leftover.Excluding([Active, Rotated, Compressed]);
        return (Active.FileCount + rotated.FileCount + compressed.FileCount + leftover.FileCount,
            Active.Bytes + rotated.Bytes + compressed.Bytes + leftover.Bytes);
    }

    public void Add(UsageTally other)
    {
        Active.Add(other.Active);
        Rotated.Add(other.Rotated);
        Compressed.Add(other.Compressed);
        Leftover.Add(other.Leftover);
        if (other.DeletedOpen is { } deleted)
            foreach (var (key, bytes) in deleted) (DeletedOpen ??= []).TryAdd(key, bytes);
    }
}
