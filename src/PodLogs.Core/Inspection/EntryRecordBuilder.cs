using System.Runtime.CompilerServices;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Collects one record's fields while it is inspected, then takes its <see cref="Verdict"/>. A struct, passed by
/// value: each method that is handed one finishes it (a scan makes thousands, and as objects they were a tenth of
/// what it allocated).
/// </summary>
struct EntryRecordBuilder(NodeRoot root, string? runtimeName, PodRef? pod, string? container, int? restartCount, string nodePath, LogEntryKind kind)
{
    public string NodePath { get; } = nodePath;
    public string? Namespace { get; set; } = pod?.Namespace;
    public string? PodName { get; set; } = pod?.PodName;
    public string? PodUid { get; set; } = pod?.PodUid;
    public RuntimeContainer? Owner { get; set; }
    public string? NameId { get; set; }
    /// <summary>What a cut legacy name kept of the id.</summary>
    public string? NamePrefix { get; set; }
    public string? TargetId { get; set; }
    public bool Exists { get; set; }
    /// <summary>Where an existing entry is, its parents resolved: its local path is made from this, so no link among them is left for the host to follow.</summary>
    public string? Located { get; set; }
    public LinkType LinkType { get; set; }
    public string? Target { get; set; }
    public string? Resolved { get; set; }
    public IReadOnlyList<LinkHop> Chain { get; set; } = [];
    public bool IsTruncated { get; set; }
    public IReadOnlyList<string> Rotated { get; set; } = [];
    public IReadOnlyList<string> Leftover { get; set; } = [];
    public long Bytes { get; set; }
    public long? TargetBytes { get; set; }
    public Native.FileStatus? EndStatus { get; set; }

    /// <param name="located">The entry's node path with its parents resolved: its own hop's path in the chain.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SetChain(Resolution res, string located)
    {
        Chain = res.Hops;
        Target = null;
        for (var i = 0; i < res.Hops.Count; i++)
            if (res.Hops[i].NodePath == located)
            {
                Target = res.Hops[i].Target;
                break;
            }
        Resolved = res.IsResolved ? res.NodePath : null;
    }

    /// <summary>The record with its verdict; a reason with a tail is put together only when read (see <see cref="ContainerLogLink.SetReason"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ContainerLogLink Build(in Verdict verdict)
    {
        var record = new ContainerLogLink
        {
            Kind = kind,
            Namespace = Namespace,
            PodName = PodName,
            PodUid = PodUid,
            ContainerName = container,
            RestartCount = restartCount,
            ContainerId = Owner?.Id ?? NameId ?? (NamePrefix is { } prefix && TargetId?.StartsWith(prefix, StringComparison.Ordinal) != true ? prefix : TargetId),
            State = Owner?.State ?? ContainerState.Unknown,
            Root = root.LocalRoot,
            NodeNameLookup = root.NodeName,
            FullName = root.ToLocal(Located ?? NodePath),
            NodePath = NodePath,
            Exists = Exists,
            LinkType = LinkType,
            Target = Target,
            ResolvedTarget = Resolved,
            Chain = Chain,
            Status = verdict.Status,
            IsTruncated = IsTruncated,
            IsTransient = verdict.IsTransient,
            RestartCountInferred = Owner?.RestartCountInferred ?? false,
            NameTooLong = verdict.NameTooLong || (pod?.NameTooLong ?? false),
            Layout = pod?.Layout ?? PodLogLayout.Current,
            RotatedFiles = Rotated,
            LeftoverFiles = Leftover,
            TotalBytes = Bytes,
            TargetBytes = TargetBytes,
            EndStatus = EndStatus,
            Source = runtimeName,
            Owner = Owner,
        };
        if (verdict.ReasonTail is { } tail) record.SetReason(verdict.ReasonHead, tail, verdict.TailLength);
        else record.Reason = verdict.ReasonHead;
        return record;
    }
}
