namespace PodLogs.Core.Inspection;

/// <summary>
/// What the rules decided about one entry: its status, its reason and its flags. The reason is
/// <see cref="ReasonHead"/> followed by at most <see cref="TailLength"/> characters of <see cref="ReasonTail"/>, so a
/// healthy entry's reason (rarely read) is put together only when asked (<see cref="ContainerLogLink.Reason"/>).
/// </summary>
public readonly record struct Verdict(LinkStatus Status, string ReasonHead, string? ReasonTail = null, int TailLength = int.MaxValue)
{
    /// <summary>Kubelet puts this right by itself shortly (<see cref="ContainerLogLink.IsTransient"/>).</summary>
    public bool IsTransient { get; init; }
    /// <summary>The pod directory name is over 255 bytes (<see cref="ContainerLogLink.NameTooLong"/>).</summary>
    public bool NameTooLong { get; init; }

    /// <summary>The reason in full, as a record shows it before escaping.</summary>
    public string Reason => ReasonTail is null ? ReasonHead : string.Concat(ReasonHead, ReasonTail.AsSpan(0, Math.Min(ReasonTail.Length, TailLength)));

    /// <summary>This verdict with <paramref name="note"/> added to its reason.</summary>
    public Verdict WithNote(string note) => note.Length == 0 ? this : this with { ReasonHead = Reason + note, ReasonTail = null, TailLength = int.MaxValue };
}
