using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

public class CriLineParserTests
{
    static (bool Ok, string Ts, LogStream Stream, bool Partial, string Content, string? Error) Parse(string line)
    {
        var ok = CriLineParser.TryParse(Encoding.UTF8.GetBytes(line), out var r, out var error);
        return (ok, Encoding.UTF8.GetString(r.TimestampText), r.Stream, r.Partial, Encoding.UTF8.GetString(r.Content), error);
    }

    [Fact]
    public void Full_stdout_record_with_Z()
    {
        var p = Parse("2026-03-01T10:00:00.5Z stdout F hello world");
        Assert.True(p.Ok);
        Assert.Equal("2026-03-01T10:00:00.5Z", p.Ts);
        Assert.Equal(LogStream.Stdout, p.Stream);
        Assert.False(p.Partial);
        Assert.Equal("hello world", p.Content);
    }

    [Fact]
    public void Partial_stderr_record_with_offset_and_nine_digits()
    {
        var p = Parse("2023-07-12T21:03:05.123456789+02:00 stderr P part one ");
        Assert.True(p.Ok);
        Assert.Equal(LogStream.Stderr, p.Stream);
        Assert.True(p.Partial);
        Assert.Equal("part one ", p.Content);
    }

    [Fact]
    public void Extra_tags_and_empty_content()
    {
        Assert.Equal("x", Parse("2026-03-01T10:00:00Z stdout F:foo:bar x").Content);
        var empty = Parse("2026-03-01T10:00:00Z stdout F ");
        Assert.True(empty.Ok);
        Assert.Equal("", empty.Content);
    }

    [Theory]
    [InlineData("2026-03-01T10:00:00Z stdnot F x", "unexpected stream type")]
    [InlineData("2026-03-01T10:00:00Z stdout X x", "unknown partial tag")]
    [InlineData("2026-03-01 10:00:00Z stdout F x", "timestamp is not RFC3339Nano")]
    [InlineData("hello", "no timestamp delimiter")]
    [InlineData("2026-03-01T10:00:00Z std", "no stream")]
    public void Malformed_lines_say_why(string line, string why)
    {
        var p = Parse(line);
        Assert.False(p.Ok);
        Assert.Equal(why, p.Error);
    }
}
