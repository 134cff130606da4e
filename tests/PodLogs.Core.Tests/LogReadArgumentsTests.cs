using PodLogs.Core.Logs;
using PodLogs.Core.Reading;

namespace PodLogs.Core.Tests;

/// <summary>A read's arguments checked before anything is read; each refusal is a failure with its ErrorId.</summary>
public sealed class LogReadArgumentsTests
{
    [Theory]
    [InlineData(true, true, false, "FollowWithPrevious")]
    [InlineData(true, true, true, "FollowWithPrevious")]
    [InlineData(false, true, true, "RestartCountWithPrevious")]
    [InlineData(false, true, false, null)]
    [InlineData(true, false, true, null)]
    public void Follow_and_a_restart_count_do_not_go_with_Previous(bool follow, bool previous, bool restartCount, string? errorId)
    {
        var failure = LogReadArguments.CheckCombination(follow, previous, restartCount);

        Assert.Equal(errorId, failure?.ErrorId);
        if (failure is not null) Assert.Equal(FailureCategory.InvalidArgument, failure.Category);
    }

    [Fact]
    public void A_time_bound_is_an_instant_or_a_failure_naming_the_parameter()
    {
        var now = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(now.AddMinutes(-5), LogReadArguments.TimeBound("Since", "5m", now, out var none));
        Assert.Null(none);
        Assert.Null(LogReadArguments.TimeBound("Since", null, now, out none));
        Assert.Null(none);
        Assert.Null(LogReadArguments.TimeBound("Until", 5, now, out var failure));
        Assert.Equal(("InvalidTimeBound", "-Until: '5' has no unit: write 5s, 5m or 5h."), (failure!.ErrorId, failure.Message));
    }

    [Fact]
    public void A_pattern_is_a_case_insensitive_regex_or_a_failure()
    {
        Assert.Matches(LogReadArguments.Match("err", out var none)!, "ERROR");
        Assert.Null(none);
        Assert.Null(LogReadArguments.Match(null, out none));
        Assert.Null(LogReadArguments.Match("([", out var failure));
        Assert.Equal("InvalidMatchPattern", failure!.ErrorId);
        Assert.StartsWith("-Match '([' is not a valid regular expression: ", failure.Message);
    }

    [Fact]
    public void Following_with_Until_ends_once_no_line_can_be_stamped_before_it()
    {
        var until = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var now = until;
        var running = true;
        Func<bool> stillRunning = () => running;

        Assert.Same(stillRunning, LogTimeBound.FollowWhile(null, TimeSpan.FromSeconds(2), stillRunning));
        Assert.Null(LogTimeBound.FollowWhile(null, TimeSpan.FromSeconds(2), null));
        var go = LogTimeBound.FollowWhile(until, TimeSpan.FromSeconds(2), stillRunning, () => now)!;
        Assert.True(go());
        now = until.AddSeconds(2);
        Assert.True(go());
        running = false;
        Assert.False(go());
        running = true;
        now = until.AddSeconds(3);
        Assert.False(go());
        var never = LogTimeBound.FollowWhile(DateTimeOffset.MaxValue, TimeSpan.FromSeconds(2), null, () => DateTimeOffset.MaxValue)!;
        Assert.True(never());
    }

    [Theory]
    [InlineData(null, LogStreams.All)]
    [InlineData(LogStream.Stdout, LogStreams.Stdout)]
    [InlineData(LogStream.Stderr, LogStreams.Stderr)]
    public void The_options_read_the_stream_asked_for_or_both(LogStream? stream, LogStreams expected)
    {
        var since = DateTimeOffset.UnixEpoch;
        var match = LogReadArguments.Match("x", out _);

        var options = LogReadArguments.Options(64, true, stream, since, null, match);

        Assert.Equal(expected, options.Streams);
        Assert.Equal((64, true, since, (DateTimeOffset?)null), (options.MaxLineBytes, options.NoMerge, options.Since, options.Until));
        Assert.Same(match, options.Match);
    }
}
