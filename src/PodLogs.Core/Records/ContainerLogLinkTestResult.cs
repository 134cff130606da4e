using System.Text;

namespace PodLogs.Core;

/// <summary>
/// What Test-ContainerLogLink -Detailed found: whether the test passed and why not. <see cref="Passed"/> is true
/// only when something was checked, every entry checked has a passing status, and nothing went unread or unchecked.
/// </summary>
public sealed record ContainerLogLinkTestResult
{
    public bool Passed { get; init; }
    /// <summary>How many entries were checked.</summary>
    public int Checked { get; init; }
    /// <summary>How many entries had each status, every status named (zero included), keyed by its name.</summary>
    public IReadOnlyDictionary<string, int> StatusCounts { get; init; } = new Dictionary<string, int>();
    /// <summary>The statuses that counted as passing.</summary>
    public IReadOnlyList<LinkStatus> PassingStatus { get; init; } = [LinkStatus.Healthy];
    /// <summary>Entries flagged IsTransient that did not fail the test because -IgnoreTransient was given.</summary>
    public int IgnoredTransient { get; init; }
    /// <summary>How many parts of the node could not be read or asked (an entry, runtime state, the API): each one is in <see cref="Errors"/>.</summary>
    public int Unreadable { get; init; }
    /// <summary>The entries that failed the test.</summary>
    public IReadOnlyList<ContainerLogLink> Failures { get; init; } = [];
    /// <summary>The errors written while testing (<c>ErrorId: message</c>): any of them fails the test.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>The verdict and every reason for it, one per line: what <c>Should -BeTrue -Because "$result"</c> shows.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(Passed ? "Passed" : "Failed").Append(": ").Append(Checked).Append(Checked == 1 ? " entry" : " entries").Append(" checked");
        var counts = StatusCounts.Where(c => c.Value > 0).Select(c => $"{c.Key} {c.Value}").ToList();
        if (counts.Count > 0) text.Append(" (").Append(string.Join(", ", counts)).Append(')');
        if (Checked == 0) text.Append("; nothing matched the selection");
        if (Unreadable > 0) text.Append("; ").Append(Unreadable).Append(" unreadable");
        text.Append('.');
        foreach (var f in Failures) text.Append('\n').Append(f.Status).Append(": ").Append(f.NodePath).Append(": ").Append(f.Reason);
        foreach (var e in Errors) text.Append('\n').Append(e);
        return text.ToString();
    }
}
