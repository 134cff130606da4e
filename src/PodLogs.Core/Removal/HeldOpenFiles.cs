using PodLogs.Core.Paths;

namespace PodLogs.Core.Removal;

/// <summary>
/// Which of the files a removal step unlinks some process holds open (from <see cref="Node.LogHandleScanner"/>'s scan): their
/// blocks stay allocated until the holder closes them (kubelet-facts.md §11), so the result says who and how much.
/// </summary>
public sealed class HeldOpenFiles(IReadOnlyList<LogHandle> handles)
{
    public static readonly HeldOpenFiles None = new([]);

    /// <summary>Holders ("name (pid)", each once, by pid) and the allocated bytes of the held files (each inode once) inside the step's entry.</summary>
    public (IReadOnlyList<string> Holders, long Bytes) Within(RemovalStep step)
    {
        if (step.Kind == RemovalKind.Link || handles.Count == 0) return ([], 0);
        var inside = handles.Where(h => !h.Deleted && (h.Path == step.Located || step.Kind == RemovalKind.DirectoryTree && NodePath.IsUnder(h.Path, step.Located)))
            .ToList();
        var holders = inside.DistinctBy(h => h.ProcessId).OrderBy(h => h.ProcessId).Select(h => $"{h.ProcessName} ({h.ProcessId})").ToList();
        var bytes = inside.DistinctBy(h => (h.Device, h.Inode)).Sum(h => h.Bytes);
        return (holders, bytes);
    }
}
