using System.Text.RegularExpressions;

namespace PodLogs.Core.Logs;

/// <summary>
/// <c>-Match</c>: the regular expression and its bound. A pattern the non-backtracking engine can run (no
/// backreferences, lookarounds or atomic groups) runs in time linear in the line, so no line can make it
/// hang; any other pattern runs with a timeout per line, and a timeout stops the read with
/// <c>MatchTimedOut</c> (docs/decisions.md, "-Match on hostile lines").
/// </summary>
public static class LogMatch
{
    /// <summary>How long one line may take to match.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Case-insensitive, as PowerShell's <c>-match</c>. Throws ArgumentException for an invalid pattern.</summary>
    public static Regex Create(string pattern, TimeSpan? timeout = null)
    {
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try { return new Regex(pattern, options | RegexOptions.NonBacktracking, timeout ?? Timeout); }
        catch (NotSupportedException) { return new Regex(pattern, options, timeout ?? Timeout); }
    }

    /// <summary>Whether the line at <paramref name="offset"/> of <paramref name="file"/> matches; a timeout throws <see cref="ErrorIds.Logs.MatchTimedOut"/>.</summary>
    internal static bool IsMatch(Regex regex, ReadOnlySpan<char> line, string file, long offset)
    {
        try { return regex.IsMatch(line); }
        catch (RegexMatchTimeoutException ex) { throw TimedOut(regex, file, offset, ex); }
    }

    static PodLogsException TimedOut(Regex regex, string file, long offset, RegexMatchTimeoutException ex) =>
        new(ErrorIds.Logs.MatchTimedOut, FailureCategory.OperationTimeout,
            $"The pattern '{regex}' took longer than {regex.MatchTimeout.TotalSeconds:0.###} s on the line in '{file}' at byte {offset}, so reading stops: " +
            "it backtracks too much on that line. Use a pattern without backreferences, lookarounds and atomic groups (such a pattern runs in time linear in the line).",
            file, ex);
}
