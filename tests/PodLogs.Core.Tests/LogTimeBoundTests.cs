using PodLogs.Core.Reading;
using Xunit;

namespace PodLogs.Core.Tests;

public class LogTimeBoundTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("5m", 0, 5, 0, 0)]
    [InlineData("1h30m", 1, 30, 0, 0)]
    [InlineData("90s", 0, 0, 90, 0)]
    [InlineData("2h45m30.5s", 2, 45, 30, 500)]
    [InlineData("1.5h", 1, 30, 0, 0)]
    [InlineData("250ms", 0, 0, 0, 250)]
    [InlineData("+10s", 0, 0, 10, 0)]
    [InlineData("0", 0, 0, 0, 0)]
    [InlineData("1m1m", 0, 2, 0, 0)]
    public void Parses_go_durations(string text, int h, int m, int s, int ms) =>
        Assert.Equal(new TimeSpan(0, h, m, s, ms), Parse(text));

    [Fact]
    public void Parses_sub_tick_units() => Assert.Equal(TimeSpan.FromTicks(15), Parse("1us500ns"));

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5d")]
    [InlineData("-5m")]
    [InlineData("1..5s")]
    [InlineData("5 m")]
    [InlineData("1h 30m")]
    [InlineData("99999999999999999h")]
    public void Refuses_what_go_refuses_and_negatives(string text) => Assert.False(LogTimeBound.TryParseDuration(text, out _));

    [Fact]
    public void A_duration_or_timespan_counts_back_from_now()
    {
        Assert.Equal(Now.AddMinutes(-5), LogTimeBound.Resolve("5m", Now, out _));
        Assert.Equal(Now.AddHours(-1), LogTimeBound.Resolve(TimeSpan.FromHours(1), Now, out _));
    }

    [Fact]
    public void Instants_keep_their_offset_and_unspecified_is_local()
    {
        var instant = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(instant, LogTimeBound.Resolve(instant, Now, out _));
        var utc = new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTimeOffset(utc), LogTimeBound.Resolve(utc, Now, out _));
        var unspecified = new DateTime(2026, 11, 26, 10, 0, 0, DateTimeKind.Unspecified);
        var local = TimeZoneInfo.Local.GetUtcOffset(unspecified);
        Assert.Equal(new DateTimeOffset(unspecified, local), LogTimeBound.Resolve(unspecified, Now, out _));
        Assert.Equal(DateTimeOffset.Parse("2026-11-26T10:00:00.5Z"), LogTimeBound.Resolve("2026-11-26T10:00:00.5Z", Now, out _));
    }

    [Fact]
    public void Nonsense_has_a_reason()
    {
        Assert.Null(LogTimeBound.Resolve("yesterday-ish", Now, out var error));
        Assert.Contains("duration", error);
        Assert.Null(LogTimeBound.Resolve(5, Now, out error));
        Assert.Contains("5s", error);
    }

    static TimeSpan Parse(string text)
    {
        Assert.True(LogTimeBound.TryParseDuration(text, out var d), text);
        return d;
    }

    public static TheoryData<object> PastTheRange => new() { TimeSpan.MaxValue, TimeSpan.MinValue, "99999999h", "20000000h", TimeSpan.FromDays(740_000) };

    [Theory]
    [MemberData(nameof(PastTheRange))]
    public void A_duration_that_reaches_past_the_calendar_is_an_error_not_an_exception(object value)
    {
        Assert.Null(LogTimeBound.Resolve(value, DateTimeOffset.Now, out var error));
        Assert.Contains("back from now is", error);
    }

    [Fact]
    public void The_edges_of_the_calendar_are_instants()
    {
        Assert.Equal(DateTimeOffset.MaxValue, LogTimeBound.Resolve(DateTimeOffset.MaxValue, DateTimeOffset.Now, out _));
        Assert.NotNull(LogTimeBound.Resolve(DateTime.MaxValue, DateTimeOffset.Now, out _));
        Assert.NotNull(LogTimeBound.Resolve(DateTime.MinValue, DateTimeOffset.Now, out _));
        Assert.NotNull(LogTimeBound.Resolve("9999-12-31T23:59:59Z", DateTimeOffset.Now, out _));
    }
}
