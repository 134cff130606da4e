using System.Buffers;
using System.Text.Json;

namespace PodLogs.Core.Logs;

/// <summary>
/// Docker json-file: <c>{"log":"…","stream":"stdout","attrs":{…},"time":"…"}</c>
/// (parseDockerJSONLog). Utf8JsonReader on the line; escapes are undone into the scratch span
/// only when present (scratch needs at least <c>line.Length</c> bytes). A record whose <c>log</c> lacks the final <c>\n</c> is partial.
/// </summary>
public static class DockerJsonLineParser
{
    /// <param name="scratch">At least <c>line.Length</c> bytes; receives unescaped content.</param>
    public static bool TryParse(ReadOnlySpan<byte> line, Span<byte> scratch, out PhysicalRecord record, out string? error)
    {
        if (TryParseCanonical(line, out record)) { error = null; return true; }
        return TryParseJson(line, scratch, out record, out error);
    }

    static readonly SearchValues<byte> StringSpecials = SearchValues.Create([(byte)'"', (byte)'\\',
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>
    /// The exact shape docker's json-file writer produces for most records —
    /// <c>{"log":"&lt;no escapes&gt;[\n]","stream":"stdout|stderr","time":"…"}</c> — recognised
    /// without a JSON reader. Anything else (escapes, attrs, other order, spaces) returns false and
    /// goes through Utf8JsonReader, which decides.
    /// </summary>
    internal static bool TryParseCanonical(ReadOnlySpan<byte> line, out PhysicalRecord record)
    {
        record = default;
        if (!line.StartsWith("{\"log\":\""u8)) return false;
        var rest = line[8..];
        var i = rest.IndexOfAny(StringSpecials);
        if (i < 0) return false;
        if (rest[i] == '\\')
        {
            if (!rest[i..].StartsWith("\\n\""u8)) return false;
            record.Content = rest[..i];
            rest = rest[(i + 3)..];
        }
        else if (rest[i] == '"')
        {
            record.Content = rest[..i];
            record.Partial = true;
            rest = rest[(i + 1)..];
        }
        else return false;
        if (rest.StartsWith(",\"stream\":\"stdout\""u8)) record.Stream = LogStream.Stdout;
        else if (rest.StartsWith(",\"stream\":\"stderr\""u8)) record.Stream = LogStream.Stderr;
        else return false;
        rest = rest[18..];
        if (!rest.StartsWith(",\"time\":\""u8)) return false;
        rest = rest[9..];
        var q = rest.IndexOf((byte)'"');
        if (q < 0 || rest.Length != q + 2 || rest[q + 1] != '}') return false;
        record.TimestampText = rest[..q];
        return Rfc3339Nano.TryParse(record.TimestampText, out record.UtcTicks, out record.OffsetMinutes);
    }

    internal static bool TryParseJson(ReadOnlySpan<byte> line, Span<byte> scratch, out PhysicalRecord record, out string? error)
    {
        record = default;
        bool haveLog = false, haveStream = false, haveTime = false;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) { error = "not a JSON object"; return false; }
            var used = 0;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject) break;
                if (reader.TokenType != JsonTokenType.PropertyName) { error = "unexpected JSON token"; return false; }
                if (reader.ValueTextEquals("log"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) { error = "\"log\" is not a string"; return false; }
                    if (reader.ValueIsEscaped)
                    {
                        var n = reader.CopyString(scratch[used..]);
                        record.Content = scratch.Slice(used, n);
                        used += n;
                    }
                    else record.Content = reader.ValueSpan;
                    haveLog = true;
                }
                else if (reader.ValueTextEquals("stream"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String) { error = "\"stream\" is not a string"; return false; }
                    if (reader.ValueTextEquals("stdout"u8)) record.Stream = LogStream.Stdout;
                    else if (reader.ValueTextEquals("stderr"u8)) record.Stream = LogStream.Stderr;
                    else { error = "unexpected stream type"; return false; }
                    haveStream = true;
                }
                else if (reader.ValueTextEquals("time"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) { error = "\"time\" is not a plain string"; return false; }
                    record.TimestampText = reader.ValueSpan;
                    if (!Rfc3339Nano.TryParse(record.TimestampText, out record.UtcTicks, out record.OffsetMinutes)) { error = "time is not RFC3339Nano"; return false; }
                    haveTime = true;
                }
                else
                {
                    reader.Read();
                    reader.Skip(); // attrs and anything newer
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.BytesConsumed != line.Length && !line[(int)reader.BytesConsumed..].Trim(" \r\t"u8).IsEmpty)
            { error = "truncated or trailing JSON"; return false; }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            error = "malformed JSON";
            return false;
        }
        if (!haveLog || !haveStream || !haveTime) { error = !haveLog ? "no \"log\"" : !haveStream ? "no \"stream\"" : "no \"time\""; return false; }
        if (record.Content.Length > 0 && record.Content[^1] == '\n') record.Content = record.Content[..^1];
        else record.Partial = true;
        error = null;
        return true;
    }
}
