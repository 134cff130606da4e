using System.Globalization;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>The apiserver's error answers: a meta/v1 Status object, worded as the real server words them.</summary>
internal static class ApiStatus
{
    public static ApiResponse Unauthorized() => Failure(401, "Unauthorized", "Unauthorized");

    /// <summary>As the RBAC authorizer's denial: <c>pods is forbidden: User "x" cannot list resource "pods" in API group "" at the cluster scope</c>.</summary>
    public static ApiResponse Forbidden(string user, string verb, string resource, string? name, string? @namespace)
    {
        var subject = name is null ? resource : $"{resource} \"{name}\"";
        var scope = @namespace is null ? "at the cluster scope" : $"in the namespace \"{@namespace}\"";
        var message = $"{subject} is forbidden: User \"{user}\" cannot {verb} resource \"{resource}\" in API group \"\" {scope}";
        return Failure(403, "Forbidden", message, Details(resource, name));
    }

    public static ApiResponse NotFound(string resource, string name) =>
        Failure(404, "NotFound", $"{resource} \"{name}\" not found", Details(resource, name));

    public static ApiResponse NoSuchPath() =>
        Failure(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiResponse MethodNotAllowed() =>
        Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());

    public static ApiResponse BadRequest(string message) => Failure(400, "BadRequest", message);

    /// <summary>An answer a test asked for, shaped as the server would send that code.</summary>
    public static ApiResponse Injected(int code, TimeSpan? retryAfter)
    {
        var response = code switch
        {
            401 => Unauthorized(),
            403 => Failure(403, "Forbidden", "forbidden: injected by the test server"),
            410 => Failure(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."),
            429 => Failure(429, "TooManyRequests", "Too many requests, please try again later.",
                new JsonObject { ["retryAfterSeconds"] = (int)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds) }),
            500 => Failure(500, "InternalError", "Internal error occurred: injected by the test server",
                new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = "injected by the test server" }) }),
            503 => Failure(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
            504 => Failure(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request"),
            _ => Failure(code, "", $"injected status {code}"),
        };
        if (retryAfter is { } delay)
            response = response with { Headers = new Dictionary<string, string> { ["Retry-After"] = ((int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture) } };
        return response;
    }

    static JsonObject Details(string resource, string? name)
    {
        var details = new JsonObject();
        if (name is not null) details["name"] = name;
        details["kind"] = resource;
        return details;
    }

    static ApiResponse Failure(int code, string reason, string message, JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason.Length > 0) status["reason"] = reason;
        if (details is not null) status["details"] = details;
        status["code"] = code;
        return new ApiResponse(code, ApiJson.Write(status));
    }
}
