using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Logs;

/// <summary>
/// Finds an instance's segments: kubelet's <c>N.log</c> with <c>N.log.YYYYMMDD-hhmmss[.gz]</c>, or
/// docker's <c>&lt;id&gt;-json.log</c> with <c>.1</c>, <c>.2</c>, <c>.N.gz</c>; oldest first, <c>.tmp</c> skipped, and
/// a plain rotated file whose <c>.gz</c> exists skipped too (kubelet's leftovers: read once, as the <c>.gz</c>).
/// </summary>
public static class LogSegments
{
    const string DockerSuffix = "-json.log";

    /// <summary>
    /// The segments of the stream whose live file is <paramref name="liveFile"/> (which need not exist:
    /// rotated siblings are still returned). Any other file name is a stream of its own.
    /// </summary>
    /// <param name="reporter">Told (verbose) of kubelet's leftovers beside the live file, which are not read (<see cref="KubeletPaths.IsLeftoverRotatedFile"/>).</param>
    /// <param name="door">Where <paramref name="liveFile"/>'s directory is under -Root (every segment is opened through it); null for a file on this machine.</param>
    public static IReadOnlyList<LogSegment> Discover(string liveFile, IPodLogsReporter? reporter = null, LogDoor? door = null)
    {
        var dir = System.IO.Path.GetDirectoryName(liveFile) ?? ".";
        var name = System.IO.Path.GetFileName(liveFile);
        bool kubelet = KubeletPaths.TryParseContainerLogFileName(name, out var parsed) && parsed.RotationSuffix is null;
        bool docker = !kubelet && name.EndsWith(DockerSuffix, StringComparison.Ordinal);
        if (!kubelet && !docker) return [new LogSegment(liveFile, name.EndsWith(".gz", StringComparison.Ordinal), true) { Door = door }];

        var rotated = new List<(string Key, LogSegment Segment)>();
        if (LogFileOpener.ReadDirectory(dir, door, out var entries) == 0)
        {
            var siblings = new List<string>();
            foreach (var e in entries)
                if (e.Name.Length > name.Length + 1 && e.Name.StartsWith(name, StringComparison.Ordinal) && e.Name[name.Length] == '.') siblings.Add(e.Name);
            var (inUse, leftover) = kubelet ? KubeletPaths.SplitRotatedSiblings(siblings) : (siblings, []);
            foreach (var sibling in leftover)
                reporter?.Verbose($"Not read: '{System.IO.Path.Combine(dir, sibling)}' is left from an interrupted kubelet rotation ("
                    + (sibling.EndsWith(".tmp", StringComparison.Ordinal) ? "an unfinished compression" : "its .gz exists and is read instead")
                    + "); kubelet removes it before the next rotation (cleanupUnusedLogs). It takes disk until then.");
            foreach (var sibling in inUse)
            {
                var suffix = sibling[(name.Length + 1)..];
                if (suffix.EndsWith(".tmp", StringComparison.Ordinal)) continue;
                var gz = suffix.EndsWith(".gz", StringComparison.Ordinal);
                var stem = gz ? suffix[..^3] : suffix;
                if (kubelet && IsRotationStamp(stem))
                    rotated.Add((stem, new LogSegment(System.IO.Path.Combine(dir, sibling), gz, false) { Door = door }));
                else if (docker && stem.Length is > 0 and < 10 && stem.All(char.IsAsciiDigit))
                    // .1 is the newest rotated file: a descending key puts the oldest first
                    rotated.Add(((999_999_999 - int.Parse(stem)).ToString("D9"), new LogSegment(System.IO.Path.Combine(dir, sibling), gz, false) { Door = door }));
            }
        }
        rotated.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        var result = rotated.Select(r => r.Segment).ToList();
        if (LogFileOpener.LStat(liveFile, door, out _) == 0) result.Add(new LogSegment(liveFile, false, true) { Door = door });
        return result;
    }

    /// <summary>Go layout 20060102-150405 (kubelet's local time).</summary>
    static bool IsRotationStamp(string s) =>
        s.Length == 15 && s[8] == '-' && s.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0 && s.AsSpan(9).IndexOfAnyExceptInRange('0', '9') < 0;
}
