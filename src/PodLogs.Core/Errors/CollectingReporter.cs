namespace PodLogs.Core;

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
