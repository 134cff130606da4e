using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Logs;
using PodLogs.Core.Reading;
using PodLogs.Core.Runtime;

namespace PodLogs.Commands;

/// <summary>
/// Reads container logs from the node's files: the selected instance's live file and its rotated
/// siblings, oldest first, filtered by time, stream and pattern, several containers merged in time
/// order; with -Follow, then what they write as it comes. Links are resolved under -Root and must end
/// inside the node's log and runtime roots.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(ContainerLogLine), typeof(string))]
public sealed class GetContainerLogCommand : LogReadingCmdlet
{
    const string ByLiteralPathSet = "ByLiteralPath";

    LogReadPlanner? _planner;

    /// <summary>The node's '/' (also in the -LiteralPath set, where it is not used); from the pipeline, each record's Root.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = ByLiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public override string Root { get => base.Root; set => base.Root = value; }

    /// <summary>A log file anywhere, read as it is (a file named explicitly is trusted; no -Root resolution).</summary>
    [Parameter(ParameterSetName = ByLiteralPathSet, Mandatory = true)]
    [Alias("LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>Read a chain that ends outside the node's log and runtime roots.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    public SwitchParameter Force { get; set; }

    protected override bool UsesNode => ParameterSetName != ByLiteralPathSet;

    /// <summary>What to read is decided in Core (<see cref="LogReadPlanner"/>), made when the command is set up under its root.</summary>
    LogReadPlanner Planner => _planner ??= new(Inspector.Layout, Inspector.Runtime, this) { Previous = Previous, Force = Force, Prefix = Prefix };

    protected override void ProcessRecord() =>
        RunCore(() =>
        {
            AcceptInputRoot();
            if (ParameterSetName == ByLiteralPathSet)
            {
                foreach (var path in LiteralPath!) Planner.AddLiteralPath(GetUnresolvedProviderPathFromPSPath(path));
                return;
            }
            if (!HasInput)
            {
                Planner.AddContainers(InspectSelection());
                return;
            }
            foreach (var item in ExpandList(InputObject!))
            {
                if (!FromThisRoot(item) || ReadPodIdentity(item) is not { } id || InputInstance(item) is not { } instance) continue;
                // A piped entry is inspected again now; a copy of a record (Select-Object, Import-Clixml, ConvertFrom-Json, a job
                // or a remote session) or a log line names exactly its instance, never the newest of its container.
                var failures = Planner.AddInput(PodEntries(id), item.BaseObject as ContainerLogLink, instance.Narrows ? instance.Matches : null,
                    id.Namespace, id.PodName, instance.Describe);
                foreach (var failure in failures) WriteError(ToErrorRecord(failure, failure.TargetPath is null ? item : null));
            }
        });

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            if (UsesNode) ReportSelectionMisses();
            // Values that matched nothing were named already (SelectionNotFound), and a wildcard that matches nothing is an
            // answer; what is left is a selection that matched entries of which none is a log to read.
            if ((_planner?.IsEmpty ?? true) && !HasInput && !Tally.HasUnmatched && !Tally.Values.Any(v => v.IsPattern))
                WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                    "No container log on the node matches the selection.", null), SelectionText()));
            var plan = _planner?.Plan() ?? new LogReadPlan([], []);
            foreach (var failure in plan.Failures) WriteError(ToErrorRecord(failure));
            var options = ReadOptions();
            long? limit = Bound(nameof(LimitBytes)) ? LimitBytes : null;
            if (!Follow)
            {
                Write(LogReadExecutor.Read(plan.Targets, t => Open(t, options, follow: false, null), limit, Cancellation));
                return;
            }
            using var running = Inspector.Runtime is { } snapshot && RuntimeRereader is { } reread ? new RunningContainers(snapshot, reread) : null;
            Write(LogReadExecutor.Follow(plan.Targets, t =>
            {
                var stillRunning = UntilPassed(running?.StillRunning(t.Origin.ContainerId), options);
                if (stillRunning is null) WriteVerbose($"Following '{t.LiveFile}' until stopped: no runtime state says whether its container is running.");
                return Open(t, options, follow: true, stillRunning);
            }, limit, this, Cancellation));
        });

    /// <summary>
    /// The one place the log reader and the follower are called: what a target holds now (with -Tail, -Since, …) and,
    /// followed, what it writes after (one follower thread per container; lines are written on the pipeline thread).
    /// </summary>
    ReadableLog Open(LogReadTarget t, LogReadOptions options, bool follow, Func<bool>? stillRunning)
    {
        IEnumerable<LogLine> Read(IReadOnlyList<LogSegment> segments) =>
            Bound(nameof(Tail)) ? LogTail.Read(segments, Tail, options, this, Cancellation) : ContainerLogReader.ReadAll(segments, options, this, Cancellation);
        if (!follow) return new ReadableLog(() => Read(t.Segments));
        var follower = LogFollower.Begin(t.LiveFile, options, this, stillRunning, door: t.Door);
        return new ReadableLog(() => Read(follower.History), follower.Lines, follower);
    }

    /// <summary>With -Until, following also ends once no line can be stamped before it any more.</summary>
    Func<bool>? UntilPassed(Func<bool>? stillRunning, LogReadOptions options) => LogTimeBound.FollowWhile(UntilInstant, options.TimestampSlack, stillRunning);

    void Write(IEnumerable<ContainerLogLine> lines)
    {
        foreach (var line in lines) WriteObject(!AsString ? line : Prefix ? line.Prefix + " " + line.Message : line.Message);
    }

}
