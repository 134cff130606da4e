using System.Text;

namespace PodLogs.Core.Metrics;

/// <summary>
/// Writes the exposition for node-exporter's textfile collector: a temporary file in the same directory, then a rename over
/// the target, so a scrape reads the old file or the new one, never half of one (fleet-conventions.md, Metrics). The temporary
/// name does not end in .prom, so the collector never reads it. The path is on this machine (the collector's directory), not under -Root.
/// </summary>
public static class MetricsFile
{
    /// <summary>A path that is a directory is refused before the scan starts; null when the path may be written.</summary>
    public static PodLogsFailure? Check(string path) => Directory.Exists(path)
        ? new PodLogsFailure(ErrorIds.Metrics.MetricsPathIsDirectory, FailureCategory.InvalidArgument,
            $"-Path '{path}' is a directory. Give the file to write in it, for example '{Path.Combine(path, "podlogs.prom")}'.", path)
        : null;

    public static void Write(string path, string text)
    {
        if (Check(path) is { } refused) throw new PodLogsException(refused.ErrorId, refused.Category, refused.Message, path);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(new UTF8Encoding(false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            throw new PodLogsException(ErrorIds.Metrics.MetricsWriteFailed, FailureCategory.WriteError, $"Could not write the metrics file '{full}': {ex.Message}", full);
        }
    }
}
