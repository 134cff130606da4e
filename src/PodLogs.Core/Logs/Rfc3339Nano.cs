namespace PodLogs.Core.Logs;

/// <summary>
/// The one timestamp parser for container logs: any RFC3339Nano (<c>Z</c> or <c>±hh:mm</c>, no
/// fraction or 1–9 fraction digits), as containerd (local time, trimmed fraction) and CRI-O/conmon
/// (fixed 9 digits with an offset) and docker write it. Byte-level and allocation-free; the
/// instant is kept in 100 ns ticks (the original text keeps full nanoseconds).
/// </summary>
public static class Rfc3339Nano
{
    static ReadOnlySpan<int> DaysToMonth365 => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];
    static ReadOnlySpan<int> DaysToMonth366 => [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366];

    /// <summary>Longest valid text: 2006-01-02T15:04:05.999999999+07:00.</summary>
    public const int MaxLength = 35;

    /// <summary>Parses the whole span; false when it is not RFC3339Nano.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        if (TryParse(text, out long utcTicks, out short offsetMinutes))
        {
            value = ToDateTimeOffset(utcTicks, offsetMinutes);
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>Parses the whole span to UTC ticks and the offset it was written with.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out long utcTicks, out short offsetMinutes)
    {
        utcTicks = 0;
        offsetMinutes = 0;
        if (s.Length < 20 || s.Length > MaxLength) return false;
        if (s[4] != '-' || s[7] != '-' || (s[10] | 0x20) != 't' || s[13] != ':' || s[16] != ':') return false;
        int year = D4(s), month = D2(s, 5), day = D2(s, 8), hour = D2(s, 11), minute = D2(s, 14), second = D2(s, 17);
        if ((year | month | day | hour | minute | second) < 0) return false;
        if (year == 0 || month is < 1 or > 12 || hour > 23 || minute > 59 || second > 59) return false;
        var leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        var table = leap ? DaysToMonth366 : DaysToMonth365;
        if (day < 1 || day > table[month] - table[month - 1]) return false;

        var i = 19;
        long fractionTicks = 0;
        if (s[i] == '.')
        {
            i++;
            var start = i;
            long frac = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9) { frac = frac * 10 + (s[i] - '0'); i++; }
            var digits = i - start;
            if (digits is < 1 or > 9) return false;
            // scale to 9 digits (nanoseconds), then to 100 ns ticks
            for (var k = digits; k < 9; k++) frac *= 10;
            fractionTicks = frac / 100;
        }
        if (i >= s.Length) return false;
        int offset;
        if ((s[i] | 0x20) == 'z')
        {
            if (i + 1 != s.Length) return false;
            offset = 0;
        }
        else if (s[i] is (byte)'+' or (byte)'-')
        {
            if (i + 6 != s.Length || s[i + 3] != ':') return false;
            int oh = D2(s, i + 1), om = D2(s, i + 4);
            if ((oh | om) < 0 || oh > 23 || om > 59) return false;
            offset = oh * 60 + om;
            if (s[i] == '-') offset = -offset;
        }
        else return false;

        var y = year - 1;
        long days = y * 365L + y / 4 - y / 100 + y / 400 + table[month - 1] + day - 1;
        var local = days * TimeSpan.TicksPerDay + hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute
                    + second * TimeSpan.TicksPerSecond + fractionTicks;
        utcTicks = local - offset * TimeSpan.TicksPerMinute;
        if (utcTicks < 0 || utcTicks > DateTime.MaxValue.Ticks) return false;
        offsetMinutes = (short)offset;
        return true;
    }

    /// <summary>The instant in the offset it was written with.</summary>
    public static DateTimeOffset ToDateTimeOffset(long utcTicks, short offsetMinutes)
    {
        var local = utcTicks + offsetMinutes * TimeSpan.TicksPerMinute;
        if (local < 0 || local > DateTime.MaxValue.Ticks) return new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return new DateTimeOffset(local, TimeSpan.FromMinutes(offsetMinutes));
    }

    static int D2(ReadOnlySpan<byte> s, int i)
    {
        uint a = (uint)(s[i] - '0'), b = (uint)(s[i + 1] - '0');
        return a <= 9 && b <= 9 ? (int)(a * 10 + b) : -1;
    }

    static int D4(ReadOnlySpan<byte> s)
    {
        int hi = D2(s, 0), lo = D2(s, 2);
        return (hi | lo) < 0 ? -1 : hi * 100 + lo;
    }
}
