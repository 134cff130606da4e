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

    [Fact]
    public void The_canonical_fast_path_agrees_with_Utf8JsonReader()
    {
        var rng = new Random(11);
        string[] pieces = ["plain", " ", "\"", "\\", "\t", "é", "😀", "\n", "/", "\u0001", "}", ",\"stream\":\"stderr\""];
        var canonical = 0;
        for (var i = 0; i < 3000; i++)
        {
            var log = string.Concat(Enumerable.Range(0, rng.Next(0, 6)).Select(_ => pieces[rng.Next(pieces.Length)])) + (rng.Next(3) == 0 ? "" : "\n");
            var stream = rng.Next(2) == 0 ? "stdout" : "stderr";
            var attrs = rng.Next(4) == 0 ? ",\"attrs\":{\"a\":\"b\"}" : "";
            var line = $"{{\"log\":{System.Text.Json.JsonSerializer.Serialize(log)},\"stream\":\"{stream}\"{attrs},\"time\":\"2026-03-01T10:00:0{rng.Next(10)}.{rng.Next(1, 999999999)}Z\"}}";
            var bytes = Encoding.UTF8.GetBytes(line);
            var fast = DockerJsonLineParser.TryParseCanonical(bytes, out var f);
            Assert.True(DockerJsonLineParser.TryParseJson(bytes, new byte[bytes.Length], out var j, out var error), error);
            if (!fast) continue;
            canonical++;
            Assert.Equal(Encoding.UTF8.GetString(j.Content), Encoding.UTF8.GetString(f.Content));
            Assert.Equal(j.Partial, f.Partial);
            Assert.Equal(j.Stream, f.Stream);
            Assert.Equal(j.UtcTicks, f.UtcTicks);
            Assert.Equal(Encoding.UTF8.GetString(j.TimestampText), Encoding.UTF8.GetString(f.TimestampText));
        }
        Assert.InRange(canonical, 100, 2900); // both paths were exercised
        Assert.True(DockerJsonLineParser.TryParseCanonical("""{"log":"hello\n","stream":"stdout","time":"2026-03-01T10:00:00Z"}"""u8, out _));
        Assert.False(DockerJsonLineParser.TryParseCanonical("""{"log":"a\tb\n","stream":"stdout","time":"2026-03-01T10:00:00Z"}"""u8, out _));
    }
}
