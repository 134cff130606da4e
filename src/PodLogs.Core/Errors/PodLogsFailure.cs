namespace PodLogs.Core;

/// <summary>One failure with a stable id, a category and the path it concerns.</summary>
public sealed record PodLogsFailure(string ErrorId, FailureCategory Category, string Message, string? TargetPath, Exception? Exception = null)
{
    /// <summary>What went wrong, for a person: names, labels and targets in it escaped (<see cref="DisplayText"/>); <see cref="TargetPath"/> keeps the real path.</summary>
    public string Message { get; init; } = DisplayText.Escape(Message);

    /// <summary>A directory of the node that could not be listed.</summary>
    public static PodLogsFailure DirectoryUnreadable(Node.NodeRoot root, string nodePath, int errno) =>
        new(ErrorIds.Node.DirectoryUnreadable, ReadCategory(errno), $"Cannot read {nodePath}: {Native.Posix.Describe(errno)}.", root.ToLocal(nodePath));

    /// <summary>What a failed read is: refused (EACCES, EPERM) or a read error.</summary>
    public static FailureCategory ReadCategory(int errno) =>
        errno is Native.Posix.EACCES or Native.Posix.EPERM ? FailureCategory.PermissionDenied : FailureCategory.ReadError;
}
