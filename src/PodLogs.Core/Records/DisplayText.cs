using System.Runtime.CompilerServices;
using System.Text;

namespace PodLogs.Core;

/// <summary>
/// Text for people (a Reason, an error or warning message): names, labels and link targets come from the node and
/// may hold anything but '/' and NUL, so a hostile name must not start a new line or colour a terminal (issue #11).
/// Control characters (C0, DEL, C1), Unicode line separators and bidirectional overrides are written as visible
/// escapes (<c>\n</c>, <c>\x1b</c>, <c>\u202e</c>); a byte of a name that is not UTF-8 (see
/// <see cref="Native.NameBytes"/>) as <c>\xff</c>. Records' data properties keep the real value; only their text is escaped.
/// </summary>
public static class DisplayText
{
    /// <summary>
    /// A byte count in binary units as the views show it (du -h's: 12Ki, 1.5Mi, 2.0Gi; under 1 KiB the plain number);
    /// empty for none. One place for every view's SIZE-like column.
    /// </summary>
    public static string Size(long? bytes) => bytes switch
    {
        null => "",
        >= 1L << 30 => string.Format(System.Globalization.CultureInfo.CurrentCulture, "{0:N1}Gi", bytes.Value / (double)(1L << 30)),
        >= 1L << 20 => string.Format(System.Globalization.CultureInfo.CurrentCulture, "{0:N1}Mi", bytes.Value / (double)(1L << 20)),
        >= 1L << 10 => string.Format(System.Globalization.CultureInfo.CurrentCulture, "{0:N0}Ki", bytes.Value / (double)(1L << 10)),
        _ => bytes.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The text with every character a console or log would act on written as a visible escape; the same string when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Escape(string text)
    {
        // Printable ASCII is the whole of nearly every message: one vectorised scan.
        var first = text.AsSpan().IndexOfAnyExcept(PrintableAscii);
        return first < 0 || FirstToEscape(text, first) < 0 ? text : EscapeFrom(text, FirstToEscape(text, first));
    }

    static readonly System.Buffers.SearchValues<char> PrintableAscii = System.Buffers.SearchValues.Create(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    static int FirstToEscape(string text, int from)
    {
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (NeedsEscape(c)) return i;
        }
        return -1;
    }

    static bool NeedsEscape(char c) =>
        c < ' ' || c is >= '\u007f' and <= '\u009f' || char.IsSurrogate(c)
        || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    static string EscapeFrom(string text, int first)
    {
        var s = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                s.Append(c).Append(text[++i]);
                continue;
            }
            if (!NeedsEscape(c))
            {
                s.Append(c);
                continue;
            }
            _ = c switch
            {
                '\n' => s.Append("\\n"),
                '\r' => s.Append("\\r"),
                '\t' => s.Append("\\t"),
                '\0' => s.Append("\\0"),
                < '\u00a0' => s.Append("\\x").Append(((int)c).ToString("x2")),
                // a byte of a name that is not UTF-8 (NameBytes' escape)
                >= '\udc80' and <= '\udcff' => s.Append("\\x").Append((c & 0xff).ToString("x2")),
                _ => s.Append("\\u").Append(((int)c).ToString("x4")),
            };
        }
        return s.ToString();
    }
}
