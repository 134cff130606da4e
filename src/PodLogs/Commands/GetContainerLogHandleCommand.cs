using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;

namespace PodLogs.Commands;

/// <summary>
/// Which processes hold container log files open, and which of those files are already deleted (issue #13 item 3):
/// one scan of every process's descriptors (<see cref="LogHandleScanner"/>), filtered by the log's identity its path
/// gives. A pod selection value no pod directory on the node has is SelectionNotFound; a pod whose logs nobody holds
/// is an empty answer, as is a -ContainerName nobody's handle names.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLogHandle", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(LogHandle))]
public sealed class GetContainerLogHandleCommand : PodSelectionCmdlet
{
    NodeLayout? _layout;
    LogSelection _selection = LogSelection.All;
    List<LogHandle>? _handles;
    readonly HashSet<string> _podsDone = new(StringComparer.Ordinal);

    [Parameter]
    [Alias("c")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeletName("ContainerName", "container name")]
    public string[]? ContainerName { get; set; }

    /// <summary>The procfs to read: default the host's /proc with -Root '/', else &lt;Root&gt;/proc when that is a procfs.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProcPath { get; set; }

    /// <summary>Only files that have no name left (their blocks are freed when the holder closes them).</summary>
    [Parameter]
    public SwitchParameter Deleted { get; set; }

    protected override void SetUp()
    {
        RunCore(() =>
        {
            _selection = BuildSelection();
            if (ContainerName is { } names)
            {
                // Not in the tally: a container whose logs nobody holds is an answer, not a miss.
                var patterns = names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
                _selection = _selection with { ContainerName = name => patterns.Any(p => p.IsMatch(name)) };
            }
            _layout = LoadLayout();
        });
    }

    protected override void ProcessRecord()
    {
        AcceptInputRoot();
        RunCore(() =>
        {
            if (!HasInput)
            {
                Emit(Handles().Where(h => _selection.MatchesPod(h.Namespace, h.PodName, h.PodUid)));
                return;
            }
            foreach (var item in ExpandList(InputObject!))
            {
                if (ReadPodIdentity(item) is not { } id || !_podsDone.Add(id.PodUid)) continue;
                // A legacy link's name carries no uid: it belongs to the pod by namespace and name.
                Emit(Handles().Where(h => h.PodUid is not null
                    ? h.PodUid == id.PodUid
                    : h.Namespace is not null && h.Namespace == id.Namespace && h.PodName == id.PodName));
            }
        });
    }

    protected override void EndProcessing() => RunCore(() => ReportSelectionMisses(_layout, _selection with { ContainerName = null }));

    /// <summary>The node's handles, scanned once per command, their holders named from the pod directories.</summary>
    List<LogHandle> Handles()
    {
        if (_handles is not null) return _handles;
        var procPath = ProcPath is null ? null : GetUnresolvedProviderPathFromPSPath(ProcPath);
        var handles = LogHandleScanner.Scan(_layout!, procPath, this);
        Cancellation.ThrowIfCancellationRequested();
        var pods = new PodDirectoryScanner(_layout!, new CollectingReporter()).Enumerate(LogSelection.All);
        return _handles = LogHandleScanner.NameHolders(handles, pods);
    }

    void Emit(IEnumerable<LogHandle> handles)
    {
        foreach (var h in handles)
        {
            if (Deleted && !h.Deleted || !_selection.MatchesContainer(h.ContainerName)) continue;
            Tally.Observe(h.Namespace, h.PodName, h.PodUid, h.ContainerName, h.ContainerId);
            WriteObject(h);
        }
    }
}
