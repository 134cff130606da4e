using System.Globalization;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>
/// What PodLogs reads of logrotate's configuration (logrotate(8)): each rule's path globs and its <c>size</c>,
/// <c>rotate</c> and <c>copytruncate</c>, the global settings before it applying as defaults. Scripts
/// (<c>postrotate</c> … <c>endscript</c>) are skipped whole; other directives are ignored.
/// </summary>
public static class LogrotateConfig
{
    /// <summary>The settings a rule inherits from the global part of logrotate.conf (as logrotate applies them to what follows).</summary>
    public sealed record Settings(long? SizeBytes, int? Rotate, bool CopyTruncate)
    {
        public static readonly Settings None = new(null, null, false);
    }

    public sealed record Rule(IReadOnlyList<string> Paths, Settings Settings);

    /// <summary>Parses one file; <paramref name="globals"/> are the defaults in force, and come back updated by the file's own globals. Problems go to <paramref name="problems"/>.</summary>
    public static List<Rule> Parse(string text, ref Settings globals, List<string> problems)
    {
        var rules = new List<Rule>();
        var pending = new List<string>();
        Settings? current = null; // inside a rule's braces
        var inScript = false;
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (inScript)
            {
                if (line == "endscript") inScript = false;
                continue;
            }
            var tokens = Tokenize(line);
            for (var t = 0; t < tokens.Count; t++)
            {
                var token = tokens[t];
                if (current is null)
                {
                    if (token == "{")
                    {
                        if (pending.Count == 0) { problems.Add($"line {n + 1}: '{{' without a path"); }
                        current = globals;
                        continue;
                    }
                    if (token.StartsWith('/'))
                    {
                        pending.Add(token);
                        continue;
                    }
                    // A global directive: the rest of the line is its arguments.
                    globals = Apply(globals, token, tokens.Skip(t + 1).ToList(), n + 1, problems, out var script);
                    inScript = script;
                    break;
                }
                if (token == "}")
                {
                    if (pending.Count > 0) rules.Add(new Rule(pending.ToArray(), current));
                    pending.Clear();
                    current = null;
                    continue;
                }
                current = Apply(current, token, tokens.Skip(t + 1).TakeWhile(a => a != "}").ToList(), n + 1, problems, out var inside);
                inScript = inside;
                // A closing brace on the directive's own line still closes the rule.
                var close = tokens.IndexOf("}", t + 1);
                if (close < 0) break;
                t = close - 1;
            }
        }
        if (current is not null) problems.Add("a rule's '{' is never closed");
        return rules;
    }

    static Settings Apply(Settings s, string directive, List<string> args, int line, List<string> problems, out bool script)
    {
        script = directive is "postrotate" or "prerotate" or "firstaction" or "lastaction" or "preremove";
        switch (directive)
        {
            case "copytruncate": return s with { CopyTruncate = true };
            case "nocopytruncate": return s with { CopyTruncate = false };
            case "rotate":
                if (args.Count > 0 && int.TryParse(args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var rotate)) return s with { Rotate = rotate };
                problems.Add($"line {line}: 'rotate {string.Join(' ', args)}' is not a count");
                return s;
            case "size" or "maxsize":
                var value = args.Count > 0 ? args[0].TrimStart('=') : "";
                if (Quantities.TryParseLogrotateSize(value, out var bytes))
                    return directive == "size" || s.SizeBytes is null ? s with { SizeBytes = bytes } : s;
                problems.Add($"line {line}: '{directive} {string.Join(' ', args)}' is not a size");
                return s;
            default: return s;
        }
    }

    /// <summary>Words separated by white space; double-quoted words may hold spaces; '{' and '}' are words of their own.</summary>
    static List<string> Tokenize(string line)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '{' or '}') { tokens.Add(c.ToString()); i++; continue; }
            if (c == '#') break;
            if (c is '"' or '\'')
            {
                var end = line.IndexOf(c, i + 1);
                if (end < 0) end = line.Length;
                tokens.Add(line[(i + 1)..end]);
                i = end + 1;
                continue;
            }
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i]) && line[i] is not ('{' or '}')) i++;
            tokens.Add(line[start..i]);
        }
        return tokens;
    }

    /// <summary>
    /// True when the glob (glob(3) as logrotate expands it: *, ?, [...] within one component) can name a file
    /// <paramref name="depth"/> components below <paramref name="directory"/>: its first components match the
    /// directory's and it has exactly <paramref name="depth"/> more. kubelet's files are 3 below the pod logs
    /// directory (&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/N.log), its legacy links 1 below theirs, docker's json logs 2 below
    /// its containers directory.
    /// </summary>
    public static bool Covers(string glob, string directory, int depth)
    {
        var g = glob.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var d = NodePath.Clean(directory).Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!glob.StartsWith('/') || g.Length != d.Length + depth) return false;
        for (var i = 0; i < d.Length; i++)
            if (!GlobMatch(g[i], d[i])) return false;
        return true;
    }

    /// <summary>fnmatch(3) on one path component: *, ?, [abc], [a-z], [!x] / [^x], a backslash escaping the next character.</summary>
    public static bool GlobMatch(string pattern, string name) => Match(pattern, 0, name, 0, 0);

    static bool Match(string p, int pi, string s, int si, int depth)
    {
        if (depth > 64) return false;
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                if (si == 0 && s.Length > 0 && s[0] == '.') return false; // glob(3) without GLOB_PERIOD
                while (pi < p.Length && p[pi] == '*') pi++;
                if (pi == p.Length) return true;
                for (var k = si; k <= s.Length; k++)
                    if (Match(p, pi, s, k, depth + 1)) return true;
                return false;
            }
            if (si >= s.Length) return false;
            if (c == '?') { pi++; si++; continue; }
            if (c == '[')
            {
                var end = p.IndexOf(']', pi + 2);
                if (end > 0)
                {
                    var negate = p[pi + 1] is '!' or '^';
                    var set = p[(pi + (negate ? 2 : 1))..end];
                    var hit = false;
                    for (var k = 0; k < set.Length; k++)
                    {
                        if (k + 2 < set.Length && set[k + 1] == '-') { hit |= s[si] >= set[k] && s[si] <= set[k + 2]; k += 2; }
                        else hit |= s[si] == set[k];
                    }
                    if (hit == negate) return false;
                    pi = end + 1; si++;
                    continue;
                }
            }
            if (c == '\\' && pi + 1 < p.Length) { pi++; c = p[pi]; }
            if (s[si] != c) return false;
            pi++; si++;
        }
        return si == s.Length;
    }
}
