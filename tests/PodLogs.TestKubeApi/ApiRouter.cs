namespace PodLogs.TestKubeApi;

/// <summary>
/// Maps an authenticated GET to discovery, a list or a get, after the authorizer's say.
/// Served: /version, /api, /api/v1, /apis, /api/v1/pods, /api/v1/namespaces/{ns}/pods[/{name}],
/// /api/v1/nodes[/{name}]; anything else is the apiserver's 404.
/// </summary>
internal sealed class ApiRouter(KubeObjectCollection pods, KubeObjectCollection nodes, AccessRules access, string gitVersion, Func<Uri> baseAddress)
{
    public ApiResponse Handle(string method, string path, IReadOnlyDictionary<string, string> query, ApiUser user)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (method is not ("GET" or "HEAD")) return segments.Length == 0 ? ApiStatus.NoSuchPath() : ApiStatus.MethodNotAllowed();
        switch (segments)
        {
            case ["version"]: return Discovery.Version(gitVersion);
            case ["api"]: return Discovery.ApiVersions(baseAddress());
            case ["api", "v1"]: return Discovery.CoreV1Resources();
            case ["apis"]: return Discovery.ApiGroups();
            case ["api", "v1", "pods"]: return Read(pods, null, null, query, user);
            case ["api", "v1", "namespaces", var ns, "pods"]: return Read(pods, ns, null, query, user);
            case ["api", "v1", "namespaces", var ns, "pods", var name]: return Read(pods, ns, name, query, user);
            case ["api", "v1", "nodes"]: return Read(nodes, null, null, query, user);
            case ["api", "v1", "nodes", var name]: return Read(nodes, null, name, query, user);
            default: return ApiStatus.NoSuchPath();
        }
    }

    ApiResponse Read(KubeObjectCollection collection, string? @namespace, string? name, IReadOnlyDictionary<string, string> query, ApiUser user)
    {
        var verb = name is not null ? "get" : query.GetValueOrDefault("watch") is "true" or "1" ? "watch" : "list";
        if (access.IsForbidden(user.Name, verb, collection.Resource))
            return ApiStatus.Forbidden(user.Name, verb, collection.Resource, name, @namespace);
        return name is null
            ? ResourceReader.List(collection, @namespace, query)
            : ResourceReader.Get(collection, @namespace, name);
    }
}
