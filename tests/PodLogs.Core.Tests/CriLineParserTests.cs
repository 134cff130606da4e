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
    [InlineData("2026-03-01 10:00:00Z stdout F x", "timestamp is not RFC3339Nano")]
    [InlineData("hello", "no timestamp delimiter")]
    [InlineData("2026-03-01T10:00:00Z std", "no stream")]
    public void Malformed_lines_say_why(string line, string why)
    {
        var p = Parse(line);
        Assert.False(p.Ok);
        Assert.Equal(why, p.Error);
    }

    // kubernetes/kubernetes staging/src/k8s.io/cri-client/pkg/logs/logs.go parseCRILog: "Keep this forward
    // compatible." — tags are split on ':' and only a first tag of P (runtimeapi.LogTagPartial) is partial.
    [Theory]
    [InlineData("2026-03-01T10:00:00Z stdout X x", "x")]
    [InlineData("2026-03-01T10:00:00Z stderr F:x:y two words", "two words")]
    [InlineData("2026-03-01T10:00:00Z stdout Q:P x", "x")]
    [InlineData("2026-03-01T10:00:00Z stdout Z", "")]
    public void A_tag_other_than_P_is_a_full_line(string line, string content)
    {
        var p = Parse(line);
        Assert.True(p.Ok, p.Error);
        Assert.False(p.Partial);
        Assert.Equal(content, p.Content);
    }

    [Fact]
    public void P_with_more_tags_is_partial()
    {
        var p = Parse("2026-03-01T10:00:00Z stdout P:x half");
        Assert.True(p.Ok);
        Assert.True(p.Partial);
        Assert.Equal("half", p.Content);
    }

    // Lines written before the CRI tag existed: "<time> <stream> <message>" (the CRI logging design's first
    // format, kubernetes/design-proposals-archive node/kubelet-cri-logging.md). parseCRILog would take the
    // message's first word for a tag; PodLogs keeps the whole message (docs/decisions.md "CRI lines without a tag").
    [Theory]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout log content 1", LogStream.Stdout, "log content 1")]
    [InlineData("2016-10-06T00:17:09.669794202Z stderr hello", LogStream.Stderr, "hello")]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout Fatal: no config", LogStream.Stdout, "Fatal: no config")]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout 42 items", LogStream.Stdout, "42 items")]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout ", LogStream.Stdout, "")]
    [InlineData("2016-10-06T00:17:09.669794202Z stdout  indented", LogStream.Stdout, " indented")]
    public void A_line_without_a_tag_field_is_a_full_line_of_the_whole_message(string line, LogStream stream, string content)
    {
        var p = Parse(line);
        Assert.True(p.Ok, p.Error);
        Assert.Equal(stream, p.Stream);
        Assert.False(p.Partial);
        Assert.Equal(content, p.Content);
    }
}
