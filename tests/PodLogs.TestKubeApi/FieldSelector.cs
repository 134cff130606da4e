using System.Text;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A fieldSelector as the apiserver evaluates it (k8s.io/apimachinery fields.ParseSelector): terms
/// joined by commas, each <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>, a backslash
/// escaping the next character. Only the fields the real server supports for the resource are
/// accepted; a missing field compares as "" (so <c>spec.nodeName=</c> finds unscheduled pods).
/// </summary>
internal sealed class FieldSelector
{
    static readonly Dictionary<string, Func<JsonObject, string>> PodFields = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = o => Text(o, "metadata", "name"),
        ["metadata.namespace"] = o => Text(o, "metadata", "namespace"),
        ["spec.nodeName"] = o => Text(o, "spec", "nodeName"),
        ["spec.restartPolicy"] = o => Text(o, "spec", "restartPolicy"),
        ["spec.schedulerName"] = o => Text(o, "spec", "schedulerName"),
        ["spec.serviceAccountName"] = o => Text(o, "spec", "serviceAccountName"),
        ["spec.hostNetwork"] = o => Flag(o, "spec", "hostNetwork"),
        ["status.phase"] = o => Text(o, "status", "phase"),
        ["status.podIP"] = o => Text(o, "status", "podIP"),
        ["status.nominatedNodeName"] = o => Text(o, "status", "nominatedNodeName"),
    };

    static readonly Dictionary<string, Func<JsonObject, string>> NodeFields = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = o => Text(o, "metadata", "name"),
        ["spec.unschedulable"] = o => Flag(o, "spec", "unschedulable"),
    };

    readonly List<(Func<JsonObject, string> Field, string Value, bool Equal)> terms;

    FieldSelector(List<(Func<JsonObject, string>, string, bool)> terms) => this.terms = terms;

    public bool IsEmpty => terms.Count == 0;

    public bool Matches(JsonObject item) => terms.All(t => (t.Field(item) == t.Value) == t.Equal);

    public static FieldSelector Parse(string? text, string resource)
    {
        var fields = resource == "nodes" ? NodeFields : PodFields;
        var terms = new List<(Func<JsonObject, string>, string, bool)>();
        if (string.IsNullOrEmpty(text)) return new FieldSelector(terms);
        foreach (var term in SplitUnescaped(text, ','))
        {
            var (field, op, value) = SplitTerm(term);
            if (!fields.TryGetValue(field, out var getter)) throw new SelectorException($"field label not supported: {field}");
            terms.Add((getter, Unescape(value), op != "!="));
        }
        return new FieldSelector(terms);
    }

    static (string Field, string Op, string Value) SplitTerm(string term)
    {
        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = IndexOfUnescaped(term, op);
            if (at >= 0) return (term[..at], op, term[(at + op.Length)..]);
        }
        throw new SelectorException($"invalid selector: '{term}'; can't understand '{term}'");
    }

    static int IndexOfUnescaped(string text, string value)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (string.CompareOrdinal(text, i, value, 0, value.Length) == 0) return i;
        }
        return -1;
    }

    static IEnumerable<string> SplitUnescaped(string text, char separator)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; continue; }
            if (text[i] != separator) continue;
            yield return text[start..i];
            start = i + 1;
        }
        yield return text[start..];
    }

    static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length) i++;
            result.Append(value[i]);
        }
        return result.ToString();
    }

    static string Text(JsonObject item, string section, string field) =>
        item[section]?[field] is JsonValue value && value.TryGetValue(out string? text) ? text : "";

    static string Flag(JsonObject item, string section, string field) =>
        item[section]?[field] is JsonValue value && value.TryGetValue(out bool flag) && flag ? "true" : "false";
}
