using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>JSON text as the apiserver writes it: compact, quotes escaped as \" rather than \u0022.</summary>
internal static class ApiJson
{
    static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
