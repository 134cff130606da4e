using System.Diagnostics;
using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Cluster;
using PodLogs.Core.Inspection;
using PodLogs.Core.Metrics;

namespace PodLogs.Commands;

/// <summary>
/// The Prometheus text exposition of the node's container logs (issue #14 item 1): from piped records of Get-ContainerLogLink,
/// Measure-PodLog, Get-ContainerLogHandle and Get-PodLogDirectory -Orphaned, or, with no input, from the standard node check
/// (links, usage per container instance, deleted-but-open handles, and orphans when the cluster is asked). Errors the run
/// writes are also podlogs_errors series. -Path writes node-exporter's textfile atomically; else one string to the pipeline.
/// </summary>
[Cmdlet(VerbsData.Export, "PodLogMetric", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(string), typeof(ContainerLogLink), typeof(PodLogUsage), typeof(LogHandle), typeof(PodLogDirectory), typeof(OrphanedLegacyLink))]
public sealed class ExportPodLogMetricCommand : ContainerSelectionCmdlet
{
    readonly NodeMetrics _metrics = new();
    readonly Stopwatch _clock = new();
    string? _path;
    string? _node;

    /// <summary>The .prom file to write (atomically: a temporary file in its directory, then a rename); without it the text goes to the pipeline.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>With -Path, also write the records counted to the pipeline: the piped ones as they came, or those of the node check (an agent logs its findings from them without checking twice).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>A procfs to read open handles from (a local path); without it, the host's /proc is read only when -Root is '/'.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? ProcPath { get; set; }

    /// <summary>Ask the Kubernetes API which pod directories and legacy links are orphans (implied by -Kubeconfig, -Context, -NodeName).</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public SwitchParameter Cluster { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [ValidateNotNullOrEmpty]
    public string? NodeName { get; set; }

    /// <summary>As Get-PodLogDirectory -Orphaned: nothing that changed within this span before the pod list was taken is an orphan.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    bool WantsCluster => Cluster || Kubeconfig is not null || Context is not null || NodeName is not null;

    protected override void BeginProcessing()
    {
        _clock.Start();
        if (OrphanFinder.CheckGracePeriod(GracePeriod) is { } refused) ThrowTerminatingError(ToErrorRecord(refused, GracePeriod));
        if (PassThru && Path is null)
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Metrics.PassThruWithoutPath, FailureCategory.InvalidArgument,
                "-PassThru writes the records counted beside a metrics file: give -Path too. Without -Path the exposition itself is the output.", null), PassThru));
        if (Path is not null)
        {
            _path = GetUnresolvedProviderPathFromPSPath(Path);
            // Refused before any scan: a directory is never replaced by a file.
            if (MetricsFile.Check(_path) is { } isDirectory) ThrowTerminatingError(ToErrorRecord(isDirectory, Path));
            if (!_path.EndsWith(".prom", StringComparison.Ordinal))
                WriteWarning(DisplayText.Escape($"node-exporter's textfile collector reads only files ending in .prom; '{_path}' will not be collected."));
        }
        base.BeginProcessing();
    }

    // Piped records are data, not a selection: the node is not inspected for them.
    protected override void ProcessRecord()
    {
        if (!HasInput) return;
        foreach (var item in ExpandList(InputObject!))
        {
            AcceptNode(new PSObjectFields(item));
            var added = item.BaseObject switch
            {
                ContainerLogLink link => Added(() => _metrics.Add(link)),
                PodLogUsage usage => _metrics.Add(usage),
                LogHandle handle => Added(() => _metrics.Add(handle)),
                PodLogDirectory directory => _metrics.Add(directory),
                OrphanedLegacyLink link => Added(() => _metrics.Add(link)),
                _ => _metrics.Add(new PSObjectFields(item)),
            };
            if (!added)
                WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Metrics.MetricInputNotRecognized, FailureCategory.InvalidArgument,
                    "The input is not a record Export-PodLogMetric counts: pipe records of Get-ContainerLogLink, Measure-PodLog (by Instance or Container), Get-ContainerLogHandle or Get-PodLogDirectory -Orphaned.", null), item));
            else PassOn(item);
        }
    }

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            if (!HasInput)
            {
                RunNodeCheck();
                ReportSelectionMisses();
            }
            foreach (var error in ErrorsWritten) _metrics.AddError(error.ErrorId);
            var text = PrometheusText.Write(_metrics.Build(DateTimeOffset.UtcNow, _clock.Elapsed));
            if (_path is null) WriteObject(text);
            else MetricsFile.Write(_path, text);
        });

    /// <summary>
    /// The exposition has no node label (the scrape adds it), so it describes one node: records of another node (by the
    /// PSComputerName remoting adds, else their NodeName) stop the command, as records of two -Root do elsewhere.
    /// </summary>
    void AcceptNode(PSObjectFields record)
    {
        if ((record.Text("PSComputerName") ?? record.Text("NodeName")) is not { Length: > 0 } node) return;
        _node ??= node;
        if (!string.Equals(node, _node, StringComparison.OrdinalIgnoreCase))
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Metrics.MetricInputFromManyNodes, FailureCategory.InvalidArgument,
                $"The input records come from more than one node ('{_node}', then '{node}'), and one exposition describes one node (the scrape adds its name). Export one file per node, for example: $records | Group-Object PSComputerName | ForEach-Object {{ $_.Group | Export-PodLogMetric -Path \"$($_.Name).prom\" }}.", null), node));
    }

    static bool Added(Action add)
    {
        add();
        return true;
    }

    void PassOn(object record)
    {
        if (PassThru) WriteObject(record);
    }

    /// <summary>What an agent checks every cycle: Get-ContainerLogLink's entries, Measure-PodLog's instances and Get-ContainerLogHandle's deleted files; orphans when the API is asked.</summary>
    void RunNodeCheck()
    {
        var links = InspectSelection().ToList();
        foreach (var link in links) Count(_metrics.Add, link);
        var handles = ScanLogHandles(Inspector.Layout, ProcPath, "podlogs_deleted_open_bytes is not measured");
        foreach (var usage in NewUsageMeasurer().Measure(links, handles)) Count(u => _metrics.Add(u), usage);
        foreach (var handle in handles ?? []) Count(_metrics.Add, handle);
        if (WantsCluster) AddOrphans();
    }

    void Count<T>(Action<T> add, T record) where T : notnull
    {
        add(record);
        PassOn(record);
    }

    void AddOrphans()
    {
        var layout = Inspector.Layout;
        try
        {
            var finder = new OrphanFinder(layout, LoadCluster(layout, Kubeconfig, Context, NodeName, TimeoutSec), GracePeriod, this);
            _metrics.OrphansMeasured();
            foreach (var directory in finder.Directories(new PodDirectoryScanner(layout, this), Selection, Cancellation)) Count(d => _metrics.Add(d), directory);
            foreach (var link in finder.LegacyLinks(Selection, Cancellation)) Count(_metrics.Add, link);
        }
        catch (PodLogsException ex)
        {
            // The API is down or refuses: the node's own figures are still worth writing, with the error among them.
            WriteError(ToErrorRecord(ex.Failure));
        }
    }
}
