using System.Buffers;
using System.Text.Json;

namespace PodLogs.Core.Logs;

/// <summary>One physical line in a file's format: the single place that picks the parser.</summary>
public static class PhysicalLineParser
{
    /// <summary>
    /// Parses <paramref name="line"/> as <paramref name="format"/>; docker json needs a scratch buffer at
    /// least as long as the line (for unescaped content). On failure <paramref name="error"/> says why.
    /// </summary>
    public static bool TryParse(LogFormat format, ReadOnlySpan<byte> line, Span<byte> scratch, out PhysicalRecord record, out string? error)
    {
        if (format != LogFormat.DockerJson) return CriLineParser.TryParse(line, out record, out error);
        if (line.Length > scratch.Length)
        {
            record = default;
            error = "the scratch buffer is shorter than the line";
            return false;
        }
        return DockerJsonLineParser.TryParse(line, scratch, out record, out error);
    }

    /// <summary>The warning for a line that is not in its file's format (reading goes on).</summary>
    public static string Malformed(LogFormat format, string file, long offset, string? error) =>
        $"Malformed {(format == LogFormat.DockerJson ? "docker json" : "CRI")} line in '{file}' at byte {offset}: {error}; skipped.";
}
