namespace PodLogs.TestKubeApi;

/// <summary>
/// Something the server does to a request a test picked (see <see cref="KubeApiServer.InjectFault"/>):
/// answer late, answer with an error status, or drop the connection.
/// </summary>
public abstract record Fault
{
    private protected Fault() { }

    /// <summary>
    /// Wait before answering normally. The wait ends early when the client goes away (recorded as
    /// <see cref="RecordedRequest.ClientDisconnected"/>) or the server stops (the connection is dropped).
    /// </summary>
    public static Fault Delay(TimeSpan delay) => new DelayFault(delay);

    /// <summary>
    /// Answer with this code and the Status body the apiserver sends for it (500 InternalError,
    /// 503 ServiceUnavailable, 429 TooManyRequests, 410 Expired, 504 Timeout, 401, 403); with
    /// <paramref name="retryAfter"/>, a Retry-After header (and retryAfterSeconds for 429).
    /// </summary>
    public static Fault Status(int statusCode, TimeSpan? retryAfter = null) => new StatusFault(statusCode, retryAfter);

    /// <summary>Close the connection without an answer (the client sees the response end prematurely).</summary>
    public static Fault CloseConnection { get; } = new CloseConnectionFault();
}

internal sealed record DelayFault(TimeSpan Duration) : Fault;

internal sealed record StatusFault(int StatusCode, TimeSpan? RetryAfter) : Fault;

internal sealed record CloseConnectionFault : Fault;
