using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Commands;

/// <summary>
/// The selection vocabulary shared by the cmdlets that work on pods: -Namespace, -PodName and
/// -PodUid by name (wildcards on names), or any pod-shaped object from the pipeline.
/// </summary>
public abstract class PodSelectionCmdlet : PodLogsCmdlet
{
    protected const string ByNameSet = "ByName";
    protected const string ByInputSet = "ByInputObject";

    /// <summary>
    /// The node's '/'. From the pipeline (no -Root given) each record's Root binds by property name, so a record
    /// read under a mounted node is looked for there again.
    /// </summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public override string Root { get => base.Root; set => base.Root = value; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Alias("Ns", "n")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeletName("Namespace", "namespace")]
    public string[]? Namespace { get; set; }

    [Parameter(ParameterSetName = ByNameSet, Position = 0)]
    [Alias("Name", "Pod")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PodNameCompleter))]
    [ValidateNotNullOrEmpty]
    [ValidateKubeletName("PodName", "pod name")]
    public string[]? PodName { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Alias("Uid")]
    [ValidateNotNullOrEmpty]
    public string? PodUid { get; set; }

    /// <summary>Pods from the pipeline: PodLogs records, <c>kubectl get pods -o json | ConvertFrom-Json</c> items, V1Pod objects.</summary>
    [Parameter(ParameterSetName = ByInputSet, Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public PSObject? InputObject { get; set; }

    protected bool HasInput => ParameterSetName == ByInputSet;

    /// <summary>Which of the values typed into the selection parameters matched something (made by <see cref="BuildSelection"/>).</summary>
    protected SelectionTally Tally { get; private set; } = SelectionTally.None;

    /// <summary>The name-based selection, validated; a uid that is neither a UUID nor 32 hex stops the command.</summary>
    protected LogSelection BuildSelection(string[]? containerName = null, string? containerId = null)
    {
        if (PodUid is not null && !KubernetesNames.IsPodUid(PodUid.ToLowerInvariant()))
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.InvalidPodUid, FailureCategory.InvalidArgument,
                $"-PodUid '{PodUid}' is neither a UUID nor a static pod's 32-hex hash.", null), PodUid));
        string? id = null;
        if (containerId is not null)
        {
            id = LogSelection.NormalizeContainerId(containerId);
            if (id is null)
                ThrowTerminatingError(ToErrorRecord(InvalidContainerId($"-ContainerId '{containerId}'"), containerId));
        }
        // The values the user typed, each compiled once: the selection matches with them, the tally keeps their score.
        var namespaces = Values(SelectionParameter.Namespace, Namespace);
        var podNames = Values(SelectionParameter.PodName, PodName);
        var containerNames = Values(SelectionParameter.ContainerName, containerName);
        Tally = new SelectionTally([
            .. namespaces, .. podNames,
            .. PodUid is null ? [] : new[] { SelectionValue.Uid(PodUid.ToLowerInvariant()) },
            .. containerNames,
            .. id is null ? [] : new[] { SelectionValue.ContainerIdPrefix(containerId!, id) },
        ]);
        return new LogSelection
        {
            Namespace = Matcher(namespaces),
            PodName = Matcher(podNames),
            PodUid = PodUid?.ToLowerInvariant(),
            ContainerName = Matcher(containerNames),
            ContainerIdPrefix = id,
        };
    }

    /// <summary>True when -Namespace, -PodName and -PodUid each name exactly one pod without wildcards.</summary>
    protected bool NamesOnePodExactly =>
        PodUid is not null && Namespace is [var ns] && PodName is [var pod]
        && !WildcardPattern.ContainsWildcardCharacters(ns) && !WildcardPattern.ContainsWildcardCharacters(pod);

    /// <summary>A value given as a container id that is none, worded the same wherever one is taken.</summary>
    protected static PodLogsFailure InvalidContainerId(string given, string consequence = "") =>
        new(ErrorIds.Selection.InvalidContainerId, FailureCategory.InvalidArgument,
            $"{given} is not a container id (1 to 64 hex characters, optionally prefixed docker://, containerd:// or cri-o://){consequence}.", null);

    static SelectionValue[] Values(SelectionParameter parameter, string[]? values) =>
        (values ?? []).Select(v =>
        {
            var pattern = WildcardPattern.Get(v, WildcardOptions.IgnoreCase);
            return new SelectionValue(parameter, v, WildcardPattern.ContainsWildcardCharacters(v), pattern.IsMatch);
        }).ToArray();

    /// <summary>
    /// At the end of the command: one <see cref="ErrorIds.Selection.SelectionNotFound"/> error per value without wildcards that
    /// matched nothing. A pod-level value the selected entries did not account for (its pod has none of the selected
    /// containers) is looked for among the pods on disk first, so only the value that is really absent is named.
    /// </summary>
    protected void ReportSelectionMisses(NodeLayout? layout, LogSelection selection)
    {
        if (Tally.HasUnmatchedPodValues && layout is not null)
        {
            var scanner = new PodDirectoryScanner(layout, new CollectingReporter());
            foreach (var pod in scanner.Enumerate(selection with { ContainerName = null, ContainerIdPrefix = null }))
                Tally.ObservePod(pod.Namespace, pod.PodName, pod.PodUid);
            if (Tally.HasUnmatchedPodValues)
                foreach (var pod in scanner.Enumerate(LogSelection.All))
                    Tally.ObservePodOnNode(pod.Namespace, pod.PodName, pod.PodUid);
        }
        foreach (var failure in Tally.Failures()) WriteError(ToErrorRecord(failure));
    }

    static Func<string, bool>? Matcher(SelectionValue[] values) =>
        values.Length == 0 ? null : value => values.Any(v => v.Matches(value));

    /// <summary>
    /// The objects an input stands for: the items of a <c>kubectl get pods -o json</c> list piped whole
    /// (kind PodList or List), else the input itself.
    /// </summary>
    protected static IEnumerable<PSObject> ExpandList(PSObject input)
    {
        if (input.Properties["kind"]?.Value is string kind && kind.EndsWith("List", StringComparison.Ordinal)
            && input.Properties["items"]?.Value is System.Collections.IEnumerable items and not string)
            return items.Cast<object>().Select(PSObject.AsPSObject);
        return [input];
    }

    /// <summary>The pod identity an input object carries, validated; null (with an error written) when it has none.</summary>
    protected PodIdentity? ReadPodIdentity(PSObject input)
    {
        var identity = PodIdentity.From(input);
        if (identity is null)
        {
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.InputObjectNotAPod, FailureCategory.InvalidArgument,
                "The input object carries no pod identity: expected a PodLogs record, a 'kubectl get pods -o json' item (metadata.namespace, metadata.name, metadata.uid) or a V1Pod.", null), input));
            return null;
        }
        if (!identity.IsValid)
        {
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.InvalidPodIdentity, FailureCategory.InvalidArgument,
                $"The input object names namespace '{identity.Namespace}', pod '{identity.PodName}', uid '{identity.PodUid}': not valid Kubernetes names and uid, so no path is built from them.", null), input));
            return null;
        }
        return identity;
    }

    /// <summary>
    /// What the Kubernetes API says is on this node (issue #4), read once: settings from -Kubeconfig (a
    /// PowerShell path), -Context, KUBECONFIG, ~/.kube/config, the service account or the kubelet's
    /// kubeconfig; the node from -NodeName or what this node says it is, checked against its machine-id. Each
    /// request may take -TimeoutSec (0: not given, the API default of <see cref="ClusterParameters"/>).
    /// </summary>
    protected ClusterSnapshot LoadCluster(NodeLayout layout, string? kubeconfig, string? context, string? nodeName, int timeoutSec)
    {
        var request = new ClusterRequest(kubeconfig is null ? null : GetUnresolvedProviderPathFromPSPath(kubeconfig), context, nodeName, ClusterParameters.ApiTimeout(timeoutSec));
        return ClusterSnapshot.Load(DependencyLoadContext.ClusterFactory, request, layout.Root, this, Cancellation);
    }

    /// <summary>
    /// A PodLogs record made under another -Root names another node's files: refused, so a record read
    /// from a mounted disk image never selects the host's entries of the same name.
    /// </summary>
    protected bool FromRoot(PSObject item, string localRoot)
    {
        if (item.BaseObject is not (ContainerLogLink or PodLogDirectory or OrphanedLegacyLink) || item.Properties["Root"]?.Value is not string root
            || root == localRoot)
            return true;
        WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.InputFromAnotherRoot, FailureCategory.InvalidArgument,
            $"The input record was made under -Root '{root}', but this command works under -Root '{localRoot}'. Pass -Root '{root}'.", null), item));
        return false;
    }
}
