using System.Globalization;

namespace PodLogs.Core.Reading;

/// <summary>
/// <c>-Since</c> and <c>-Until</c>: a TimeSpan or a Go-style duration (<c>5m</c>, <c>1h30m</c>, <c>2h45m30.5s</c>)
/// counts back from now; a DateTimeOffset, a DateTime (unspecified kind = local, as PowerShell's
/// <c>Get-Date</c> and casts make them) or a date string is an instant. A value that lands outside
/// DateTimeOffset's range (years 1 to 9999: <c>99999999h</c>, <c>[timespan]::MaxValue</c>) is no instant
/// (an error, never an exception); an instant at the edge of the range (<c>[datetime]::MaxValue</c>) is one.
/// </summary>
public static class LogTimeBound
{
    /// <summary>The instant <paramref name="value"/> stands for, or null (with a reason) when it is none.</summary>
    public static DateTimeOffset? Resolve(object? value, DateTimeOffset now, out string? error)
    {
        error = null;
        switch (value)
        {
            case null:
                error = "no value";
                return null;
            case TimeSpan span:
                return Back(now, span, value, out error);
            case DateTimeOffset instant:
                return instant;
            case DateTime dt:
                try { return dt.Kind == DateTimeKind.Utc ? new DateTimeOffset(dt) : new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Local)); }
                catch (ArgumentOutOfRangeException)
                {
                    // [datetime]::MinValue or MaxValue as local time, in a zone whose offset takes it past the range in UTC: its edge
                    return dt.Year >= 9999 ? DateTimeOffset.MaxValue : DateTimeOffset.MinValue;
                }
            case string text:
                text = text.Trim();
                if (TryParseDuration(text, out var duration)) return Back(now, duration, text, out error);
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeLocal, out var parsed)) return parsed;
                error = $"'{text}' is neither a duration (such as 90s, 5m, 1h30m, 2h45m30.5s) nor a date and time (such as 2026-11-26T10:00:00Z)";
                return null;
            case int or long:
                error = $"'{value}' has no unit: write {value}s, {value}m or {value}h";
                return null;
            default:
                error = $"a {value.GetType().Name} is neither a TimeSpan, a duration string nor a date and time";
                return null;
        }
    }

    /// <summary><paramref name="now"/> minus <paramref name="span"/>, or null with a reason when that is before year 1 (or after 9999).</summary>
    static DateTimeOffset? Back(DateTimeOffset now, TimeSpan span, object value, out string? error)
    {
        error = null;
        try { return now - span; }
        catch (ArgumentOutOfRangeException)
        {
            error = $"'{value}' back from now is {(span > TimeSpan.Zero ? "before the year 1" : "after the year 9999")}; " +
                "give a shorter duration, or a date and time (such as 2026-11-26T10:00:00Z)";
            return null;
        }
    }

    /// <summary>
    /// Go's <c>time.ParseDuration</c>: an optional sign, then one or more decimal numbers each with a
    /// unit (ns, us, µs, ms, s, m, h); <c>0</c> alone is zero. Negative durations are refused here
    /// (a bound in the future is a date, not a duration). Precision is 100 ns.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var s = text.AsSpan();
        if (s.StartsWith("+")) s = s[1..];
        if (s.Length == 0) return false;
        if (s is "0") return true;
        decimal ticks = 0;
        while (s.Length > 0)
        {
            var i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == 0) return false;
            var number = s[..i];
            if (number.IndexOf('.') != number.LastIndexOf('.') || number is "." ) return false;
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
            s = s[i..];
            var j = 0;
            while (j < s.Length && !char.IsAsciiDigit(s[j]) && s[j] != '.') j++;
            decimal unit = s[..j] switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => 10m,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => -1m,
            };
            if (unit < 0) return false;
            s = s[j..];
            try { ticks += n * unit; }
            catch (OverflowException) { return false; }
            if (ticks > TimeSpan.MaxValue.Ticks) return false;
        }
        duration = TimeSpan.FromTicks((long)decimal.Round(ticks));
        return true;
    }

    /// <summary>
    /// What keeps a follow going: <paramref name="stillRunning"/> (null: until stopped), and with -Until also only while a
    /// line could still be stamped before it (<paramref name="until"/> plus <paramref name="slack"/>, saturating, so
    /// <c>[datetimeoffset]::MaxValue</c> never passes).
    /// </summary>
    /// <param name="clock">Now (tests give their own); the local clock by default.</param>
    public static Func<bool>? FollowWhile(DateTimeOffset? until, TimeSpan slack, Func<bool>? stillRunning, Func<DateTimeOffset>? clock = null)
    {
        if (until is not { } bound) return stillRunning;
        var end = bound <= DateTimeOffset.MaxValue - slack ? bound + slack : DateTimeOffset.MaxValue;
        clock ??= () => DateTimeOffset.Now;
        return () => clock() <= end && (stillRunning?.Invoke() ?? true);
    }
}
