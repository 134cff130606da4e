using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

/// <summary>Read pipeline stages 3 and 4, in memory: merging partial records and splitting at MaxLineBytes.</summary>
public class PartialLineMergerTests
{
    static readonly LineWarnings NoWarnings = new();

    static void Give(PartialLineMerger m, string content, LogStream stream, bool partial, long offset, bool unterminated = false)
    {
        var r = m.Record;
        var bytes = Encoding.UTF8.GetBytes(content);
        var ts = Encoding.ASCII.GetBytes("2026-03-01T00:00:00Z");
        r.Arr = bytes; r.Off = 0; r.Len = bytes.Length;
        r.TsArr = ts; r.TsOff = 0; r.TsLen = ts.Length;
        r.Header.Stream = stream; r.Header.File = "f"; r.Header.Offset = offset; r.Header.WarnedSplit = false;
        r.Partial = partial;
        r.Unterminated = unterminated;
        r.Active = true;
    }

    static List<(string Message, LogStream Stream, long Offset, LogLineFlags Flags)> Take(PartialLineMerger m)
    {
        var lines = new List<(string, LogStream, long, LogLineFlags)>();
        while (m.TryTake()) lines.Add((Encoding.UTF8.GetString(m.Message), m.Stream, m.Offset, m.Flags));
        return lines;
    }

    [Fact]
    public void Merges_partial_records_per_stream_with_the_first_record_s_offset()
    {
        var m = new PartialLineMerger(1024, noMerge: false, NoWarnings);
        Give(m, "a", LogStream.Stdout, partial: true, 0);
        Assert.Empty(Take(m));
        Give(m, "err", LogStream.Stderr, partial: false, 10);
        Assert.Equal([("err", LogStream.Stderr, 10L, LogLineFlags.None)], Take(m));
        Give(m, "b", LogStream.Stdout, partial: false, 20);
        Assert.Equal([("ab", LogStream.Stdout, 0L, LogLineFlags.None)], Take(m));
    }

    [Fact]
    public void Splits_at_MaxLineBytes_with_one_warning_per_line()
    {
        var warnings = new LineWarnings();
        var m = new PartialLineMerger(16, noMerge: false, warnings);
        Give(m, new string('x', 40), LogStream.Stdout, partial: false, 0);
        var lines = Take(m);
        Assert.Equal([16, 16, 8], lines.Select(l => l.Message.Length));
        Assert.Equal([LogLineFlags.Split, LogLineFlags.Split, LogLineFlags.None], lines.Select(l => l.Flags));
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Line in 'f' at byte 0 is longer than MaxLineBytes (16); it is split into several lines.", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void Flushing_emits_open_lines_as_Incomplete_and_an_unterminated_record_ends_its_line()
    {
        var m = new PartialLineMerger(1024, noMerge: false, NoWarnings);
        Give(m, "open", LogStream.Stderr, partial: true, 5);
        Assert.Empty(Take(m));
        m.FlushIncomplete();
        Assert.Equal([("open", LogStream.Stderr, 5L, LogLineFlags.Incomplete)], Take(m));
        Give(m, "cut", LogStream.Stdout, partial: true, 9, unterminated: true);
        Assert.Equal([("cut", LogStream.Stdout, 9L, LogLineFlags.Incomplete)], Take(m));
    }

    [Fact]
    public void NoMerge_returns_each_record_flagged_Partial()
    {
        var m = new PartialLineMerger(1024, noMerge: true, NoWarnings);
        Give(m, "a", LogStream.Stdout, partial: true, 0);
        Assert.Equal([("a", LogStream.Stdout, 0L, LogLineFlags.Partial)], Take(m));
    }
}
