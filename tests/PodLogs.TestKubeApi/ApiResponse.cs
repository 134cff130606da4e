namespace PodLogs.TestKubeApi;

/// <summary>What the server answers: a status code, a JSON body and any extra headers.</summary>
internal sealed record ApiResponse(int StatusCode, string Body)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static ApiResponse Ok(string json) => new(200, json);
}
