namespace PodLogs.Core.Inspection;

/// <summary>
/// Test-ContainerLogLink's verdict (issue #10 item 3): true only when something was checked, every entry checked
/// has a passing status (or is transient and transient entries are ignored) and nothing could not be read.
/// </summary>
public sealed class ContainerLogLinkTest(IReadOnlyCollection<LinkStatus> passing, bool ignoreTransient)
{
    readonly int[] _counts = new int[Enum.GetValues<LinkStatus>().Length];
    readonly List<ContainerLogLink> _failures = [];
    int _checked, _ignoredTransient;

    /// <summary>Counts one entry; true when it passes.</summary>
    public bool Observe(ContainerLogLink entry)
    {
        _checked++;
        _counts[(int)entry.Status]++;
        if (passing.Contains(entry.Status)) return true;
        if (ignoreTransient && entry.IsTransient)
        {
            _ignoredTransient++;
            return true;
        }
        _failures.Add(entry);
        return false;
    }

    /// <summary>The verdict, given every error written while testing: any error means something went unchecked.</summary>
    public ContainerLogLinkTestResult Result(IEnumerable<PodLogsFailure> errors)
    {
        var written = errors.ToList();
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var status in Enum.GetValues<LinkStatus>()) counts[status.ToString()] = _counts[(int)status];
        return new ContainerLogLinkTestResult
        {
            Passed = _checked > 0 && _failures.Count == 0 && written.Count == 0,
            Checked = _checked,
            StatusCounts = counts,
            PassingStatus = passing.ToList(),
            IgnoredTransient = _ignoredTransient,
            Unreadable = written.Count(IsUnreadable),
            Failures = _failures.ToList(),
            Errors = written.Select(e => $"{e.ErrorId}: {e.Message}").ToList(),
        };
    }

    /// <summary>
    /// A part of the node (an entry, a directory, runtime state, the API) that could not be read or asked: every error
    /// but a selection value that matched nothing and bad input, which are about what was asked, not about the node.
    /// </summary>
    static bool IsUnreadable(PodLogsFailure f) => f.ErrorId != ErrorIds.Selection.SelectionNotFound && f.Category != FailureCategory.InvalidArgument;
}
