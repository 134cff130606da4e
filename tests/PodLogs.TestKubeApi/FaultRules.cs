namespace PodLogs.TestKubeApi;

/// <summary>
/// The faults tests injected, in the order they were added. For each request every matching rule
/// with uses left applies in turn (delays add up) until one answers or closes the connection.
/// </summary>
internal sealed class FaultRules
{
    sealed class Rule(Func<RecordedRequest, bool> when, Fault fault, int uses)
    {
        public Func<RecordedRequest, bool> When { get; } = when;
        public Fault Fault { get; } = fault;
        public int Uses { get; set; } = uses;
    }

    readonly object gate = new();
    readonly List<Rule> rules = [];

    public IDisposable Add(Func<RecordedRequest, bool> when, Fault fault, int times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        var rule = new Rule(when, fault, times);
        lock (gate) rules.Add(rule);
        return new Removal(() => { lock (gate) rules.Remove(rule); });
    }

    public void Clear()
    {
        lock (gate) rules.Clear();
    }

    public IReadOnlyList<Fault> For(RecordedRequest request)
    {
        var faults = new List<Fault>();
        lock (gate)
        {
            foreach (var rule in rules)
            {
                if (rule.Uses == 0 || !rule.When(request)) continue;
                rule.Uses--;
                faults.Add(rule.Fault);
                if (rule.Fault is not DelayFault) break;
            }
        }
        return faults;
    }

    sealed class Removal(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
