namespace PodLogs.Core.Inspection;

/// <summary>
/// One pod's records and what inspecting it reported, in their order: made on any thread, replayed on the
/// caller's (a cmdlet may write only from its pipeline thread).
/// </summary>
sealed class PodOutput(LogSelection selection, bool trackPresent) : IPodLogsReporter
{
    readonly List<ContainerLogLink> _records = [];
    List<(int Before, Action<IPodLogsReporter> Report)>? _reports;

    /// <summary>The node paths of the pod directory's entries, selected or not (when the runtime expects instances).</summary>
    public HashSet<string>? Present { get; } = trackPresent ? new(StringComparer.Ordinal) : null;

    /// <summary>An entry of the pod directory: present, and output when its container id is selected.</summary>
    public void AddEntry(ContainerLogLink record)
    {
        Present?.Add(record.NodePath);
        if (selection.MatchesContainerId(record.ContainerId)) _records.Add(record);
    }

    public void Add(ContainerLogLink record) => _records.Add(record);
    public void Error(PodLogsFailure failure) => Buffer(r => r.Error(failure));
    public void Warning(string message) => Buffer(r => r.Warning(message));
    public void Verbose(string message) => Buffer(r => r.Verbose(message));
    void Buffer(Action<IPodLogsReporter> report) => (_reports ??= []).Add((_records.Count, report));

    public IEnumerable<ContainerLogLink> Replay(IPodLogsReporter reporter)
    {
        var next = 0;
        for (var i = 0; i <= _records.Count; i++)
        {
            for (; _reports is not null && next < _reports.Count && _reports[next].Before == i; next++) _reports[next].Report(reporter);
            if (i < _records.Count) yield return _records[i];
        }
    }
}
