using System.Management.Automation;
using System.Text.RegularExpressions;
using PodLogs.Core;
using PodLogs.Core.Logs;
using PodLogs.Core.Reading;

namespace PodLogs.Commands;

/// <summary>
/// The log-reading vocabulary of Get-ContainerLog: what to read of each log (-Since, -Until, -Stream, -Match, -Tail,
/// -LimitBytes, -MaxLineBytes, -NoMerge), how to write it (-AsString, -Prefix), which instance (-Previous) and for how
/// long (-Follow), checked once in BeginProcessing by Core (<see cref="LogReadArguments"/>) into the read options.
/// </summary>
public abstract class LogReadingCmdlet : ContainerSelectionCmdlet
{
    DateTimeOffset? _since, _until;
    Regex? _match;

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

    /// <summary>-Until as an instant, once the arguments are checked.</summary>
    protected DateTimeOffset? UntilInstant => _until;

    /// <summary>The read options the checked arguments give.</summary>
    protected LogReadOptions ReadOptions() =>
        LogReadArguments.Options(MaxLineBytes, NoMerge, Bound(nameof(Stream)) ? Stream : null, _since, _until, _match);

    protected bool Bound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    protected override void BeginProcessing()
    {
        if (LogReadArguments.CheckCombination(Follow, Previous, Bound(nameof(RestartCount))) is { } refused) Stop(refused, "Previous");
        var now = DateTimeOffset.Now;
        _since = LogReadArguments.TimeBound(nameof(Since), Unwrap(Since), now, out var failure);
        if (failure is not null) Stop(failure, Since);
        _until = LogReadArguments.TimeBound(nameof(Until), Unwrap(Until), now, out failure);
        if (failure is not null) Stop(failure, Until);
        _match = LogReadArguments.Match(Match, out failure);
        if (failure is not null) Stop(failure, Match);
        base.BeginProcessing();
    }

    static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    void Stop(PodLogsFailure failure, object? target) => ThrowTerminatingError(ToErrorRecord(failure, target));

    /// <summary>The selection as typed, for an error that names it.</summary>
    protected string SelectionText() =>
        $"namespace {Join(Namespace)}, pod {Join(PodName)}{(PodUid is null ? "" : $" ({PodUid})")}, container {Join(ContainerName)}{(ContainerId is null ? "" : $" ({ContainerId})")}";

    static string Join(string[]? patterns) => patterns is null ? "*" : string.Join(",", patterns);
}
