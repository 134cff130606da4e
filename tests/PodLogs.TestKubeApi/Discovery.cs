using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PodLogs.TestKubeApi;

/// <summary>/version, /api, /api/v1 and /apis (no groups): enough discovery for clients that look before they list (kubectl does).</summary>
internal static partial class Discovery
{
    public static ApiResponse Version(string gitVersion)
    {
        var parts = SemanticVersion().Match(gitVersion);
        return ApiResponse.Ok(ApiJson.Write(new JsonObject
        {
            ["major"] = parts.Groups["major"].Value,
            ["minor"] = parts.Groups["minor"].Value,
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2024-10-22T20:28:14Z",
            ["goVersion"] = "go1.22.8",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        }));
    }

    public static ApiResponse ApiVersions(Uri baseAddress) => ApiResponse.Ok(ApiJson.Write(new JsonObject
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = baseAddress.Authority,
        }),
    }));

    public static ApiResponse ApiGroups() => ApiResponse.Ok(ApiJson.Write(new JsonObject
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(),
    }));

    public static ApiResponse CoreV1Resources() => ApiResponse.Ok(ApiJson.Write(new JsonObject
    {
        ["kind"] = "APIResourceList",
        ["groupVersion"] = "v1",
        ["resources"] = new JsonArray(
            Resource("nodes", "node", "Node", namespaced: false, shortName: "no"),
            Resource("pods", "pod", "Pod", namespaced: true, shortName: "po")),
    }));

    static JsonObject Resource(string name, string singular, string kind, bool namespaced, string shortName) => new()
    {
        ["name"] = name,
        ["singularName"] = singular,
        ["namespaced"] = namespaced,
        ["kind"] = kind,
        ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
        ["shortNames"] = new JsonArray(shortName),
    };

    [GeneratedRegex(@"^v(?<major>\d+)\.(?<minor>\d+)")]
    private static partial Regex SemanticVersion();
}
