namespace PodLogs.TestKubeApi;

/// <summary>A query the apiserver would refuse with 400 BadRequest; the message is the Status message.</summary>
internal sealed class SelectorException(string message) : Exception(message);
