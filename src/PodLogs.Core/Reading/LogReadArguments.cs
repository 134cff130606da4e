using System.Text.RegularExpressions;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Reading;

/// <summary>
/// A read's arguments as the user gave them, checked before anything is read: the combinations kubectl logs
/// refuses too, the time bounds (<see cref="LogTimeBound"/>) and the pattern (<see cref="LogMatch"/>). Each check
/// returns the failure as data; the caller stops the command with it.
/// </summary>
public static class LogReadArguments
{
    /// <summary>Why <paramref name="follow"/>, <paramref name="previous"/> and a given restart count cannot go together, or null.</summary>
    public static PodLogsFailure? CheckCombination(bool follow, bool previous, bool restartCountGiven)
    {
        if (follow && previous)
            return new PodLogsFailure(ErrorIds.Logs.FollowWithPrevious, FailureCategory.InvalidArgument,
                "-Follow cannot be combined with -Previous: a previous instance has stopped, so its log no longer grows (kubectl logs refuses -f with -p too).", null);
        if (previous && restartCountGiven)
            return new PodLogsFailure(ErrorIds.Logs.RestartCountWithPrevious, FailureCategory.InvalidArgument,
                "-RestartCount names the instance to read and -Previous asks for the one before the current one: give one of them.", null);
        return null;
    }

    /// <summary>The instant -<paramref name="name"/> stands for (null when not given), or a failure when it is none.</summary>
    public static DateTimeOffset? TimeBound(string name, object? value, DateTimeOffset now, out PodLogsFailure? failure)
    {
        failure = null;
        if (value is null) return null;
        var instant = LogTimeBound.Resolve(value, now, out var error);
        if (instant is null)
            failure = new PodLogsFailure(ErrorIds.Logs.InvalidTimeBound, FailureCategory.InvalidArgument, $"-{name}: {error}.", null);
        return instant;
    }

    /// <summary>The -Match regular expression (null when not given), or a failure when the pattern is not one.</summary>
    public static Regex? Match(string? pattern, out PodLogsFailure? failure)
    {
        failure = null;
        if (pattern is null) return null;
        try { return LogMatch.Create(pattern); }
        catch (ArgumentException ex)
        {
            failure = new PodLogsFailure(ErrorIds.Logs.InvalidMatchPattern, FailureCategory.InvalidArgument,
                $"-Match '{pattern}' is not a valid regular expression: {ex.Message}", null);
            return null;
        }
    }

    /// <summary>How to read, from the checked arguments: -Stream (null when not given: both streams), the line cap, the bounds, the pattern.</summary>
    public static LogReadOptions Options(int maxLineBytes, bool noMerge, LogStream? stream, DateTimeOffset? since, DateTimeOffset? until, Regex? match) => new()
    {
        MaxLineBytes = maxLineBytes,
        NoMerge = noMerge,
        Streams = stream is null ? LogStreams.All : stream == LogStream.Stdout ? LogStreams.Stdout : LogStreams.Stderr,
        Since = since,
        Until = until,
        Match = match,
    };
}
