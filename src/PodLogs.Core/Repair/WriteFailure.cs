namespace PodLogs.Core.Repair;

/// <summary>Why a write did not happen.</summary>
public sealed record WriteFailure(string ErrorId, FailureCategory Category, string Message);
