namespace PodLogs.Core.Runtime;

/// <summary>
/// A live runtime that did not answer: its socket is missing, refuses, times out or speaks another
/// protocol. <see cref="EndpointExists"/> says whether something was there (worth a warning) or not
/// (worth a verbose note).
/// </summary>
public sealed class RuntimeUnavailableException(string source, string endpoint, bool endpointExists, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string SourceName { get; } = source;
    public string Endpoint { get; } = endpoint;
    public bool EndpointExists { get; } = endpointExists;
    /// <summary>The endpoint is there but this user may not use it (a non-root user and a root-only socket).</summary>
    public bool AccessDenied { get; init; }
}
