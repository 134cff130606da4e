using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>The runnable server's initial state: <c>{"nodes":[...],"pods":[...]}</c>, raw API objects.</summary>
internal static class StateFile
{
    public static void Load(string path, KubeApiServer server)
    {
        var state = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{path}: the state must be a JSON object with \"nodes\" and \"pods\" arrays.");
        server.Nodes.AddRange(Items(state, "nodes", path));
        server.Pods.AddRange(Items(state, "pods", path));
    }

    static IEnumerable<JsonObject> Items(JsonObject state, string name, string path) => state[name] switch
    {
        null => [],
        JsonArray items => items.Select(i => i as JsonObject ?? throw new InvalidDataException($"{path}: every item of \"{name}\" must be an object.")),
        _ => throw new InvalidDataException($"{path}: \"{name}\" must be an array."),
    };
}
