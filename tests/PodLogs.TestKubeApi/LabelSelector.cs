using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A labelSelector as the apiserver evaluates it (k8s.io/apimachinery labels.Parse): requirements
/// joined by commas: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c>, <c>!k</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>. <c>!=</c> and <c>notin</c> match objects without the label too.
/// </summary>
internal sealed partial class LabelSelector
{
    readonly List<Func<JsonObject?, bool>> requirements;

    LabelSelector(List<Func<JsonObject?, bool>> requirements) => this.requirements = requirements;

    public bool IsEmpty => requirements.Count == 0;

    public bool Matches(JsonObject item)
    {
        var labels = item["metadata"]?["labels"] as JsonObject;
        return requirements.All(r => r(labels));
    }

    public static LabelSelector Parse(string? text)
    {
        var requirements = new List<Func<JsonObject?, bool>>();
        if (string.IsNullOrWhiteSpace(text)) return new LabelSelector(requirements);
        foreach (var requirement in SplitOutsideParentheses(text))
            requirements.Add(ParseRequirement(requirement.Trim()));
        return new LabelSelector(requirements);
    }

    static Func<JsonObject?, bool> ParseRequirement(string text)
    {
        var set = SetRequirement().Match(text);
        if (set.Success)
        {
            var key = set.Groups["key"].Value;
            var values = set.Groups["values"].Value.Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            return set.Groups["op"].Value == "in"
                ? labels => Value(labels, key) is { } v && values.Contains(v)
                : labels => Value(labels, key) is not { } v || !values.Contains(v);
        }
        var compare = Comparison().Match(text);
        if (compare.Success)
        {
            var key = compare.Groups["key"].Value.Trim();
            var value = compare.Groups["value"].Value.Trim();
            return compare.Groups["op"].Value == "!="
                ? labels => Value(labels, key) != value
                : labels => Value(labels, key) == value;
        }
        var exists = Existence().Match(text);
        if (exists.Success)
        {
            var key = exists.Groups["key"].Value;
            return exists.Groups["not"].Success
                ? labels => Value(labels, key) is null
                : labels => Value(labels, key) is not null;
        }
        throw new SelectorException($"unable to parse requirement: {text}");
    }

    static string? Value(JsonObject? labels, string key) =>
        labels?[key] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    static IEnumerable<string> SplitOutsideParentheses(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    const string Key = @"[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?";

    [GeneratedRegex(@"^(?<key>" + Key + @")\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$")]
    private static partial Regex SetRequirement();

    [GeneratedRegex(@"^(?<key>" + Key + @")\s*(?<op>!=|==|=)\s*(?<value>[-A-Za-z0-9_.]*)$")]
    private static partial Regex Comparison();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<key>" + Key + @")$")]
    private static partial Regex Existence();
}
