using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

public class Rfc3339NanoTests
{
    static readonly DateTimeOffset Base = new(2023, 7, 12, 19, 3, 5, TimeSpan.Zero);

    [Theory]
    [InlineData("2023-07-12T19:03:05Z", 0)]
    [InlineData("2023-07-12T19:03:05.1Z", 1_000_000)]
    [InlineData("2023-07-12T19:03:05.12Z", 1_200_000)]
    [InlineData("2023-07-12T19:03:05.123Z", 1_230_000)]
    [InlineData("2023-07-12T19:03:05.1234Z", 1_234_000)]
    [InlineData("2023-07-12T19:03:05.12345Z", 1_234_500)]
    [InlineData("2023-07-12T19:03:05.123456Z", 1_234_560)]
    [InlineData("2023-07-12T19:03:05.1234567Z", 1_234_567)]
    [InlineData("2023-07-12T19:03:05.12345678Z", 1_234_567)]
    [InlineData("2023-07-12T19:03:05.123456789Z", 1_234_567)]
    [InlineData("2023-07-12T21:03:05.123456789+02:00", 1_234_567)]
    [InlineData("2023-07-12T21:03:05.5+02:00", 5_000_000)]
    [InlineData("2023-07-12T13:33:05.000000001-05:30", 0)]
    [InlineData("2023-07-12t19:03:05z", 0)]
    public void Parses_any_RFC3339Nano_to_the_same_instant(string text, long extraTicks)
    {
        Assert.True(Rfc3339Nano.TryParse(Encoding.ASCII.GetBytes(text), out DateTimeOffset value));
        Assert.Equal(Base.UtcTicks + extraTicks, value.UtcTicks);
    }

    [Fact]
    public void Keeps_the_offset_it_was_written_with()
    {
        Assert.True(Rfc3339Nano.TryParse("2023-07-12T21:03:05.123456789+02:00"u8, out DateTimeOffset value));
        Assert.Equal(TimeSpan.FromHours(2), value.Offset);
        Assert.Equal(21, value.Hour);
    }

    [Fact]
    public void Agrees_with_the_BCL_on_many_instants()
    {
        var rng = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var t = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks((long)(rng.NextDouble() * TimeSpan.TicksPerDay * 365 * 40));
            var offset = TimeSpan.FromMinutes(rng.Next(-14 * 60, 14 * 60 + 1));
            var text = t.ToOffset(offset).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz");
            Assert.True(Rfc3339Nano.TryParse(Encoding.ASCII.GetBytes(text), out DateTimeOffset v), text);
            Assert.Equal(t.UtcTicks, v.UtcTicks);
        }
    }

    [Theory]
    [InlineData("2023-07-12T19:03:05.1234567891Z")] // 10 digits
    [InlineData("2023-07-12T19:03:05.Z")]
    [InlineData("2023-07-12T19:03:05")]
    [InlineData("2023-07-12 19:03:05Z")]
    [InlineData("2023-13-12T19:03:05Z")]
    [InlineData("2023-02-29T19:03:05Z")]
    [InlineData("2023-07-12T24:03:05Z")]
    [InlineData("2023-07-12T19:03:05+0200")]
    [InlineData("2023-07-12T19:03:05+02:00x")]
    [InlineData("x023-07-12T19:03:05Z")]
    public void Rejects_what_is_not_RFC3339Nano(string text) =>
        Assert.False(Rfc3339Nano.TryParse(Encoding.ASCII.GetBytes(text), out DateTimeOffset _));

    [Fact]
    public void Accepts_a_leap_day() => Assert.True(Rfc3339Nano.TryParse("2024-02-29T00:00:00Z"u8, out DateTimeOffset _));
}
