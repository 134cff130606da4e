using System.Globalization;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A fault named on the command line: <c>status=503[,retry-after=2]</c>, <c>close</c> or
/// <c>delay-ms=5000</c>, each optionally with <c>path=&lt;prefix&gt;</c> and <c>times=&lt;n&gt;</c>.
/// </summary>
internal sealed record FaultSpec(Fault Fault, string? PathPrefix, int Times)
{
    public bool Matches(RecordedRequest request) => PathPrefix is null || request.Path.StartsWith(PathPrefix, StringComparison.Ordinal);

    public static FaultSpec Parse(string text)
    {
        Fault? fault = null;
        int? status = null;
        TimeSpan? retryAfter = null;
        string? path = null;
        var times = int.MaxValue;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = part.Split('=', 2) is [var k, var v] ? (k, v) : (part, "");
            switch (key)
            {
                case "status": status = Number(key, value); break;
                case "retry-after": retryAfter = TimeSpan.FromSeconds(Number(key, value)); break;
                case "close": fault = Fault.CloseConnection; break;
                case "delay-ms": fault = Fault.Delay(TimeSpan.FromMilliseconds(Number(key, value))); break;
                case "path": path = value; break;
                case "times": times = Number(key, value); break;
                default: throw new ArgumentException($"Unknown fault setting '{key}' in '{text}'.");
            }
        }
        if (status is { } code) fault = Fault.Status(code, retryAfter);
        return new FaultSpec(fault ?? throw new ArgumentException($"The fault '{text}' names no status=, close or delay-ms=."), path, times);
    }

    static int Number(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{key} needs a whole number, not '{value}'.");
}
