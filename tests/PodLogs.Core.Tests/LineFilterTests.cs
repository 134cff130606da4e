using System.Text;
using System.Text.RegularExpressions;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

/// <summary>Read pipeline stage 5, in memory: the filters and the UTF-8 check.</summary>
public class LineFilterTests
{
    [Fact]
    public void Since_Until_and_Match_bound_the_lines()
    {
        var f = new LineFilter(new LogReadOptions { Since = T0, Until = T0.AddSeconds(1), Match = new Regex("nee+dle") }, new LineWarnings());
        Assert.True(f.Passes(T0.UtcTicks, "a neeedle"u8, "f", 0));
        Assert.False(f.Passes(T0.UtcTicks - 1, "a needle"u8, "f", 0));
        Assert.False(f.Passes(T0.AddSeconds(1).UtcTicks + 1, "a needle"u8, "f", 0));
        Assert.False(f.Passes(T0.UtcTicks, "hay"u8, "f", 0));
    }

    [Fact]
    public void Invalid_UTF8_is_flagged_and_counted_only_when_reported()
    {
        var warnings = new LineWarnings();
        var f = new LineFilter(new LogReadOptions(), warnings);
        Assert.Equal(LogLineFlags.None, f.Check("ok"u8, "f", 0));
        Assert.Equal(LogLineFlags.InvalidUtf8, f.Check([0xff, 0x41], "f", 7));
        f.ReportInvalidUtf8 = false;
        Assert.Equal(LogLineFlags.InvalidUtf8, f.Check([0xff], "f", 9));
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Invalid UTF-8 in 'f' at byte 7; invalid bytes are shown as U+FFFD.", Assert.Single(reporter.Warnings));
    }
}
