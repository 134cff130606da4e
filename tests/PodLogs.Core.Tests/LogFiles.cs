using System.IO.Compression;
using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

/// <summary>A temp directory for log-reader tests, with writers for both formats.</summary>
public sealed class LogDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("podlogs-logs-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string text) { System.IO.File.WriteAllText(File(name), text, new UTF8Encoding(false)); return File(name); }

    public string Write(string name, byte[] bytes) { System.IO.File.WriteAllBytes(File(name), bytes); return File(name); }

    public string WriteGz(string name, string text)
    {
        using (var fs = System.IO.File.Create(File(name)))
        using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
            gz.Write(Encoding.UTF8.GetBytes(text));
        return File(name);
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, true); } catch (IOException) { }
    }


    public static string Cri(DateTimeOffset t, string stream, char tag, string content) =>
        $"{t.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z {stream} {tag} {content}\n";

    public static string Docker(DateTimeOffset t, string stream, string log) =>
        $"{{\"log\":{System.Text.Json.JsonSerializer.Serialize(log)},\"stream\":\"{stream}\",\"time\":\"{t.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffff}Z\"}}\n";

    public static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    public static List<LogLine> ReadAll(string liveFile, LogReadOptions? options = null, IPodLogsReporter? reporter = null) =>
        ContainerLogReader.ReadAll(LogSegments.Discover(liveFile), options, reporter).ToList();
}

public static class LogFiles
{
    /// <summary>
    /// A gzip bomb of <paramref name="bytes"/> zeros (a multiple of 1 MiB), written in bounded time: one member of
    /// 1 MiB of zeros (about 1 KiB compressed) repeated; gzip readers read concatenated members as one stream.
    /// </summary>
    public static void WriteZeroGzip(string path, long bytes)
    {
        var member = new MemoryStream();
        using (var gz = new GZipStream(member, CompressionLevel.SmallestSize, leaveOpen: true)) gz.Write(new byte[1 << 20]);
        var one = member.ToArray();
        using var fs = System.IO.File.Create(path);
        for (long n = 0; n < bytes; n += 1 << 20) fs.Write(one);
    }
}
