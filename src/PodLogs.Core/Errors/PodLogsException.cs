namespace PodLogs.Core;

/// <summary>A failure that stops the whole command (a precondition), not one item.</summary>
public sealed class PodLogsException : Exception
{
    public PodLogsException(string errorId, FailureCategory category, string message, string? targetPath, Exception? inner = null)
        : base(DisplayText.Escape(message), inner) => Failure = new PodLogsFailure(errorId, category, message, targetPath, inner);

    public PodLogsFailure Failure { get; }
}
