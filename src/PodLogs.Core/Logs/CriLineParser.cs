using System.Buffers;
using System.Text.Json;

namespace PodLogs.Core.Logs;

/// <summary>
/// CRI: <c>&lt;RFC3339Nano&gt; &lt;stdout|stderr&gt; &lt;P|F&gt;[:tags] &lt;content&gt;</c>
/// (k8s.io/cri-client/pkg/logs parseCRILog). The line excludes its <c>\n</c>. A tag other than <c>P</c> is a
/// full line; a line without a tag field (written before tags existed) is a full line of everything after the
/// stream (docs/decisions.md, "CRI lines without a tag").
/// </summary>
public static class CriLineParser
{
    public static bool TryParse(ReadOnlySpan<byte> line, out PhysicalRecord record, out string? error)
    {
        record = default;
        var sp = line.Slice(0, Math.Min(line.Length, Rfc3339Nano.MaxLength + 1)).IndexOf((byte)' ');
        if (sp < 0) { error = "no timestamp delimiter"; return false; }
        var ts = line[..sp];
        if (!Rfc3339Nano.TryParse(ts, out record.UtcTicks, out record.OffsetMinutes)) { error = "timestamp is not RFC3339Nano"; return false; }
        record.TimestampText = ts;
        var rest = line[(sp + 1)..];
        if (rest.Length < 7 || rest[6] != ' ') { error = "no stream"; return false; }
        if (rest.StartsWith("stdout"u8)) record.Stream = LogStream.Stdout;
        else if (rest.StartsWith("stderr"u8)) record.Stream = LogStream.Stderr;
        else { error = "unexpected stream type"; return false; }
        rest = rest[7..];
        error = null;
        // The tag field is recognised by its shape: its first ':'-separated tag is one ASCII capital letter.
        // parseCRILog keeps it "forward compatible": only P is partial, any other tag is a full line.
        // Lines written before the tag existed (<time> <stream> <message>) have no such field: the whole rest
        // is the message, a full line (kubelet itself would take their first word for a tag and drop it).
        if (rest.Length >= 1 && rest[0] is >= (byte)'A' and <= (byte)'Z' && (rest.Length == 1 || rest[1] is (byte)' ' or (byte)':'))
        {
            record.Partial = rest[0] == 'P';
            var tagEnd = rest.IndexOf((byte)' ');
            record.Content = tagEnd < 0 ? default : rest[(tagEnd + 1)..];
        }
        else record.Content = rest;
        return true;
    }
}
