using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Inspection;

/// <summary>
/// The files of a 1.5–1.9 pod directory (<c>/var/log/pods/&lt;uid&gt;/&lt;container&gt;_&lt;N&gt;.log</c>, PR #34858), grouped by
/// instance: the live file and its rotated siblings.
/// </summary>
sealed record UidFlatFiles(string Container, int RestartCount, DirectoryEntry? Live, List<string> Rotated, string LiveName)
{
    /// <summary>The instances among a pod directory's entries, in (container, N) order.</summary>
    public static IEnumerable<UidFlatFiles> Group(List<DirectoryEntry> entries)
    {
        var groups = new SortedDictionary<(string, int), UidFlatFiles>();
        foreach (var e in entries)
        {
            var logEnd = e.Name.IndexOf(".log", StringComparison.Ordinal);
            if (logEnd < 0 || !KubeletPaths.TryParseUidFlatFileName(e.Name[..(logEnd + 4)], out var container, out var n)) continue;
            var key = (container, n);
            if (!groups.TryGetValue(key, out var g)) groups[key] = g = new UidFlatFiles(container, n, null, [], e.Name[..(logEnd + 4)]);
            if (logEnd + 4 == e.Name.Length) groups[key] = g with { Live = e };
            else g.Rotated.Add(e.Name);
        }
        return groups.Values;
    }
}
