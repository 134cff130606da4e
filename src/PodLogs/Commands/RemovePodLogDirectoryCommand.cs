using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Removal;
using PodLogs.Core.Runtime;

namespace PodLogs.Commands;

/// <summary>
/// Removes pod log directories no pod owns, as kubelet's garbage collection would have (issue #13 item 4): on the
/// Kubernetes API's word (this node's pod list, after the node-identity check), or with -Force on the runtime's word that
/// it has no container of the pod; never one the runtime still has containers of, nor one changed within -GracePeriod.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "PodLogDirectory", DefaultParameterSetName = ByNameSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(LogRemovalResult))]
public sealed class RemovePodLogDirectoryCommand : RuntimeSourceCmdlet
{
    NodeLayout? _layout;
    RuntimeSnapshot? _runtime;
    ClusterSnapshot? _cluster;
    PodDirectoryScanner? _scanner;
    LogSelection _selection = LogSelection.All;
    readonly List<PodRef> _pods = [];
    readonly HashSet<string> _named = new(StringComparer.Ordinal);
    readonly HashSet<(string?, string?, string)> _seen = [];

    /// <summary>A kubeconfig file; else KUBECONFIG, ~/.kube/config, the service account, the kubelet's kubeconfig.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>The Node object's name; else NODE_NAME, the kubelet client certificate, --hostname-override, the hostname.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NodeName { get; set; }

    /// <summary>Nothing changed within this span (before the pod list was taken, else before now) is removed.</summary>
    [Parameter]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Decide on the runtime's word alone (it must know every container), without the Kubernetes API.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>A procfs to find processes holding the removed files open (a local path); without it, the host's /proc only under -Root '/'.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProcPath { get; set; }

    bool WantsCluster => !Force || Kubeconfig is not null || Context is not null || NodeName is not null;

    protected override void BeginProcessing()
    {
        if (OrphanFinder.CheckGracePeriod(GracePeriod) is { } refused) ThrowTerminatingError(ToErrorRecord(refused, GracePeriod));
        base.BeginProcessing();
    }

    protected override void SetUp()
    {
        RunCore(() =>
        {
            _selection = BuildSelection();
            (_runtime, _layout) = LoadRuntime("only the Kubernetes API's word decides, and -Force cannot be used");
            _scanner = new PodDirectoryScanner(_layout, this);
            if (WantsCluster) _cluster = LoadCluster(_layout, Kubeconfig, Context, NodeName, TimeoutSec);
            if (PodDirectoryCleanup.MissingWord(_cluster, _runtime) is { } noWord) ThrowTerminatingError(ToErrorRecord(noWord));
        });
    }

    protected override void ProcessRecord()
    {
        AcceptInputRoot();
        RunCore(() =>
        {
            if (HasInput)
            {
                foreach (var item in ExpandList(InputObject!))
                {
                    if (!FromRoot(item, _layout!.Root.LocalRoot)) continue;
                    // Get-PodLogDirectory -Orphaned also gives legacy links: those are Remove-ContainerLogLink's.
                    if (item.Properties["NodePath"]?.Value is string path && KubeletPaths.IsLegacyLinkPath(_layout.ContainerLogsDirectory.Configured, path))
                    {
                        WriteVerbose(DisplayText.Escape($"{path} is a legacy link, not a pod directory: Remove-ContainerLogLink removes it."));
                        continue;
                    }
                    if (ReadPodIdentity(item) is not { } id || !_seen.Add((id.Namespace, id.PodName, id.PodUid))) continue;
                    var pods = id.Namespace is not null && id.PodName is not null
                        ? [_scanner!.Compute(id.Namespace, id.PodName, id.PodUid)]
                        : _scanner!.Enumerate(new LogSelection { PodUid = id.PodUid }).ToList();
                    if (pods.Count == 0)
                        WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.LogEntryNotFound, FailureCategory.ObjectNotFound,
                            $"No log directory of pod uid {id.PodUid} is on this node; nothing to remove.", null), item));
                    foreach (var pod in pods) Add(pod, named: true);
                }
                return;
            }
            if (NamesOnePodExactly)
            {
                Add(_scanner!.Compute(Namespace![0], PodName![0], PodUid!.ToLowerInvariant()), named: true);
                return;
            }
            var named = Namespace is not null || PodName is not null || PodUid is not null;
            foreach (var pod in _scanner!.Enumerate(_selection)) Add(pod, named);
        });
    }

    void Add(PodRef pod, bool named)
    {
        Tally.ObservePod(pod.Namespace, pod.PodName, pod.PodUid);
        _pods.Add(pod);
        if (named) _named.Add(pod.NodePath);
    }

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            if (_layout is null) return;
            var grace = new RemovalGrace(GracePeriod, _cluster?.ListedAt ?? DateTimeOffset.UtcNow);
            var cleanup = new PodDirectoryCleanup(_layout.Root, _cluster, _runtime, grace, this);
            var (requests, refusals) = cleanup.Decide(_pods, pod => _scanner!.Describe(pod), pod => _named.Contains(pod.NodePath));
            foreach (var refusal in refusals) WriteError(ToErrorRecord(refusal));
            if (requests.Count > 0)
            {
                var plan = new RemovalPlanner(_layout).Plan(requests);
                var held = ScanLogHandles(_layout, ProcPath, "Whether a process still holds the removed files open is not known") is { } handles ? new HeldOpenFiles(handles) : null;
                foreach (var result in new RemovalExecutor(_layout, this, held).Execute(plan, ShouldProcess, Cancellation))
                    WriteObject(result);
            }
            else if (refusals.Count == 0) WriteVerbose("No pod log directory to remove: every one selected is owned, in use or too recent.");
            ReportSelectionMisses(_layout, _selection);
        });
}
