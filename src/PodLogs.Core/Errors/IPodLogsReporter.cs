namespace PodLogs.Core;

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
