using System.Runtime.CompilerServices;
using System.Text.Json;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Runtime;

/// <summary>What PodLogs reads of docker's <c>config.v2.json</c> (and <c>hostconfig.json</c>'s log driver): kubelet's labels only.</summary>
sealed record DockerConfig(string? Id, string? Name, bool Running, DateTimeOffset? StartedAt, string? LogPath, Dictionary<string, string> Labels)
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DockerConfig Parse(ReadOnlyMemory<byte> json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new FormatException("not a JSON object");
        // Only kubelet's eight labels say anything here; an image's own are not read.
        var labels = new Dictionary<string, string>(KubeletLabels.Length, StringComparer.Ordinal);
        if (root.TryGetProperty("Config", out var cfg) && cfg.ValueKind == JsonValueKind.Object
            && cfg.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object)
            foreach (var p in l.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String && KubeletLabel(p) is { } name) labels[name] = p.Value.GetString()!;
        var running = false;
        DateTimeOffset? started = null;
        if (root.TryGetProperty("State", out var state) && state.ValueKind == JsonValueKind.Object)
        {
            running = state.TryGetProperty("Running", out var r) && r.ValueKind == JsonValueKind.True;
            if (state.TryGetProperty("StartedAt", out var s) && s.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(s.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
                && t.Year > 1)
                started = t;
        }
        return new DockerConfig(Str(root, "ID"), Str(root, "Name"), running, started, Str(root, "LogPath"), labels);
    }

    public static string? ParseLogDriver(ReadOnlyMemory<byte> json) => ParseLogConfig(json, out _);

    /// <summary>
    /// <c>hostconfig.json</c>'s <c>LogConfig</c>: its <c>Type</c>, and in <paramref name="options"/> its <c>Config</c>'s string
    /// values (max-size, max-file, compress, …): null when there is no Config object, no dictionary made when it is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string? ParseLogConfig(ReadOnlyMemory<byte> json, out Dictionary<string, string>? options)
    {
        options = null;
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("LogConfig", out var lc)
            || lc.ValueKind != JsonValueKind.Object) return null;
        if (lc.TryGetProperty("Config", out var cfg) && cfg.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in cfg.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String) (options ??= new(StringComparer.Ordinal))[p.Name] = p.Value.GetString()!;
            options ??= Empty;
        }
        return Str(lc, "Type");
    }

    static readonly Dictionary<string, string> Empty = new(StringComparer.Ordinal);

    /// <summary>The labels kubelet sets, by name: every container has them, so their names are not made anew each time.</summary>
    static readonly (string Name, byte[] Utf8)[] KubeletLabels = new[]
    {
        DockershimNames.ContainerTypeLabel, DockershimNames.PodNameLabel, DockershimNames.PodNamespaceLabel, DockershimNames.PodUidLabel,
        DockershimNames.ContainerNameLabel, DockershimNames.LogPathLabel, DockershimNames.RestartCountLabel, DockershimNames.SandboxIdLabel,
    }.Select(n => (n, System.Text.Encoding.UTF8.GetBytes(n))).ToArray();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static string? KubeletLabel(JsonProperty p)
    {
        foreach (var (name, utf8) in KubeletLabels)
            if (p.NameEquals(utf8)) return name;
        return null;
    }

    static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
