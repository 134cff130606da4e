using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;
using PodLogs.Core;
using PodLogs.Core.Logs;
using PodLogs.Core.Paths;
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
public sealed class GetContainerLogCommand : ContainerSelectionCmdlet
{
    const string ByLiteralPathSet = "ByLiteralPath";

    readonly List<ContainerLogLink> _byContainer = [];
    readonly List<ContainerLogLink> _byEntry = [];
    readonly List<string> _literal = [];
    DateTimeOffset? _since, _until;
    Regex? _match;

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

    /// <summary>A TimeSpan or Go duration (5m, 1h30m) back from now, or an instant.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Since { get; set; }

    [Parameter]
    [ValidateNotNull]
    public object? Until { get; set; }

    [Parameter]
    public LogStream Stream { get; set; }

    /// <summary>A regular expression the message must match (case-insensitive, as -match).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Match { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Tail { get; set; }

    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long LimitBytes { get; set; }

    [Parameter]
    public SwitchParameter NoMerge { get; set; }

    [Parameter]
    [ValidateRange(16, LogReadOptions.MaxLineBytesLimit)]
    public int MaxLineBytes { get; set; } = LogReadOptions.DefaultMaxLineBytes;

    [Parameter]
    public SwitchParameter AsString { get; set; }

    /// <summary>Start every line with <c>[pod/container]</c>, also in -AsString output and when one container is read (kubectl logs --prefix).</summary>
    [Parameter]
    public SwitchParameter Prefix { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    [Alias("p")]
    public SwitchParameter Previous { get; set; }

    /// <summary>Keep reading as the logs grow, until the containers stop (when the runtime state says) or Ctrl+C.</summary>
    [Parameter]
    [Alias("f")]
    public SwitchParameter Follow { get; set; }

    /// <summary>Read a chain that ends outside the node's log and runtime roots.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    public SwitchParameter Force { get; set; }

    bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    protected override bool UsesNode => ParameterSetName != ByLiteralPathSet;

    protected override void BeginProcessing()
    {
        if (Follow && Previous)
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.FollowWithPrevious, FailureCategory.InvalidArgument,
                "-Follow cannot be combined with -Previous: a previous instance has stopped, so its log no longer grows (kubectl logs refuses -f with -p too).", null), "Previous"));
        if (Previous && Bound(nameof(RestartCount)))
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.RestartCountWithPrevious, FailureCategory.InvalidArgument,
                "-RestartCount names the instance to read and -Previous asks for the one before the current one: give one of them.", null), "Previous"));
        var now = DateTimeOffset.Now;
        _since = TimeBound(nameof(Since), Since, now);
        _until = TimeBound(nameof(Until), Until, now);
        if (Match is not null)
        {
            try { _match = LogMatch.Create(Match); }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.InvalidMatchPattern, FailureCategory.InvalidArgument,
                    $"-Match '{Match}' is not a valid regular expression: {ex.Message}", null), Match));
            }
        }
        base.BeginProcessing();
    }

    DateTimeOffset? TimeBound(string name, object? value, DateTimeOffset now)
    {
        if (value is null) return null;
        var raw = value is PSObject pso ? pso.BaseObject : value;
        var instant = LogTimeBound.Resolve(raw, now, out var error);
        if (instant is null)
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.InvalidTimeBound, FailureCategory.InvalidArgument,
                $"-{name}: {error}.", null), value));
        return instant;
    }

    protected override void ProcessRecord() =>
        RunCore(() =>
        {
            AcceptInputRoot();
            if (ParameterSetName == ByLiteralPathSet)
            {
                foreach (var path in LiteralPath!) _literal.Add(GetUnresolvedProviderPathFromPSPath(path));
                return;
            }
            if (!HasInput)
            {
                _byContainer.AddRange(InspectSelection().Where(e => e.Kind == LogEntryKind.PodLog));
                return;
            }
            foreach (var item in ExpandList(InputObject!))
            {
                if (!FromThisRoot(item) || ReadPodIdentity(item) is not { } id || InputInstance(item) is not { } instance) continue;
                var entries = PodEntries(id);
                List<ContainerLogLink> named;
                if (item.BaseObject is ContainerLogLink link)
                {
                    // The piped record only selects: the entry is inspected again now.
                    var fresh = entries.FirstOrDefault(e => e.NodePath == link.NodePath);
                    if (fresh is null)
                        WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                            $"The entry '{link.NodePath}' is no longer on the node (or does not match -ContainerName/-ContainerId).", link.FullName)));
                    named = fresh is null ? [] : [fresh];
                }
                else if (instance.Narrows)
                {
                    // A copy of a record (Select-Object, Import-Clixml, ConvertFrom-Json, a job or a remote session) or a
                    // log line: exactly the instance it names, never the newest of its container.
                    named = entries.Where(e => e.Kind == LogEntryKind.PodLog && instance.Matches(e)).ToList();
                    if (named.Count == 0)
                        WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                            $"Pod {id.Namespace}/{id.PodName} has no log of the instance the input names ({Describe(instance)}) on the node (or it does not match -ContainerName/-ContainerId).", null), item));
                }
                else
                {
                    _byContainer.AddRange(entries.Where(e => e.Kind == LogEntryKind.PodLog));
                    continue;
                }
                if (!Previous)
                {
                    _byEntry.AddRange(named);
                    continue;
                }
                // -Previous with a record that names an instance: the instance before that one, as kubectl logs --previous
                // is to the current one (never the named instance itself).
                foreach (var n in named)
                {
                    var older = entries.Where(e => e.Kind == LogEntryKind.PodLog && e.ContainerName == n.ContainerName && e.RestartCount < n.RestartCount)
                        .OrderBy(e => e.RestartCount).Append(n).ToList();
                    if (PreviousOf(older) is { } previous) _byEntry.Add(previous);
                    else
                        WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                            $"Container '{n.ContainerName}' of pod {n.Namespace}/{n.PodName} has no instance on the node before the one the input names (restart {n.RestartCount}).", n.FullName)));
                }
            }
        });

    static string Describe(InstanceFilter instance) => string.Join(", ", new[]
    {
        instance.ContainerName is { } name ? $"container {name}" : null,
        instance.RestartCount is { } n ? $"restart {n}" : null,
        instance.ContainerIdPrefix is { } id ? $"id {id[..Math.Min(12, id.Length)]}" : null,
    }.Where(part => part is not null));

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            if (UsesNode) ReportSelectionMisses();
            var options = new LogReadOptions
            {
                MaxLineBytes = MaxLineBytes,
                NoMerge = NoMerge,
                Streams = !Bound(nameof(Stream)) ? LogStreams.All : Stream == LogStream.Stdout ? LogStreams.Stdout : LogStreams.Stderr,
                Since = _since,
                Until = _until,
                Match = _match,
            };
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var targets = Targets().Where(t => seen.Add(t.LiveFile)).ToList();
            // kubectl logs --prefix: lines of several containers say whose they are.
            if (Prefix || targets.Count > 1)
                targets = targets.Select(t => t with { Source = t.Source with { Prefix = PrefixOf(t) } }).ToList();
            if (Follow) FollowTargets(targets, options);
            else Write(LogMerge.ByTime(targets.Select(t => Read(t.Segments, t.Source, options, NewBudget())).ToList(), Cancellation));
        });

    /// <summary>
    /// What each container holds now (with -Tail, -Since, …), merged by time, then what they write, as it
    /// comes: one follower thread per container, lines written here on the pipeline thread.
    /// </summary>
    void FollowTargets(List<Target> targets, LogReadOptions options)
    {
        using var running = Inspector.Runtime is { } snapshot && RuntimeRereader is { } reread ? new RunningContainers(snapshot, reread) : null;
        var follows = new List<(LogFollow Follow, ContainerLogSource Source, ByteBudget Budget)>();
        try
        {
            foreach (var t in targets)
            {
                var stillRunning = UntilPassed(running?.StillRunning(t.Source.ContainerId), options);
                if (stillRunning is null) WriteVerbose($"Following '{t.LiveFile}' until stopped: no runtime state says whether its container is running.");
                follows.Add((LogFollower.Begin(t.LiveFile, options, this, stillRunning, door: t.Door), t.Source, NewBudget()));
            }
            Write(LogMerge.ByTime(follows.Select(f => Read(f.Follow.History, f.Source, options, f.Budget)).ToList(), Cancellation));
            Write(LogInterleave.AsTheyCome(follows.Select(f => (Func<IPodLogsReporter, CancellationToken, IEnumerable<ContainerLogLine>>)(
                (reporter, ct) => Limit(f.Follow.Lines(reporter, ct), f.Source, f.Budget))).ToList(), this, Cancellation));
        }
        finally
        {
            foreach (var f in follows) f.Follow.Dispose();
        }
    }

    /// <summary>With -Until, following also ends once no line can be stamped before it any more.</summary>
    Func<bool>? UntilPassed(Func<bool>? stillRunning, LogReadOptions options)
    {
        if (_until is not { } until) return stillRunning;
        // saturating: -Until [datetimeoffset]::MaxValue is a bound that never passes
        var end = until <= DateTimeOffset.MaxValue - options.TimestampSlack ? until + options.TimestampSlack : DateTimeOffset.MaxValue;
        return () => DateTimeOffset.Now <= end && (stillRunning?.Invoke() ?? true);
    }

    void Write(IEnumerable<ContainerLogLine> lines)
    {
        foreach (var line in lines)
        {
            if (!AsString) WriteObject(line);
            else if (Prefix) WriteObject(line.Prefix + " " + line.Message);
            else WriteObject(line.Message);
        }
    }

    /// <summary><c>[pod/container]</c>, or the file's path in brackets for a file that does not name them.</summary>
    static string PrefixOf(Target t) =>
        t.Source is { PodName: { } pod, ContainerName: { } container } ? $"[{pod}/{container}]" : $"[{t.LiveFile}]";

    IEnumerable<ContainerLogLine> Read(IReadOnlyList<LogSegment> segments, ContainerLogSource source, LogReadOptions options, ByteBudget budget) =>
        Limit(Bound(nameof(Tail)) ? LogTail.Read(segments, Tail, options, this, Cancellation) : ContainerLogReader.ReadAll(segments, options, this, Cancellation),
            source, budget);

    static IEnumerable<ContainerLogLine> Limit(IEnumerable<LogLine> lines, ContainerLogSource source, ByteBudget budget)
    {
        if (budget.Spent) yield break;
        foreach (var line in lines)
        {
            if (!budget.Take(line.Message)) yield break;
            yield return new ContainerLogLine(line, source);
        }
    }

    ByteBudget NewBudget() => new(Bound(nameof(LimitBytes)) ? LimitBytes : long.MaxValue);

    /// <summary>-LimitBytes of one container, over what it holds and what it writes while followed.</summary>
    sealed class ByteBudget(long bytes)
    {
        long _left = bytes;

        public bool Spent => _left <= 0;

        /// <summary>Counts what kubectl prints, the message and its newline; false for a line that would go past the limit (it is not returned).</summary>
        public bool Take(string message) => (_left -= Encoding.UTF8.GetByteCount(message) + 1) >= 0;
    }

    sealed record Target(string LiveFile, IReadOnlyList<LogSegment> Segments, ContainerLogSource Source)
    {
        /// <summary>Where the live file is under -Root (null for -LiteralPath, a file on this machine).</summary>
        public LogDoor? Door { get; init; }
    }

    /// <summary>The files to read, one stream per selected container instance.</summary>
    IEnumerable<Target> Targets()
    {
        foreach (var path in _literal)
            if (Literal(path) is { } t) yield return t;

        foreach (var entry in _byEntry)
            if (Resolve(entry) is { } t) yield return t;

        var groups = _byContainer.GroupBy(e => (e.Namespace, e.PodName, e.PodUid, e.ContainerName)).ToList();
        // Values that matched nothing were named already (SelectionNotFound), and a wildcard that matches nothing is an
        // answer; what is left is a selection that matched entries of which none is a log to read.
        if (groups.Count == 0 && _byEntry.Count == 0 && _literal.Count == 0 && !HasInput && !Tally.HasUnmatched && !Tally.Values.Any(v => v.IsPattern))
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                "No container log on the node matches the selection.", null), SelectionText()));
        foreach (var group in groups)
        {
            var instances = group.Where(e => e.RestartCount is not null).OrderBy(e => e.RestartCount).ToList();
            if (instances.Count == 0) continue;
            var chosen = Previous ? PreviousOf(instances) : instances[^1];
            if (chosen is null)
            {
                var current = instances[^1];
                WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                    $"Container '{current.ContainerName}' of pod {current.Namespace}/{current.PodName} has no previous instance on the node (the current one is restart {current.RestartCount}).", current.FullName)));
                continue;
            }
            if (Resolve(chosen) is { } t) yield return t;
        }
    }

    /// <summary>
    /// The instance before the last of <paramref name="instances"/> (the current one, or the one a record names):
    /// by container id when the runtime knows the instances, else the newest instance below it.
    /// </summary>
    ContainerLogLink? PreviousOf(List<ContainerLogLink> instances)
    {
        var current = instances[^1];
        if (Inspector.Runtime is { } runtime && current.ContainerId is { } id
            && current.Namespace is { } ns && current.PodName is { } pod && current.PodUid is { } uid && current.ContainerName is { } name)
        {
            var known = runtime.InstancesOf(ns, pod, uid, name).ToList();
            known.Sort(RuntimeContainer.CompareByStart);
            var i = known.FindIndex(c => c.Id == id);
            if (i > 0)
            {
                var previousId = known[i - 1].Id;
                if (instances.LastOrDefault(e => e.ContainerId == previousId) is { } byId) return byId;
            }
        }
        return instances.LastOrDefault(e => e.RestartCount < current.RestartCount);
    }

    /// <summary>Follows the entry's chain under -Root now (not as the inspection saw it) and refuses an end outside the roots.</summary>
    Target? Resolve(ContainerLogLink entry)
    {
        var layout = Inspector.Layout;
        var source = new ContainerLogSource(entry.Namespace, entry.PodName, entry.PodUid, entry.ContainerName, entry.RestartCount, entry.ContainerId)
        {
            Root = layout.Root.LocalRoot,
            NodeName = layout.Root.NodeName,
        };
        var res = layout.Root.Resolve(entry.NodePath);
        if (entry.Status is LinkStatus.Missing or LinkStatus.Dangling or LinkStatus.Stale
            && entry.ContainerId is { } id && Inspector.Runtime?.FindById(id) is { DockerJsonLogPath: { } json } container
            && layout.Root.Resolve(json) is { IsResolved: true } own && (!res.IsResolved || own.NodePath != res.NodePath))
        {
            // The runtime's LogPath is read only where the repair would link to it: this container's own json log (issue #11).
            if (Core.Repair.LogChainEnd.Check(layout, Inspector.Runtime.Kind, container, json, $"it is not read as the log of {entry.NodePath}") is { } notOwn)
            {
                WriteError(ToErrorRecord(new PodLogsFailure(notOwn.ErrorId, notOwn.Category, notOwn.Message, entry.FullName)));
                return null;
            }
            // kubectl asks the runtime for the container's log by id: do the same when the runtime state names the file.
            WriteWarning(DisplayText.Escape($"'{entry.NodePath}' is {entry.Status}: {entry.Reason}. Reading the log {Inspector.Runtime.Source} names for container {id[..Math.Min(12, id.Length)]} instead: {json}."));
            res = own;
            entry = new ContainerLogLink { FullName = entry.FullName, NodePath = entry.NodePath, Status = LinkStatus.Healthy };
        }
        if (!res.IsResolved || res.Status.Kind == Core.Native.FileKind.Directory)
        {
            var why = entry.Status is LinkStatus.Healthy ? $"{res.NodePath}: {res.Outcome}" : $"{entry.Status}: {entry.Reason}";
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"No log file at '{entry.NodePath}' ({why}).", entry.FullName)));
            return null;
        }
        if (!layout.IsInsideRoots(res.NodePath) && !Force)
        {
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.LogTargetOutsideRoots, FailureCategory.SecurityError,
                $"'{entry.NodePath}' resolves to {res.NodePath}, outside the node's log and runtime roots; it is not read. Pass -Force to read it anyway.", entry.FullName)));
            return null;
        }
        if (entry.Status is LinkStatus.Stale or LinkStatus.Orphaned or LinkStatus.Unsafe)
            WriteWarning(DisplayText.Escape($"'{entry.NodePath}' is {entry.Status}: {entry.Reason}. Reading what it points at, {res.NodePath}."));
        // Where the chain ended under the root: the reader lists its siblings there and opens every file by walking the
        // resolved directory from a descriptor of the root (LogDoor), never through a link swapped in among its parents since.
        var live = layout.Root.LocalPathOf(res);
        var door = LogDoor.Of(layout.Root, res);
        var segments = LogSegments.Discover(live, this, door);
        if (segments.Count == 0)
        {
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"No log file at '{res.NodePath}' or beside it.", entry.FullName)));
            return null;
        }
        return new Target(live, segments, source) { Door = door };
    }

    Target? Literal(string path)
    {
        var info = new FileInfo(path);
        var file = path;
        if (info.LinkTarget is not null) file = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (!File.Exists(file))
        {
            WriteError(ToErrorRecord(new PodLogsFailure(ErrorIds.Logs.ContainerLogNotFound, FailureCategory.ObjectNotFound,
                $"Cannot find the log file '{path}'{(file != path ? $" (it resolves to '{file}')" : "")}.", path)));
            return null;
        }
        // The identity, where the path says it the kubelet way: .../<ns>_<pod>_<uid>/<container>/<N>.log
        string? ns = null, pod = null, uid = null, container = null;
        int? restart = null;
        var containerDir = Path.GetDirectoryName(path);
        if (KubeletPaths.TryParseContainerLogFileName(Path.GetFileName(path), out var logName) && containerDir is not null
            && KubeletPaths.TryParsePodDirectoryName(Path.GetFileName(Path.GetDirectoryName(containerDir) ?? ""), out var podDir))
        {
            (ns, pod, uid, container, restart) = (podDir.Namespace, podDir.PodName, podDir.PodUid, Path.GetFileName(containerDir), logName.RestartCount);
        }
        return new Target(file, LogSegments.Discover(file, this), new ContainerLogSource(ns, pod, uid, container, restart, null));
    }

    string SelectionText() =>
        $"namespace {Join(Namespace)}, pod {Join(PodName)}{(PodUid is null ? "" : $" ({PodUid})")}, container {Join(ContainerName)}{(ContainerId is null ? "" : $" ({ContainerId})")}";

    static string Join(string[]? patterns) => patterns is null ? "*" : string.Join(",", patterns);
}
