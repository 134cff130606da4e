using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

public class DockerJsonParserTests
{
    static (bool Ok, string Ts, LogStream Stream, bool Partial, string Content, string? Error) Parse(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var ok = DockerJsonLineParser.TryParse(bytes, new byte[bytes.Length], out var r, out var error);
        return (ok, Encoding.UTF8.GetString(r.TimestampText), r.Stream, r.Partial, Encoding.UTF8.GetString(r.Content), error);
    }

    [Fact]
    public void Plain_record()
    {
        var p = Parse("""{"log":"hello\n","stream":"stdout","time":"2026-03-01T10:00:00.123456789Z"}""");
        Assert.True(p.Ok);
        Assert.Equal("hello", p.Content);
        Assert.False(p.Partial);
        Assert.Equal(LogStream.Stdout, p.Stream);
        Assert.Equal("2026-03-01T10:00:00.123456789Z", p.Ts);
    }

    [Fact]
    public void Escapes_are_undone()
    {
        var p = Parse("""{"log":"a \"q\" \\ \u00e9 \ud83d\ude00 \t\/x\n","stream":"stderr","time":"2026-03-01T10:00:00Z"}""");
        Assert.True(p.Ok, p.Error);
        Assert.Equal("a \"q\" \\ é 😀 \t/x", p.Content);
        Assert.Equal(LogStream.Stderr, p.Stream);
    }

    [Fact]
    public void Attrs_are_skipped_in_any_position()
    {
        var p = Parse("""{"log":"x\n","stream":"stdout","attrs":{"tag":"v","nested":{"a":[1,{"b":"}"}]}},"time":"2026-03-01T10:00:00+02:00"}""");
        Assert.True(p.Ok, p.Error);
        Assert.Equal("x", p.Content);
        var q = Parse("""{"attrs":{"k":"v"},"time":"2026-03-01T10:00:00Z","stream":"stdout","log":"y\n"}""");
        Assert.True(q.Ok, q.Error);
        Assert.Equal("y", q.Content);
    }

    [Fact]
    public void A_log_without_final_newline_is_partial()
    {
        var p = Parse("""{"log":"part","stream":"stdout","time":"2026-03-01T10:00:00Z"}""");
        Assert.True(p.Ok);
        Assert.True(p.Partial);
        Assert.Equal("part", p.Content);
    }

    [Theory]
    [InlineData("""{"log":"x\n","stream":"stdout","time":"2026-03-01T10:00:00Z" """, "malformed JSON")]
    [InlineData("""{"log":"x\n","stream":"stdout"}""", "no \"time\"")]
    [InlineData("""{"log":"x\n","stream":"stdin","time":"2026-03-01T10:00:00Z"}""", "unexpected stream type")]
    [InlineData("""{"log":"x\n","stream":"stdout","time":"yesterday"}""", "time is not RFC3339Nano")]
    [InlineData("""not json""", "malformed JSON")]
    [InlineData("""{"log":"x\n","stream":"stdout","time":"2026-03-01T10:00:00Z"} junk""", "truncated or trailing JSON")]
    public void Malformed_records_say_why(string line, string why)
    {
        var p = Parse(line);
        Assert.False(p.Ok);
        Assert.Equal(why, p.Error);
    }
}
