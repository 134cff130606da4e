using System.Globalization;
using System.Text;

namespace PodLogs.Core.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4), as node-exporter's textfile collector reads it: families sorted
/// by name, HELP and TYPE once each, samples sorted by their label values, no timestamps (fleet-conventions.md, Metrics).
/// </summary>
public static class PrometheusText
{
    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families.Where(f => f.Samples.Count > 0).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
            foreach (var sample in family.Samples.OrderBy(s => s.Labels, LabelOrder.Instance))
            {
                text.Append(family.Name);
                if (sample.Labels.Count > 0)
                {
                    text.Append('{');
                    for (var i = 0; i < sample.Labels.Count; i++)
                    {
                        if (i > 0) text.Append(',');
                        text.Append(sample.Labels[i].Key).Append("=\"").Append(EscapeLabelValue(sample.Labels[i].Value)).Append('"');
                    }
                    text.Append('}');
                }
                text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>A label value: backslash, double quote and line feed escaped, as the format requires; anything else is kept (UTF-8).</summary>
    public static string EscapeLabelValue(string value) =>
        value.AsSpan().IndexOfAny('\\', '"', '\n') < 0 ? value : value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>A HELP text: backslash and line feed escaped.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        // Byte counts and counts are whole numbers: written without an exponent up to 2^53, where doubles stay exact.
        _ when value == Math.Floor(value) && Math.Abs(value) <= 9007199254740992d => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    sealed class LabelOrder : IComparer<IReadOnlyList<KeyValuePair<string, string>>>
    {
        public static readonly LabelOrder Instance = new();

        public int Compare(IReadOnlyList<KeyValuePair<string, string>>? x, IReadOnlyList<KeyValuePair<string, string>>? y)
        {
            for (var i = 0; i < Math.Min(x!.Count, y!.Count); i++)
            {
                var c = string.CompareOrdinal(x[i].Key, y[i].Key);
                if (c == 0) c = string.CompareOrdinal(x[i].Value, y[i].Value);
                if (c != 0) return c;
            }
            return x.Count.CompareTo(y.Count);
        }
    }
}
