using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>Finished requests appended to a file as JSON lines, for tests outside the process (Pester).</summary>
internal sealed class RequestLog(string path) : IDisposable
{
    readonly StreamWriter writer = new(path, append: true) { AutoFlush = true };

    public void Append(RecordedRequest request)
    {
        var line = ApiJson.Write(new JsonObject
        {
            ["method"] = request.Method,
            ["path"] = request.Path,
            ["query"] = new JsonObject(request.Query.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["user"] = request.User,
            ["status"] = request.StatusCode,
            ["clientDisconnected"] = request.ClientDisconnected,
            ["connectionClosed"] = request.ConnectionClosed,
        });
        lock (writer) writer.WriteLine(line);
    }

    public void Dispose()
    {
        lock (writer) writer.Dispose();
    }
}
