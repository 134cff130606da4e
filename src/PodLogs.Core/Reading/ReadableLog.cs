using PodLogs.Core.Logs;

namespace PodLogs.Core.Reading;

/// <summary>A target opened by the caller's reader (<see cref="LogReadExecutor"/>): what it holds now and, when followed, what it writes after.</summary>
/// <param name="History">Reads what the log holds (with -Follow, up to where following began); asked once, when the merge is built.</param>
/// <param name="Lines">What the log writes from then on (null when it is not followed).</param>
/// <param name="Follower">Released when reading ends (null when nothing is held).</param>
public sealed record ReadableLog(
    Func<IEnumerable<LogLine>> History,
    Func<IPodLogsReporter, CancellationToken, IEnumerable<LogLine>>? Lines = null,
    IDisposable? Follower = null);
