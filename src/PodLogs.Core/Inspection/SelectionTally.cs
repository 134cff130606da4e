namespace PodLogs.Core.Inspection;

/// <summary>
/// Which values of a selection matched something (issue #10: no silent answers). Every value without
/// wildcards must match a pod (namespace, pod name, uid) or a container instance (container name, id) the
/// command selected; those that did not are <see cref="ErrorIds.Selection.SelectionNotFound"/> errors, one per value. The command
/// observes what it selected; a pod counts for its pod-level values even when none of its containers is selected.
/// </summary>
public sealed class SelectionTally
{
    public static readonly SelectionTally None = new([]);

    readonly SelectionValue[] _values;
    readonly bool[] _matched;
    readonly bool[] _existsAlone;
    bool _observedAny;

    public SelectionTally(IEnumerable<SelectionValue> values)
    {
        _values = values.ToArray();
        _matched = new bool[_values.Length];
        _existsAlone = new bool[_values.Length];
    }

    public IReadOnlyList<SelectionValue> Values => _values;

    /// <summary>True while a value without wildcards has not matched yet.</summary>
    public bool HasUnmatched => Unmatched().Any();

    /// <summary>True while a namespace, pod name or uid value without wildcards has not matched yet.</summary>
    public bool HasUnmatchedPodValues => Unmatched().Any(v => v.IsPodLevel);

    /// <summary>A pod the command selected (its directory, or the pod the API or the runtime names).</summary>
    public void ObservePod(string? ns, string? podName, string? podUid) => Mark(ns, podName, podUid, null, null, podOnly: true);

    /// <summary>A container instance (an entry) the command selected: it counts for its pod's values too.</summary>
    public void Observe(string? ns, string? podName, string? podUid, string? containerName, string? containerId) =>
        Mark(ns, podName, podUid, containerName, containerId, podOnly: false);

    public void Observe(ContainerLogLink record) =>
        Mark(record.Namespace, record.PodName, record.PodUid, record.ContainerName, record.ContainerId, podOnly: false, idIsCut: record.IsTruncated);

    /// <summary>
    /// Any pod on the node, whatever the selection: a pod-level value it matches exists on the node, so when it matched
    /// nothing it was the combination with the other values that matched nothing, not the value itself.
    /// </summary>
    public void ObservePodOnNode(string? ns, string? podName, string? podUid)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            var v = _values[i];
            var candidate = v.Parameter switch
            {
                SelectionParameter.Namespace => ns,
                SelectionParameter.PodName => podName,
                SelectionParameter.PodUid => podUid,
                _ => null,
            };
            if (candidate is not null && v.Matches(candidate)) _existsAlone[i] = true;
        }
    }

    void Mark(string? ns, string? podName, string? podUid, string? containerName, string? containerId, bool podOnly, bool idIsCut = false)
    {
        _observedAny = true;
        for (var i = 0; i < _values.Length; i++)
        {
            if (_matched[i]) continue;
            var v = _values[i];
            if (podOnly && !v.IsPodLevel) continue;
            var candidate = v.Parameter switch
            {
                SelectionParameter.Namespace => ns,
                SelectionParameter.PodName => podName,
                SelectionParameter.PodUid => podUid,
                SelectionParameter.ContainerName => containerName,
                _ => containerId,
            };
            if (candidate is not null && (v.Matches(candidate) || idIsCut && v.MatchesCutId?.Invoke(candidate) == true)) _matched[i] = true;
        }
    }

    IEnumerable<SelectionValue> Unmatched()
    {
        for (var i = 0; i < _values.Length; i++)
            if (!_matched[i] && !_values[i].IsPattern)
                yield return _values[i];
    }

    /// <summary>
    /// One error per value without wildcards that matched nothing, naming the parameter, the value and the rest of the
    /// selection. Pod-level values come first: while one of them selected no pod, no container value can be judged.
    /// Of those, the values no pod on the node has at all are named; only when each exists alone is it their
    /// combination that matched nothing, and then each is named as such.
    /// </summary>
    public IReadOnlyList<PodLogsFailure> Failures()
    {
        var unmatched = Unmatched().ToList();
        var podLevel = unmatched.Where(v => v.IsPodLevel).ToList();
        // A pattern among the pod-level values makes "nothing together" an answer, as a pattern alone is: a value that
        // exists on the node is not named for missing a pattern's pods, nor is a container value judged in no pod.
        var podPattern = _values.Any(v => v.IsPodLevel && v.IsPattern);
        List<SelectionValue> named;
        if (podLevel.Count == 0) named = podPattern && !_observedAny ? [] : unmatched;
        else
        {
            var absent = podLevel.Where(v => !_existsAlone[Array.IndexOf(_values, v)]).ToList();
            named = absent.Count > 0 ? absent : podPattern ? [] : podLevel;
        }
        var failures = new List<PodLogsFailure>();
        foreach (var v in named)
        {
            var others = _values.Where(o => o.Parameter != v.Parameter).GroupBy(o => o.Parameter)
                .Select(g => $"-{g.Key} {string.Join(",", g.Select(o => $"'{o.Value}'"))}").ToList();
            var with = others.Count == 0 ? "" : $" (with {string.Join(" ", others)})";
            string message;
            if (_existsAlone[Array.IndexOf(_values, v)])
                message = $"-{v.Parameter} '{v.Value}' matches pods on the node, but none together with {string.Join(" ", others)}.";
            else
            {
                var what = v.Parameter switch
                {
                    SelectionParameter.Namespace => "No pod on the node is in namespace",
                    SelectionParameter.PodName => "No pod on the node is named",
                    SelectionParameter.PodUid => "No pod on the node has the uid",
                    SelectionParameter.ContainerName => "No container of the selected pods is named",
                    _ => "No container instance of the selected pods has the id",
                };
                message = $"{what} '{v.Value}': -{v.Parameter} '{v.Value}' matched nothing{with}. Names are matched exactly unless they contain wildcards.";
            }
            failures.Add(new PodLogsFailure(ErrorIds.Selection.SelectionNotFound, FailureCategory.ObjectNotFound, message, v.Value));
        }
        return failures;
    }
}
