using System.Globalization;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// GET of one object or a list, with the list query parameters KubernetesClient sends:
/// fieldSelector, labelSelector, limit and continue (pages in storage-key order, with
/// metadata.continue and, without selectors, metadata.remainingItemCount), resourceVersion
/// (accepted; every list is served from the current state). watch is refused.
/// </summary>
internal static class ResourceReader
{
    public static ApiResponse Get(KubeObjectCollection collection, string? @namespace, string name) =>
        collection.Get(@namespace, name) is { } item
            ? ApiResponse.Ok(ApiJson.Write(item))
            : ApiStatus.NotFound(collection.Resource, name);

    public static ApiResponse List(KubeObjectCollection collection, string? @namespace, IReadOnlyDictionary<string, string> query)
    {
        try
        {
            return ListPage(collection, @namespace, query);
        }
        catch (SelectorException e)
        {
            return ApiStatus.BadRequest(e.Message);
        }
    }

    static ApiResponse ListPage(KubeObjectCollection collection, string? @namespace, IReadOnlyDictionary<string, string> query)
    {
        if (IsTrue(query, "watch")) throw new SelectorException("watch is not served by the test API server");
        var fields = FieldSelector.Parse(query.GetValueOrDefault("fieldSelector"), collection.Resource);
        var labels = LabelSelector.Parse(query.GetValueOrDefault("labelSelector"));
        var limit = Limit(query);
        var continueToken = query.GetValueOrDefault("continue");

        var items = collection.Snapshot(out var resourceVersion).AsEnumerable();
        if (!string.IsNullOrEmpty(continueToken))
        {
            if (!string.IsNullOrEmpty(query.GetValueOrDefault("resourceVersion")))
                throw new SelectorException("specifying resource version is not allowed when using continue");
            var (tokenVersion, startKey) = ContinueToken.Decode(continueToken);
            resourceVersion = tokenVersion;
            items = items.Where(i => string.CompareOrdinal(collection.KeyOf(i), startKey) >= 0);
        }
        var matching = items
            .Where(i => @namespace is null || (string?)i["metadata"]?["namespace"] == @namespace)
            .Where(i => fields.Matches(i) && labels.Matches(i))
            .ToList();

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        var page = matching;
        if (limit is { } size && matching.Count > size)
        {
            page = matching.Take(size).ToList();
            metadata["continue"] = ContinueToken.Encode(resourceVersion, collection.KeyOf(page[^1]));
            if (fields.IsEmpty && labels.IsEmpty) metadata["remainingItemCount"] = matching.Count - size;
        }
        foreach (var item in page)
        {
            item.Remove("kind");
            item.Remove("apiVersion");
        }
        return ApiResponse.Ok(ApiJson.Write(new JsonObject
        {
            ["kind"] = collection.Kind + "List",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["items"] = new JsonArray(page.ToArray<JsonNode?>()),
        }));
    }

    static int? Limit(IReadOnlyDictionary<string, string> query)
    {
        if (!query.TryGetValue("limit", out var text) || text.Length == 0) return null;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit))
            throw new SelectorException($"limit: Invalid value: \"{text}\": must be an integer");
        return limit > 0 ? (int)Math.Min(limit, int.MaxValue) : null;
    }

    static bool IsTrue(IReadOnlyDictionary<string, string> query, string name) =>
        query.TryGetValue(name, out var value) && (value == "true" || value == "1");
}
