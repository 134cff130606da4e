using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Node;

namespace PodLogs.Commands;

/// <summary>
/// The parameters every PodLogs cmdlet shares (which node, and where its directories are), the
/// cancellation token stopped by Ctrl+C (and SIGTERM, <see cref="TerminationSignal"/>), and the bridge from Core's reports to the pipeline.
/// </summary>
public abstract class PodLogsCmdlet : PSCmdlet, IPodLogsReporter, IDisposable
{
    CancellationTokenSource? _cancellation;
    bool _rootGiven, _setUp;
    string? _inputRoot, _lastInputRoot;

    /// <summary>The directory that stands for the node's '/': '/' on a node, '/host' in a DaemonSet, a mounted disk image.</summary>
    /// <remarks>Virtual so the selection cmdlets can also take it by property name from their pipeline set.</remarks>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public virtual string Root { get; set; } = "/";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PodLogsDirectory { get; set; }

    [Parameter]
    [Alias("LegacyLinkDirectory")]
    [ValidateNotNullOrEmpty]
    public string? ContainerLogsDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DockerDataRoot { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KubeletConfigPath { get; set; }

    readonly List<PodLogsFailure> _errorsWritten = [];

    /// <summary>Every non-terminating error this command wrote (from Core or from the cmdlet), in order.</summary>
    protected IReadOnlyList<PodLogsFailure> ErrorsWritten => _errorsWritten;

    /// <summary>
    /// Whether this command works on the node under -Root (false for a command that only reads files named
    /// explicitly): only then is a root that looks like no node at all worth a warning.
    /// </summary>
    protected virtual bool UsesNode => true;

    /// <summary>
    /// Every error goes through here (Core's reports and the cmdlets' own), so a command that must not answer
    /// "all good" after an error (Test-ContainerLogLink) knows of each one.
    /// </summary>
    public new void WriteError(ErrorRecord errorRecord)
    {
        _errorsWritten.Add(new PodLogsFailure(errorRecord.FullyQualifiedErrorId.Split(',')[0],
            Enum.TryParse<FailureCategory>(errorRecord.CategoryInfo.Category.ToString(), out var c) ? c : FailureCategory.NotSpecified,
            errorRecord.ErrorDetails?.Message ?? errorRecord.Exception?.Message ?? errorRecord.ToString(), errorRecord.TargetObject?.ToString()));
        base.WriteError(errorRecord);
    }

    protected CancellationToken Cancellation => (_cancellation ??= NewCancellation()).Token;

    // Stopped by Ctrl+C (StopProcessing) and, in a script that asked for it, by SIGTERM. Linked only then: a linked source
    // stays registered with TerminationSignal's token until it is disposed (Dispose below, when the pipeline ends).
    static CancellationTokenSource NewCancellation() =>
        TerminationSignal.IsRegistered ? CancellationTokenSource.CreateLinkedTokenSource(TerminationSignal.Token) : new CancellationTokenSource();

    /// <summary>PowerShell disposes a command that is IDisposable when its pipeline ends.</summary>
    public void Dispose()
    {
        _cancellation?.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void BeginProcessing()
    {
        _cancellation ??= NewCancellation();
        _rootGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Root));
        if (!RootFromInput) EnsureSetUp();
    }

    /// <summary>
    /// Records piped without -Root name their node by their Root property (bound by property name, '/' for
    /// objects without one): the command is set up when the first record comes, under its root.
    /// </summary>
    protected bool RootFromInput => !_rootGiven && MyInvocation.ExpectingInput;

    /// <summary>What the command builds once under its root (the layout, the inspector): in BeginProcessing, or at the first record when the root comes from it.</summary>
    protected virtual void SetUp() { }

    /// <summary>Sets the command up under the current -Root unless that was done.</summary>
    protected void EnsureSetUp()
    {
        if (_setUp) return;
        _setUp = true;
        SetUp();
    }

    /// <summary>
    /// Called first for each input record: with the root taken from the records, every record must name the
    /// same one. A pipeline that mixes nodes stops with one terminating error at the first record of another
    /// root (a repair acts only after the last record, so it has written nothing), since one command works on
    /// one node: group the records by Root and run one command per root.
    /// </summary>
    protected void AcceptInputRoot()
    {
        // A pipeline's records usually share one Root string: it is resolved once, not per record.
        if (RootFromInput && !string.Equals(Root, _lastInputRoot, StringComparison.Ordinal))
        {
            _lastInputRoot = Root;
            var root = Path.TrimEndingDirectorySeparator(GetUnresolvedProviderPathFromPSPath(Root));
            if (root.Length == 0) root = "/";
            if (_inputRoot is null) _inputRoot = root;
            else if (!string.Equals(root, _inputRoot, StringComparison.Ordinal))
                ThrowTerminatingError(ToErrorRecord(new PodLogsFailure(ErrorIds.Selection.InputFromManyRoots, FailureCategory.InvalidArgument,
                    $"The input records come from more than one -Root ('{_inputRoot}', then '{root}'), and one command works on one node. Run one command per root (for example: $records | Group-Object Root), or pass -Root.", null), root));
        }
        EnsureSetUp();
    }

    protected override void StopProcessing() => _cancellation?.Cancel();

    /// <summary>The node under -Root; a configuration that cannot be read stops the command.</summary>
    protected NodeLayout LoadLayout(bool wantsRuntimeEndpoint = false, bool wantsDockerDataRoot = true)
    {
        var root = GetUnresolvedProviderPathFromPSPath(Root);
        try
        {
            return NodeLayout.Load(new NodeLayoutOptions
            {
                Root = root,
                PodLogsDirectory = PodLogsDirectory,
                ContainerLogsDirectory = ContainerLogsDirectory,
                DockerDataRoot = DockerDataRoot,
                KubeletConfigPath = KubeletConfigPath,
                WantsRuntimeEndpoint = wantsRuntimeEndpoint,
                WantsDockerDataRoot = wantsDockerDataRoot,
                ExpectsNode = UsesNode,
            }, this);
        }
        catch (PodLogsException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex.Failure));
            throw;
        }
    }

    /// <summary>
    /// Open handles on the log roots' files (issue #13 item 3), from the host's /proc under -Root '/' or from
    /// <paramref name="procPath"/>; else none, with a verbose line saying what goes unmeasured.
    /// </summary>
    protected List<LogHandle>? ScanLogHandles(NodeLayout layout, string? procPath, string unmeasured)
    {
        if (procPath is null && !layout.Root.IsHostRoot)
        {
            WriteVerbose($"{unmeasured}: under a -Root other than '/', give -ProcPath (the node's procfs) to scan open log handles.");
            return null;
        }
        return LogHandleScanner.Scan(layout, procPath is null ? null : GetUnresolvedProviderPathFromPSPath(procPath), this);
    }

    /// <summary>Runs Core work, turning a Core precondition failure into a terminating error and a cancelled run into a stop.</summary>
    protected void RunCore(Action work)
    {
        try
        {
            work();
        }
        catch (PodLogsException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex.Failure));
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    internal static ErrorRecord ToErrorRecord(PodLogsFailure failure, object? target = null) =>
        new(failure.Exception ?? new PodLogsException(failure.ErrorId, failure.Category, failure.Message, failure.TargetPath),
            failure.ErrorId, Enum.TryParse<ErrorCategory>(failure.Category.ToString(), out var c) ? c : ErrorCategory.NotSpecified, target ?? failure.TargetPath)
        {
            ErrorDetails = new ErrorDetails(failure.Message),
        };

    void IPodLogsReporter.Error(PodLogsFailure failure) => WriteError(ToErrorRecord(failure));
    void IPodLogsReporter.Warning(string message) => WriteWarning(DisplayText.Escape(message));
    void IPodLogsReporter.Verbose(string message) => WriteVerbose(DisplayText.Escape(message));
}
