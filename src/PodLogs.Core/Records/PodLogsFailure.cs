namespace PodLogs.Core;

/// <summary>
/// Categories of failure, named as PowerShell's ErrorCategory members so the cmdlet layer maps them
/// one to one (Core does not reference PowerShell).
/// </summary>
public enum FailureCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    PermissionDenied,
    ReadError,
    WriteError,
    ResourceExists,
    ResourceUnavailable,
    OperationTimeout,
    SecurityError,
    LimitsExceeded,
    NotImplemented,
}

/// <summary>One failure with a stable id, a category and the path it concerns.</summary>
public sealed record PodLogsFailure(string ErrorId, FailureCategory Category, string Message, string? TargetPath, Exception? Exception = null)
{
    /// <summary>What went wrong, for a person: names, labels and targets in it escaped (<see cref="DisplayText"/>); <see cref="TargetPath"/> keeps the real path.</summary>
    public string Message { get; init; } = DisplayText.Escape(Message);

    public const string DirectoryUnreadableId = "DirectoryUnreadable";

    /// <summary>A directory of the node that could not be listed.</summary>
    public static PodLogsFailure DirectoryUnreadable(Node.NodeRoot root, string nodePath, int errno) =>
        new(DirectoryUnreadableId, ReadCategory(errno), $"Cannot read {nodePath}: {Native.Posix.Describe(errno)}.", root.ToLocal(nodePath));

    /// <summary>What a failed read is: refused (EACCES, EPERM) or a read error.</summary>
    public static FailureCategory ReadCategory(int errno) =>
        errno is Native.Posix.EACCES or Native.Posix.EPERM ? FailureCategory.PermissionDenied : FailureCategory.ReadError;
}

/// <summary>A failure that stops the whole command (a precondition), not one item.</summary>
public sealed class PodLogsException : Exception
{
    public PodLogsException(string errorId, FailureCategory category, string message, string? targetPath, Exception? inner = null)
        : base(DisplayText.Escape(message), inner) => Failure = new PodLogsFailure(errorId, category, message, targetPath, inner);

    public PodLogsFailure Failure { get; }
}

/// <summary>
/// Where Core reports what is not a record: per-item errors (non-terminating), warnings and verbose
/// notes. The cmdlet layer forwards them on the pipeline thread.
/// </summary>
public interface IPodLogsReporter
{
    void Error(PodLogsFailure failure);
    void Warning(string message);
    void Verbose(string message);
}

/// <summary>A reporter that collects everything; used by tests and by callers that decide later.</summary>
public sealed class CollectingReporter : IPodLogsReporter
{
    public List<PodLogsFailure> Errors { get; } = [];
    public List<string> Warnings { get; } = [];
    public List<string> VerboseMessages { get; } = [];
    public void Error(PodLogsFailure failure) => Errors.Add(failure);
    public void Warning(string message) => Warnings.Add(DisplayText.Escape(message));
    public void Verbose(string message) => VerboseMessages.Add(DisplayText.Escape(message));
}
