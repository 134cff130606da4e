using System.Text;
using System.Text.RegularExpressions;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

/// <summary>The stages together, fed file by file as the reader and the follower feed them.</summary>
public class LogPipelineTests
{
    static List<LogLine> Feed(LogPipeline p, params (string File, string Text)[] files)
    {
        var lines = new List<LogLine>();
        foreach (var (file, text) in files)
        {
            p.StartFile(file, LogFormat.Unknown, 0);
            var bytes = Encoding.UTF8.GetBytes(text);
            var at = 0;
            while (true)
            {
                while (p.TryRead(out var v)) lines.Add(v.ToLogLine());
                if (at == bytes.Length) break;
                var n = Math.Min(p.Room.Length, bytes.Length - at);
                bytes.AsSpan(at, n).CopyTo(p.Room);
                p.Added(n);
                at += n;
            }
            p.EndOfFile();
            while (p.TryRead(out var v)) lines.Add(v.ToLogLine());
        }
        p.EndOfInput();
        while (p.TryRead(out var v)) lines.Add(v.ToLogLine());
        return lines;
    }

    [Fact]
    public void A_partial_line_merges_across_files_of_different_formats()
    {
        using var p = new LogPipeline(new LogReadOptions(), 64, chunkOversizeCri: true);
        var lines = Feed(p, ("rotated", Docker(T0, "stdout", "begun in docker, ")), ("live", Cri(T0, "stdout", 'F', "ended in CRI") + Cri(T0, "stdout", 'P', "open")));
        Assert.Equal(["begun in docker, ended in CRI", "open"], lines.Select(l => l.Message));
        Assert.Equal(("rotated", 0L), (lines[0].File, lines[0].Offset));
        Assert.Equal(LogLineFlags.Incomplete, lines[1].Flags);
    }

    [Fact]
    public void Filters_apply_to_the_merged_line()
    {
        using var p = new LogPipeline(new LogReadOptions { Match = new Regex("^needle in") }, 64, chunkOversizeCri: true);
        var lines = Feed(p, ("f", Cri(T0, "stdout", 'P', "needle ") + Cri(T0, "stdout", 'F', "in a haystack") + Cri(T0, "stdout", 'F', "in a needle")));
        Assert.Equal(["needle in a haystack"], lines.Select(l => l.Message));
    }
}
