namespace PodLogs.Core.Logs;

/// <summary>Where bytes may be cut without cutting a UTF-8 character in two.</summary>
internal static class Utf8Boundary
{
    /// <summary>
    /// The largest length at most <paramref name="max"/> that does not end inside a multi-byte character of
    /// <paramref name="s"/> (at most 3 bytes back); <paramref name="max"/> itself when the bytes there are not UTF-8.
    /// </summary>
    public static int Cut(ReadOnlySpan<byte> s, int max)
    {
        if (max >= s.Length) return s.Length;
        var i = max;
        for (var k = 0; k < 3 && i > 0 && (s[i] & 0xC0) == 0x80; k++) i--;
        return i > 0 ? i : max;
    }
}
