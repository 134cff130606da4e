namespace PodLogs.TestKubeApi;

/// <summary>
/// One request as the server saw it, for assertions (e.g. that a fieldSelector was sent) and for
/// fault predicates. Recorded after authentication, before any fault or answer.
/// </summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(string method, string path, string queryString, IReadOnlyDictionary<string, string> query, string? user)
    {
        Method = method;
        Path = path;
        QueryString = queryString;
        Query = query;
        User = user;
    }

    /// <summary>GET, HEAD, …</summary>
    public string Method { get; }

    /// <summary>The path, e.g. /api/v1/pods.</summary>
    public string Path { get; }

    /// <summary>The raw query string with its leading '?', or empty.</summary>
    public string QueryString { get; }

    /// <summary>Path and raw query, e.g. /api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1.</summary>
    public string PathAndQuery => Path + QueryString;

    /// <summary>Decoded query parameters (first value of each).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The authenticated user, or null when the request had no valid credentials.</summary>
    public string? User { get; }

    /// <summary>The status code answered (set just before the answer is sent); null while in flight, when the connection was closed or the client left.</summary>
    public int? StatusCode { get; private set; }

    /// <summary>Whether the client went away before the answer (cancellation, timeout).</summary>
    public bool ClientDisconnected { get; private set; }

    /// <summary>Whether the server closed the connection unanswered: <see cref="Fault.CloseConnection"/>, or a delayed request when the server stopped.</summary>
    public bool ConnectionClosed { get; private set; }

    internal void Answered(int statusCode) => StatusCode = statusCode;

    internal void Disconnected() => ClientDisconnected = true;

    internal void Closed() => ConnectionClosed = true;

    /// <inheritdoc />
    public override string ToString() => $"{Method} {PathAndQuery} user={User ?? "(none)"} status={StatusCode?.ToString() ?? "-"}";
}
