using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;

namespace PodLogs.Commands;

/// <summary>
/// The link cmdlets that can also check what the Kubernetes API expects (issue #4 Deliver 5):
/// -Cluster adds the logs <c>kubectl logs</c> and <c>kubectl logs --previous</c> will read and that do
/// not exist, as Missing. When the API cannot be asked, an error says why and the file-based view goes on.
/// </summary>
public abstract class ClusterLinkCmdlet : ContainerSelectionCmdlet
{
    ExpectedLogCheck? _expected;

    /// <summary>Also check, for every pod on this node in the API, that the logs kubectl reads exist.</summary>
    [Parameter]
    public SwitchParameter Cluster { get; set; }

    /// <summary>A kubeconfig file (implies -Cluster); else KUBECONFIG, ~/.kube/config, the service account, the kubelet's kubeconfig.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use (implies -Cluster).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>The Node object's name (implies -Cluster); else NODE_NAME, the kubelet client certificate, --hostname-override, the hostname.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NodeName { get; set; }

    bool WantsCluster => Cluster || Kubeconfig is not null || Context is not null || NodeName is not null;

    protected override void SetUp()
    {
        base.SetUp();
        if (!WantsCluster) return;
        try
        {
            var cluster = LoadCluster(Inspector.Layout, Kubeconfig, Context, NodeName, TimeoutSec);
            _expected = new ExpectedLogCheck(Inspector.Layout, Inspector.Runtime, cluster, Selection, this);
            // A pod the API schedules here exists, even when it has no entry yet: its name is not a miss.
            foreach (var pod in cluster.Pods)
                if (Selection.MatchesPod(pod.Namespace, pod.Name, pod.LogDirectoryUid)) Tally.ObservePod(pod.Namespace, pod.Name, pod.LogDirectoryUid);
        }
        catch (PodLogsException ex)
        {
            WriteError(ToErrorRecord(ex.Failure));
            WriteWarning("The Kubernetes API could not be asked: only the files on the node are checked (no expected-but-missing logs).");
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    /// <summary>The selected entries (from the pipeline or by name), each noted against what the API expects.</summary>
    protected IEnumerable<ContainerLogLink> Inspect()
    {
        AcceptInputRoot();
        var records = HasInput ? InspectInputPod(InputObject!) : InspectSelection();
        return _expected is null ? records : records.Select(_expected.Observe);
    }

    /// <summary>After the last input: the expected logs no entry satisfied (only for the pods inspected, with pipeline input).</summary>
    protected IEnumerable<ContainerLogLink> ExpectedButMissing()
    {
        if (_expected is null) return [];
        IEnumerable<ContainerLogLink> missing = HasInput
            ? _expected.Missing(uid => InspectedPodUids.Contains(uid)).Where(SelectedByInput)
            : RestartCount is null ? _expected.Missing() : _expected.Missing().Where(new InstanceFilter(null, RestartCount, null).Matches);
        return missing.Select(r =>
        {
            Tally.Observe(r);
            return r;
        });
    }
}
