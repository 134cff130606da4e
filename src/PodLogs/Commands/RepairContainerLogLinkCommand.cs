using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Paths;
using PodLogs.Core.Repair;

namespace PodLogs.Commands;

/// <summary>
/// Recreates missing and stale links the way dockershim/cri-dockerd and kubelet make them, atomically,
/// from the runtime's state; refuses, with a stable ErrorId, whatever it cannot do safely.
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "ContainerLogLink", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LinkRepairResult))]
public sealed class RepairContainerLogLinkCommand : ContainerSelectionCmdlet
{
    readonly HashSet<string> _entries = new(StringComparer.Ordinal);
    readonly Dictionary<(string?, string?, string), List<InstanceFilter>> _pods = [];
    readonly List<PodIdentity> _scope = [];
    bool _scopeIsWholeNode;

    /// <summary>Recreate a pod directory kubelet already removed (its pod was deleted) when the runtime still has the container.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        AcceptInputRoot();
        if (!HasInput) return;
        foreach (var item in ExpandList(InputObject!))
        {
            if (!FromThisRoot(item)) continue;
            if (item.Properties["NodePath"]?.Value is string nodePath && item.Properties["Kind"]?.Value?.ToString() is { } kind)
            {
                if (!IsKubeletEntryPath(nodePath, kind))
                {
                    WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Repair.NotAKubeletLogPath, FailureCategory.InvalidArgument,
                        $"'{nodePath}' is not a path where kubelet keeps a {kind} entry under {Inspector.Layout.PodLogsDirectory.Configured} or {Inspector.Layout.ContainerLogsDirectory.Configured}; nothing is written to paths taken from input.", null), item));
                    continue;
                }
                _entries.Add(nodePath);
                // The record's pod only narrows what is inspected; the entry itself is found by its path.
                if (PodIdentity.From(item) is { IsValid: true } owner) _scope.Add(owner);
                else _scopeIsWholeNode = true;
                continue;
            }
            // A record without its entry's path (a log line, a Select-Object copy) names its pod, and the container
            // instance its ContainerId and RestartCount name.
            if (ReadPodIdentity(item) is { } pod && InputInstance(item) is { } instance)
            {
                var key = (pod.Namespace, pod.PodName, pod.PodUid);
                if (!_pods.TryGetValue(key, out var instances)) _pods[key] = instances = [];
                instances.Add(instance);
                _scope.Add(pod);
            }
        }
    }

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            List<ContainerLogLink> selected;
            if (HasInput)
            {
                var inspected = _scopeIsWholeNode
                    ? InspectSelection()
                    : _scope.SelectMany(InspectPodOnce);
                selected = inspected
                    .Where(e => _entries.Contains(e.NodePath)
                                || _pods.TryGetValue((e.Namespace, e.PodName, e.PodUid ?? ""), out var instances) && instances.Any(i => i.Matches(e)))
                    .ToList();
                foreach (var missing in _entries.Except(selected.Select(e => e.NodePath)))
                    WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.LogEntryNotFound, FailureCategory.ObjectNotFound,
                        $"{missing} is no longer there and the runtime expects nothing at that path; nothing to repair.", Inspector.Layout.Root.ToLocal(missing))));
            }
            else selected = InspectSelection().ToList();

            // Entries named one by one are refused when the repair does not handle them; whole pods are not.
            var plan = new RepairPlanner(Inspector).Plan(selected, Force, e => _entries.Contains(e.NodePath));
            foreach (var result in new RepairExecutor(Inspector.Layout, this).Execute(plan, ShouldProcess, Cancellation))
                WriteObject(result);
            ReportSelectionMisses();
        });

    /// <summary>Input paths only select: they must be clean and where kubelet keeps that kind of entry.</summary>
    bool IsKubeletEntryPath(string nodePath, string kind)
    {
        if (!NodePath.IsAbsolute(nodePath) || NodePath.Clean(nodePath) != nodePath) return false;
        var layout = Inspector.Layout;
        return kind switch
        {
            nameof(LogEntryKind.Legacy) => KubeletPaths.IsLegacyLinkPath(layout.ContainerLogsDirectory.Configured, nodePath),
            nameof(LogEntryKind.PodLog) => PodLogTarget.Parse(layout, nodePath) is not null && NodePath.IsUnder(nodePath, layout.PodLogsDirectory.Configured),
            _ => false,
        };
    }
}
