using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;

namespace PodLogs.Commands;

/// <summary>
/// Returns pod log directories: computed like kubelet for one pod (whether or not it exists), or found
/// by scanning the pod logs directory with wildcards; with -Cluster, one for each pod the Kubernetes API
/// schedules on this node; with -Orphaned, those no pod in the API owns (and legacy links likewise).
/// </summary>
[Cmdlet(VerbsCommon.Get, "PodLogDirectory", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(PodLogDirectory))]
[OutputType(typeof(OrphanedLegacyLink), ParameterSetName = [ByNameSet])]
public sealed class GetPodLogDirectoryCommand : PodSelectionCmdlet
{
    PodDirectoryScanner? _scanner;
    NodeLayout? _layout;
    ClusterSnapshot? _cluster;
    LogSelection _selection = LogSelection.All;
    readonly HashSet<(string?, string?, string)> _seen = [];

    /// <summary>The pods the Kubernetes API schedules on this node, each with its expected directory and whether it exists.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public SwitchParameter Cluster { get; set; }

    /// <summary>Directories (and legacy links) no pod on this node in the API owns, untouched for -GracePeriod; nothing is removed.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public SwitchParameter Orphaned { get; set; }

    /// <summary>A kubeconfig file (implies -Cluster unless -Orphaned); else KUBECONFIG, ~/.kube/config, the service account, the kubelet's kubeconfig.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>The Node object's name; else NODE_NAME, the kubelet client certificate, --hostname-override, the hostname.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? NodeName { get; set; }

    /// <summary>How long each call to the API server may take (<see cref="ClusterParameters"/>; 0 when not given).</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; }

    /// <summary>-Orphaned judges nothing that changed within this span before the pod list was taken (a pod created since would own it).</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    bool WantsCluster => Cluster || Orphaned || Kubeconfig is not null || Context is not null || NodeName is not null;

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
            _layout = LoadLayout(wantsDockerDataRoot: false);
            _scanner = new PodDirectoryScanner(_layout, this);
            if (WantsCluster) _cluster = LoadCluster(_layout, Kubeconfig, Context, NodeName, TimeoutSec);
        });
    }

    protected override void ProcessRecord()
    {
        AcceptInputRoot();
        RunCore(() =>
        {
            if (Orphaned)
            {
                EmitOrphans();
                return;
            }
            if (_cluster is not null)
            {
                foreach (var record in ClusterPodDirectories.Describe(_cluster, _scanner!, _selection)) Emit(record);
                return;
            }
            if (HasInput)
            {
                foreach (var item in ExpandList(InputObject!))
                {
                    if (ReadPodIdentity(item) is not { } id || !_seen.Add((id.Namespace, id.PodName, id.PodUid))) continue;
                    if (id.Namespace is not null && id.PodName is not null)
                        Emit(_scanner!.Describe(_scanner.Compute(id.Namespace, id.PodName, id.PodUid)));
                    else
                        // Older layouts name only the uid: find that directory by scanning.
                        foreach (var pod in _scanner!.Enumerate(new LogSelection { PodUid = id.PodUid }))
                            Emit(_scanner.Describe(pod));
                }
                return;
            }
            if (NamesOnePodExactly)
            {
                Emit(_scanner!.Describe(_scanner.Compute(Namespace![0], PodName![0], PodUid!.ToLowerInvariant())));
                return;
            }
            foreach (var pod in _scanner!.Enumerate(_selection))
            {
                Cancellation.ThrowIfCancellationRequested();
                Emit(_scanner.Describe(pod));
            }
        });
    }

    protected override void EndProcessing() => RunCore(() => ReportSelectionMisses(_layout, _selection));

    void EmitOrphans()
    {
        var finder = new OrphanFinder(_layout!, _cluster!, GracePeriod, this);
        // Pods the API schedules here are not orphans, but their names are not misses either.
        foreach (var pod in _cluster!.Pods)
            if (_selection.MatchesPod(pod.Namespace, pod.Name, pod.LogDirectoryUid)) Tally.ObservePod(pod.Namespace, pod.Name, pod.LogDirectoryUid);
        foreach (var directory in finder.Directories(_scanner!, _selection, Cancellation)) Emit(directory, orphan: true);
        foreach (var link in finder.LegacyLinks(_selection, Cancellation))
        {
            Tally.ObservePod(link.Namespace, link.PodName, link.PodUid);
            WriteObject(link);
        }
    }

    /// <summary>The type name the orphans' view selects directories by (PodLogs.format.ps1xml), so directories and legacy links make one table.</summary>
    internal const string OrphanedDirectoryTypeName = "PodLogs.Core.PodLogDirectory#Orphaned";

    static PSObject AsOrphan(PodLogDirectory directory)
    {
        var o = new PSObject(directory);
        o.TypeNames.Insert(0, OrphanedDirectoryTypeName);
        return o;
    }

    void Emit(PodLogDirectory record, bool orphan = false)
    {
        if (record.NameTooLong)
            WriteWarning(DisplayText.Escape($"The pod directory name for {record.Namespace}/{record.PodName} is over 255 bytes: kubelet cannot create it and this pod has no logs on the node (kubernetes#80042)."));
        Tally.ObservePod(record.Namespace, record.PodName, record.PodUid);
        WriteObject(orphan ? AsOrphan(record) : record);
    }
}
