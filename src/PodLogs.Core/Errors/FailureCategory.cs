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
