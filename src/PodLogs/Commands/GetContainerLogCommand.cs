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
/// order. Links are resolved under -Root and must end inside the node's log and runtime roots.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(ContainerLogLine), typeof(string))]
public sealed class GetContainerLogCommand : ContainerSelectionCmdlet
{
    const string ByLiteralPathSet = "ByLiteralPath";

    readonly List<ContainerLogLink> _byContainer = [];
    readonly List<ContainerLogLink> _byEntry = [];
    readonly List<string> _literal = [];
    readonly Dictionary<(string?, string?, string), List<ContainerLogLink>> _pods = [];
    DateTimeOffset? _since, _until;
    Regex? _match;

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
    [ValidateRange(16, int.MaxValue)]
    public int MaxLineBytes { get; set; } = LogReadOptions.DefaultMaxLineBytes;

    [Parameter]
    public SwitchParameter AsString { get; set; }

    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    public SwitchParameter Previous { get; set; }

    /// <summary>Read a chain that ends outside the node's log and runtime roots.</summary>
    [Parameter(ParameterSetName = ByNameSet)]
    [Parameter(ParameterSetName = ByInputSet)]
    public SwitchParameter Force { get; set; }

    bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    protected override void BeginProcessing()
    {
        var now = DateTimeOffset.Now;
        _since = TimeBound(nameof(Since), Since, now);
        _until = TimeBound(nameof(Until), Until, now);
        if (Match is not null)
        {
            try { _match = new Regex(Match, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant); }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ToErrorRecord(new PodLogsFailure("InvalidMatchPattern", FailureCategory.InvalidArgument,
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
            ThrowTerminatingError(ToErrorRecord(new PodLogsFailure("InvalidTimeBound", FailureCategory.InvalidArgument,
                $"-{name}: {error}.", null), value));
        return instant;
    }

    protected override void ProcessRecord() =>
        RunCore(() =>
        {
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
                if (!FromThisRoot(item) || ReadPodIdentity(item) is not { } id) continue;
                var entries = PodEntries(id);
                if (item.BaseObject is ContainerLogLink link)
                {
                    // The piped record only selects: the entry is inspected again now.
                    var fresh = entries.FirstOrDefault(e => e.NodePath == link.NodePath);
                    if (fresh is null)
                        WriteError(ToErrorRecord(new PodLogsFailure("ContainerLogNotFound", FailureCategory.ObjectNotFound,
                            $"The entry '{link.NodePath}' is no longer on the node (or does not match -ContainerName/-ContainerId).", link.FullName)));
                    else _byEntry.Add(fresh);
                }
                else _byContainer.AddRange(entries.Where(e => e.Kind == LogEntryKind.PodLog));
            }
        });

    List<ContainerLogLink> PodEntries(PodIdentity id)
    {
        var key = (id.Namespace, id.PodName, id.PodUid);
        if (!_pods.TryGetValue(key, out var list)) _pods[key] = list = InspectPodOnce(id).ToList();
        return list;
    }

    protected override void EndProcessing() =>
        RunCore(() =>
        {
            var options = new LogReadOptions
            {
                MaxLineBytes = MaxLineBytes,
                NoMerge = NoMerge,
                Streams = !Bound(nameof(Stream)) ? LogStreams.All : Stream == LogStream.Stdout ? LogStreams.Stdout : LogStreams.Stderr,
                Since = _since,
                Until = _until,
                Match = _match,
            };
            var sources = new List<IEnumerable<ContainerLogLine>>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (segments, source) in Targets())
                if (segments.Count > 0 && seen.Add(segments[^1].Path))
                    sources.Add(Read(segments, source, options));
            foreach (var line in LogMerge.ByTime(sources, Cancellation))
            {
                if (AsString) WriteObject(line.Message);
                else WriteObject(line);
            }
        });

    IEnumerable<ContainerLogLine> Read(IReadOnlyList<LogSegment> segments, ContainerLogSource source, LogReadOptions options)
    {
        var lines = Bound(nameof(Tail)) ? LogTail.Read(segments, Tail, options, this) : ContainerLogReader.ReadAll(segments, options, this);
        long budget = Bound(nameof(LimitBytes)) ? LimitBytes : long.MaxValue;
        foreach (var line in lines)
        {
            // -LimitBytes counts what kubectl prints: the message and its newline; a line that would go past it is not returned.
            budget -= Encoding.UTF8.GetByteCount(line.Message) + 1;
            if (budget < 0) yield break;
            yield return new ContainerLogLine(line, source);
        }
    }

    /// <summary>The files to read, one stream per selected container instance.</summary>
    IEnumerable<(IReadOnlyList<LogSegment>, ContainerLogSource)> Targets()
    {
        foreach (var path in _literal)
            if (Literal(path) is { } t) yield return t;

        foreach (var entry in _byEntry)
            if (Resolve(entry) is { } t) yield return t;

        var groups = _byContainer.GroupBy(e => (e.Namespace, e.PodName, e.PodUid, e.ContainerName)).ToList();
        if (groups.Count == 0 && _byEntry.Count == 0 && _literal.Count == 0 && !HasInput)
            WriteError(ToErrorRecord(new PodLogsFailure("ContainerLogNotFound", FailureCategory.ObjectNotFound,
                "No container log on the node matches the selection.", null), SelectionText()));
        foreach (var group in groups)
        {
            var instances = group.Where(e => e.RestartCount is not null).OrderBy(e => e.RestartCount).ToList();
            if (instances.Count == 0) continue;
            var chosen = Previous ? PreviousOf(instances) : instances[^1];
            if (chosen is null)
            {
                var current = instances[^1];
                WriteError(ToErrorRecord(new PodLogsFailure("ContainerLogNotFound", FailureCategory.ObjectNotFound,
                    $"Container '{current.ContainerName}' of pod {current.Namespace}/{current.PodName} has no previous instance on the node (the current one is restart {current.RestartCount}).", current.FullName)));
                continue;
            }
            if (Resolve(chosen) is { } t) yield return t;
        }
    }

    /// <summary>By container id when the runtime knows the instances, else the newest instance below the current one.</summary>
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
    (IReadOnlyList<LogSegment>, ContainerLogSource)? Resolve(ContainerLogLink entry)
    {
        var layout = Inspector.Layout;
        var source = new ContainerLogSource(entry.Namespace, entry.PodName, entry.PodUid, entry.ContainerName, entry.RestartCount, entry.ContainerId);
        var res = layout.Root.Resolve(entry.NodePath);
        if (entry.Status is LinkStatus.Missing or LinkStatus.Dangling or LinkStatus.Stale
            && entry.ContainerId is { } id && Inspector.Runtime?.FindById(id) is { DockerJsonLogPath: { } json }
            && layout.Root.Resolve(json) is { IsResolved: true } own && (!res.IsResolved || own.NodePath != res.NodePath))
        {
            // kubectl asks the runtime for the container's log by id: do the same when the runtime state names the file.
            WriteWarning($"'{entry.NodePath}' is {entry.Status}: {entry.Reason}. Reading the log {Inspector.Runtime.Source} names for container {id[..Math.Min(12, id.Length)]} instead: {json}.");
            res = own;
            entry = new ContainerLogLink { FullName = entry.FullName, NodePath = entry.NodePath, Status = LinkStatus.Healthy };
        }
        if (!res.IsResolved || res.Status.Kind == Core.Native.FileKind.Directory)
        {
            var why = entry.Status is LinkStatus.Healthy ? $"{res.NodePath}: {res.Outcome}" : $"{entry.Status}: {entry.Reason}";
            WriteError(ToErrorRecord(new PodLogsFailure("ContainerLogNotFound", FailureCategory.ObjectNotFound,
                $"No log file at '{entry.NodePath}' ({why}).", entry.FullName)));
            return null;
        }
        if (!layout.IsInsideRoots(res.NodePath) && !Force)
        {
            WriteError(ToErrorRecord(new PodLogsFailure("LogTargetOutsideRoots", FailureCategory.SecurityError,
                $"'{entry.NodePath}' resolves to {res.NodePath}, outside the node's log and runtime roots; it is not read. Pass -Force to read it anyway.", entry.FullName)));
            return null;
        }
        if (entry.Status is LinkStatus.Stale or LinkStatus.Orphaned or LinkStatus.Unsafe)
            WriteWarning($"'{entry.NodePath}' is {entry.Status}: {entry.Reason}. Reading what it points at, {res.NodePath}.");
        var segments = LogSegments.Discover(layout.Root.ToLocal(res.NodePath));
        if (segments.Count == 0)
        {
            WriteError(ToErrorRecord(new PodLogsFailure("ContainerLogNotFound", FailureCategory.ObjectNotFound,
                $"No log file at '{res.NodePath}' or beside it.", entry.FullName)));
            return null;
        }
        return (segments, source);
    }

    (IReadOnlyList<LogSegment>, ContainerLogSource)? Literal(string path)
    {
        var info = new FileInfo(path);
        var file = path;
        if (info.LinkTarget is not null) file = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        if (!File.Exists(file))
        {
            WriteError(ToErrorRecord(new PodLogsFailure("ContainerLogNotFound", FailureCategory.ObjectNotFound,
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
        return (LogSegments.Discover(file), new ContainerLogSource(ns, pod, uid, container, restart, null));
    }

    string SelectionText() =>
        $"namespace {Join(Namespace)}, pod {Join(PodName)}{(PodUid is null ? "" : $" ({PodUid})")}, container {Join(ContainerName)}{(ContainerId is null ? "" : $" ({ContainerId})")}";

    static string Join(string[]? patterns) => patterns is null ? "*" : string.Join(",", patterns);
}
