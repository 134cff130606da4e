using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// List paging tokens in the apiserver's format (storage/etcd3 encodeContinue): base64url, unpadded,
/// of <c>{"v":"meta.k8s.io/v1","rv":N,"start":"&lt;last key&gt;\u0000"}</c>. The next page starts at the
/// first key at or after "start", so after the last key returned.
/// </summary>
internal static class ContinueToken
{
    const string Version = "meta.k8s.io/v1";

    public static string Encode(string resourceVersion, string lastKey)
    {
        var token = new JsonObject { ["v"] = Version, ["rv"] = long.Parse(resourceVersion), ["start"] = lastKey + "\0" };
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token.ToJsonString()));
    }

    public static (string ResourceVersion, string StartKey) Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(token))?.AsObject() ?? throw new JsonException("empty");
            if ((string?)json["v"] != Version) throw new SelectorException("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            var resourceVersion = (long?)json["rv"] ?? 0;
            var start = (string?)json["start"] ?? "";
            if (resourceVersion <= 0 || start.Length == 0) throw new SelectorException("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
            return (resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw new SelectorException($"continue key is not valid: {e.Message}");
        }
    }
}
