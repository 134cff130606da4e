namespace PodLogs.Core.Node;

/// <summary>
/// Reads the top-level scalar keys of a YAML mapping, which is all PodLogs needs from kubelet's
/// configuration (<c>podLogsDir</c>, <c>containerRuntimeEndpoint</c>, …), without a YAML package in Core.
/// Supported: <c>key: value</c> at column 0, plain, single- or double-quoted scalars, comments,
/// a leading <c>---</c>. Indented lines (nested mappings, lists) and keys whose value is a block are
/// skipped, including a block sequence written at column 0 under its key (<c>clusterDNS:</c> then
/// <c>- 10.96.0.10</c>, as kubeadm writes it). Anything else at column 0 (tabs, a line without ':',
/// a second document, a duplicate key) is a <see cref="FormatException"/> naming the line: a config
/// we cannot read must not be guessed at.
/// </summary>
public static class MinimalYaml
{
    public static IReadOnlyDictionary<string, string?> ReadTopLevelScalars(string text)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var sawContent = false;
        var blockOpen = false; // the last top-level key's value follows on the next lines
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var lineNumber = i + 1;
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == ' ') { sawContent = true; continue; }
            if (line[0] == '\t') throw new FormatException($"line {lineNumber}: tab indentation is not valid YAML");
            if (line.StartsWith("---", StringComparison.Ordinal))
            {
                if (sawContent) throw new FormatException($"line {lineNumber}: a second YAML document is not supported");
                continue;
            }
            if (line.StartsWith("...", StringComparison.Ordinal)) break;
            if (blockOpen && line[0] == '-' && (line.Length == 1 || line[1] == ' ')) continue;
            if (line[0] is '-' or '[' or '{') throw new FormatException($"line {lineNumber}: the document is not a mapping");
            sawContent = true;
            var colon = FindKeyColon(line);
            if (colon <= 0) throw new FormatException($"line {lineNumber}: expected 'key: value'");
            var key = Unquote(line[..colon].Trim(), lineNumber);
            var value = ParseScalar(line[(colon + 1)..], lineNumber);
            var rest = line[(colon + 1)..].TrimStart();
            blockOpen = rest.Length == 0 || rest[0] == '#';
            if (!result.TryAdd(key, value)) throw new FormatException($"line {lineNumber}: duplicate key '{key}'");
        }
        return result;
    }

    static int FindKeyColon(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == ':' && (i + 1 == line.Length || line[i + 1] == ' ')) return i;
            if (line[i] == '#' && i > 0 && line[i - 1] == ' ') return -1;
        }
        return -1;
    }

    /// <summary>The scalar after the colon; null for an empty value or a block that follows on indented lines.</summary>
    static string? ParseScalar(string raw, int lineNumber)
    {
        var v = raw.Trim();
        if (v.Length == 0 || v[0] == '#') return null;
        if (v[0] is '"' or '\'')
        {
            var quote = v[0];
            var end = quote == '"' ? FindClosingDoubleQuote(v) : FindClosingSingleQuote(v);
            if (end < 0) throw new FormatException($"line {lineNumber}: unterminated quoted value");
            var after = v[(end + 1)..].Trim();
            if (after.Length > 0 && after[0] != '#') throw new FormatException($"line {lineNumber}: text after a quoted value");
            return Unquote(v[..(end + 1)], lineNumber);
        }
        if (v[0] is '|' or '>' or '&' or '*' or '!') return null;
        if (v[0] is '[' or '{') return null;
        var comment = v.IndexOf(" #", StringComparison.Ordinal);
        if (comment >= 0) v = v[..comment].TrimEnd();
        return v is "~" or "null" or "Null" or "NULL" ? null : v;
    }

    static int FindClosingDoubleQuote(string v)
    {
        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] == '\\') { i++; continue; }
            if (v[i] == '"') return i;
        }
        return -1;
    }

    static int FindClosingSingleQuote(string v)
    {
        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] != '\'') continue;
            if (i + 1 < v.Length && v[i + 1] == '\'') { i++; continue; }
            return i;
        }
        return -1;
    }

    static string Unquote(string s, int lineNumber)
    {
        if (s.Length >= 2 && s[0] == '\'' && s[^1] == '\'') return s[1..^1].Replace("''", "'");
        if (s.Length >= 2 && s[0] == '"' && s[^1] == '"')
        {
            var body = s[1..^1];
            var sb = new System.Text.StringBuilder(body.Length);
            for (var i = 0; i < body.Length; i++)
            {
                if (body[i] != '\\') { sb.Append(body[i]); continue; }
                if (++i == body.Length) throw new FormatException($"line {lineNumber}: dangling escape");
                sb.Append(body[i] switch
                {
                    'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', '/' => '/', '0' => '\0',
                    _ => throw new FormatException($"line {lineNumber}: unsupported escape '\\{body[i]}'"),
                });
            }
            return sb.ToString();
        }
        return s;
    }
}
