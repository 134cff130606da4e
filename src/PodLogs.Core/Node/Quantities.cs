using System.Globalization;
using System.Numerics;

namespace PodLogs.Core.Node;

/// <summary>
/// The size and duration spellings the rotating programs accept, each parsed as that program parses it.
/// Every parser returns false (never throws) on text the program would reject, and on a value that does not fit a long.
/// </summary>
public static class Quantities
{
    /// <summary>
    /// Kubernetes' <c>resource.Quantity</c> as a whole number of bytes (apimachinery <c>pkg/api/resource/quantity.go</c>
    /// <c>ParseQuantity</c>, then <c>Value()</c>, which rounds up): a signed decimal number and one suffix, binary
    /// (Ki Mi Gi Ti Pi Ei), decimal (n u m "" k M G T P E) or a decimal exponent (e3, E-2). Kubelet reads
    /// <c>containerLogMaxSize</c> this way (<c>container_log_manager.go</c> <c>NewContainerLogManager</c>).
    /// </summary>
    public static bool TryParseKubernetesQuantity(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 64) return false;
        var i = 0;
        var negative = false;
        if (text[0] is '+' or '-') { negative = text[0] == '-'; i++; }
        var digits = BigInteger.Zero;
        var fraction = 0;
        var sawDigit = false;
        var sawDot = false;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= '0' and <= '9') { digits = digits * 10 + (c - '0'); sawDigit = true; if (sawDot) fraction++; }
            else if (c == '.' && !sawDot) sawDot = true;
            else break;
        }
        if (!sawDigit) return false;
        var suffix = text[i..];
        int pow10 = 0, pow2 = 0;
        switch (suffix)
        {
            case "": break;
            case "Ki": pow2 = 10; break;
            case "Mi": pow2 = 20; break;
            case "Gi": pow2 = 30; break;
            case "Ti": pow2 = 40; break;
            case "Pi": pow2 = 50; break;
            case "Ei": pow2 = 60; break;
            case "n": pow10 = -9; break;
            case "u": pow10 = -6; break;
            case "m": pow10 = -3; break;
            case "k": pow10 = 3; break;
            case "M": pow10 = 6; break;
            case "G": pow10 = 9; break;
            case "T": pow10 = 12; break;
            case "P": pow10 = 15; break;
            case "E": pow10 = 18; break;
            default:
                // A decimal exponent: e or E, an optional sign, digits.
                if (suffix[0] is not ('e' or 'E') || !int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out pow10)
                    || suffix.Length < 2 || !char.IsAsciiDigit(suffix[^1]) || Math.Abs(pow10) > 100) return false;
                break;
        }
        pow10 -= fraction;
        var numerator = digits * BigInteger.Pow(2, pow2) * (pow10 > 0 ? BigInteger.Pow(10, pow10) : BigInteger.One);
        var denominator = pow10 < 0 ? BigInteger.Pow(10, -pow10) : BigInteger.One;
        var value = BigInteger.DivRem(numerator, denominator, out var remainder);
        if (!remainder.IsZero) value += 1; // Value() rounds up
        if (negative) value = -value;
        if (value > long.MaxValue || value < long.MinValue) return false;
        bytes = (long)value;
        return true;
    }

    /// <summary>
    /// Docker's <c>max-size</c> (go-units <c>RAMInBytes</c>, used by moby's json-file and local drivers): a non-negative
    /// decimal number, an optional space, an optional k/m/g/t/p (binary, any case), then optional i and b.
    /// </summary>
    public static bool TryParseDockerSize(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 64) return false;
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.')) end++;
        if (end == 0 || !char.IsAsciiDigit(text[0]) || text[end - 1] == '.'
            || !decimal.TryParse(text.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
        var rest = text[end..];
        if (rest.StartsWith(' ')) rest = rest[1..];
        var shift = 0;
        if (rest.Length > 0 && "kmgtp".IndexOf(char.ToLowerInvariant(rest[0])) is var unit and >= 0) { shift = 10 * (unit + 1); rest = rest[1..]; }
        if (rest.Length > 0 && rest[0] is 'i' or 'I') rest = rest[1..];
        if (rest.Length > 0 && rest[0] is 'b' or 'B') rest = rest[1..];
        if (rest.Length > 0) return false;
        var value = number * (decimal)Math.Pow(2, shift);
        if (value > long.MaxValue) return false;
        bytes = (long)value;
        return true;
    }

    /// <summary>logrotate's <c>size</c>/<c>maxsize</c>: bytes, or a number followed by k, M or G (binary).</summary>
    public static bool TryParseLogrotateSize(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrEmpty(text) || text.Length > 32) return false;
        var shift = char.ToLowerInvariant(text[^1]) switch { 'k' => 10, 'm' => 20, 'g' => 30, _ => 0 };
        var number = shift == 0 ? text : text[..^1];
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue >> shift) return false;
        bytes = n << shift;
        return true;
    }

    /// <summary>Go's <c>time.ParseDuration</c> (kubelet's <c>containerLogMonitorInterval</c>, a metav1.Duration): e.g. 10s, 1m30s, 500ms.</summary>
    public static bool TryParseGoDuration(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || text.Length > 64) return false;
        var s = text;
        var negative = false;
        if (s[0] is '+' or '-') { negative = s[0] == '-'; s = s[1..]; }
        if (s == "0") return true;
        if (s.Length == 0) return false;
        decimal totalNs = 0;
        while (s.Length > 0)
        {
            var end = 0;
            while (end < s.Length && (char.IsAsciiDigit(s[end]) || s[end] == '.')) end++;
            if (end == 0 || !decimal.TryParse(s.AsSpan(0, end), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
            s = s[end..];
            var unitEnd = 0;
            while (unitEnd < s.Length && !char.IsAsciiDigit(s[unitEnd]) && s[unitEnd] != '.') unitEnd++;
            decimal scale = s[..unitEnd] switch
            {
                "ns" => 1m, "us" or "µs" or "μs" => 1e3m, "ms" => 1e6m, "s" => 1e9m, "m" => 60e9m, "h" => 3600e9m,
                _ => -1m,
            };
            if (scale < 0) return false;
            s = s[unitEnd..];
            try { totalNs += n * scale; } catch (OverflowException) { return false; }
            if (totalNs > long.MaxValue) return false; // Go's int64 nanoseconds
        }
        duration = TimeSpan.FromTicks((long)(totalNs / 100m) * (negative ? -1 : 1));
        return true;
    }
}
