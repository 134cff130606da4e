using System.Globalization;
using System.Text.Json;
using PodLogs.Core.Samples;
using PodLogs.Runtime.Tests.Harness;
using Xunit.Abstractions;

namespace PodLogs.Runtime.Tests.Deploy;

/// <summary>
/// The image (issue #14 item 3) built here and run the way the check DaemonSet runs it (deploy/kubernetes/daemonset.yaml):
/// the node's / read-only at /host, one writable textfile directory, a read-only root with a tmpfs /tmp and HOME=/tmp,
/// every capability dropped but DAC_READ_SEARCH, no privilege escalation, uid 0.
/// </summary>
public sealed class ImageTests(ImageFixture f, ITestOutputHelper output) : IClassFixture<ImageFixture>
{
    const string TextfileDirectory = "/var/lib/node-exporter/textfile";

    /// <summary>The DaemonSet's restrictions (docker run's spelling of its securityContext and volumes).</summary>
    static string[] LikeTheCheckDaemonSet(string node, params string[] more) =>
    [
        "--read-only", "--tmpfs", "/tmp", "--env", "HOME=/tmp", "--env", "NODE_NAME=" + SampleNode.NodeName,
        "--cap-drop", "ALL", "--cap-add", "DAC_READ_SEARCH", "--security-opt", "no-new-privileges", "--network", "none",
        "--volume", node + ":/host:ro", .. more,
    ];

    [Fact]
    public void The_agent_writes_the_sample_nodes_metrics_logs_json_lines_and_stops_cleanly_on_docker_stop()
    {
        output.WriteLine($"base {PwshBaseImage.Name}: {f.BaseSize} bytes ({f.BaseSize / 1e6:F1} MB); image {ImageFixture.Tag}: {f.ImageSize} bytes ({f.ImageSize / 1e6:F1} MB)");
        var node = f.Node.Scratch("image-node");
        SampleNode.Create(node);
        var textfile = f.Node.Scratch("image-textfile");
        var metrics = Path.Join(textfile, "podlogs.prom");
        var before = Snapshot(node);

        var id = f.Cli(["run", "--detach", .. LikeTheCheckDaemonSet(node, "--volume", textfile + ":" + TextfileDirectory), ImageFixture.Tag,
            "-Root", "/host", "-MetricsPath", TextfileDirectory + "/podlogs.prom", "-IntervalSec", "2"]).EnsureSuccess().Stdout.Trim();

        // Polls until the first cycle is logged and its metrics file is there; the bound only ends a hung run.
        var until = DateTime.UtcNow.AddMinutes(3);
        while (!(File.Exists(metrics) && f.Cli("logs", id).Stdout.Contains("\"cycle\"", StringComparison.Ordinal)))
        {
            var state = f.Cli("inspect", "--format", "{{.State.Running}}", id).EnsureSuccess().Stdout.Trim();
            Assert.True(state == "true" && DateTime.UtcNow < until,
                $"The agent did not log a cycle and write {metrics} (running: {state}). Its output:\n{Logs(id)}");
            Thread.Sleep(500);
        }

        var values = ParseMetrics(File.ReadAllText(metrics));
        // The sample node's links, as docs/fleet.md's "Metrics" example shows them.
        var expected = new Dictionary<string, double>
        {
            ["podlogs_log_links{kind=\"legacy\",status=\"dangling\"}"] = 1,
            ["podlogs_log_links{kind=\"legacy\",status=\"healthy\"}"] = 8,
            ["podlogs_log_links{kind=\"legacy\",status=\"invalid\"}"] = 0,
            ["podlogs_log_links{kind=\"legacy\",status=\"missing\"}"] = 2,
            ["podlogs_log_links{kind=\"legacy\",status=\"orphaned\"}"] = 0,
            ["podlogs_log_links{kind=\"legacy\",status=\"stale\"}"] = 1,
            ["podlogs_log_links{kind=\"legacy\",status=\"unsafe\"}"] = 0,
            ["podlogs_log_links{kind=\"pod\",status=\"dangling\"}"] = 0,
            ["podlogs_log_links{kind=\"pod\",status=\"healthy\"}"] = 10,
            ["podlogs_log_links{kind=\"pod\",status=\"invalid\"}"] = 0,
            ["podlogs_log_links{kind=\"pod\",status=\"missing\"}"] = 2,
            ["podlogs_log_links{kind=\"pod\",status=\"orphaned\"}"] = 0,
            ["podlogs_log_links{kind=\"pod\",status=\"stale\"}"] = 1,
            ["podlogs_log_links{kind=\"pod\",status=\"unsafe\"}"] = 0,
        };
        Assert.Equal(expected, values.Where(v => v.Key.StartsWith("podlogs_log_links{", StringComparison.Ordinal)).ToDictionary());
        Assert.Equal(1, values[$"podlogs_container_log_rotation{{namespace=\"{SampleNode.DiskNamespace}\",pod=\"{SampleNode.LokiPod}\",uid=\"{SampleNode.LokiUid}\",container=\"loki\",state=\"over_limit\"}}"]);
        Assert.Contains("podlogs_last_scan_timestamp_seconds", values.Keys);

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        var stop = f.Cli("stop", id).EnsureSuccess(); // docker's default: SIGTERM, then SIGKILL (exit code 137) after 10 s
        output.WriteLine($"docker stop returned after {stopping.Elapsed.TotalSeconds:F1} s");
        var exit = f.Cli("inspect", "--format", "{{.State.ExitCode}} {{.State.OOMKilled}}", id).EnsureSuccess().Stdout.Trim();
        var logs = f.Cli("logs", id).EnsureSuccess();
        output.WriteLine($"stderr of the agent:\n{logs.Stderr}");
        Assert.True(exit == "0 false", $"docker stop: exit code and OOM {exit}, not 0 (137 is SIGKILL after docker stop's 10 s). Its output:\n{logs.Stdout}{logs.Stderr}{stop.Stderr}");

        var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (Text: l, Json: ParseLine(l))).ToList();
        var events = lines.Select(l => l.Json.GetProperty("event").GetString()).ToList();
        Assert.Equal("start", events[0]);
        Assert.Equal(TextfileDirectory + "/podlogs.prom", lines[0].Json.GetProperty("metricsPath").GetString());
        Assert.Contains("finding", events);
        Assert.Equal("stop", events[^1]);
        var cycle = lines.First(l => l.Json.GetProperty("event").GetString() == "cycle").Json;
        Assert.True(cycle.GetProperty("findings").GetInt32() > 0, cycle.ToString());
        foreach (var field in new[] { "cycle", "durationSeconds", "errors", "cpuSeconds", "peakMemoryBytes" })
            Assert.Equal(JsonValueKind.Number, cycle.GetProperty(field).ValueKind);
        foreach (var c in lines.Where(l => l.Json.GetProperty("event").GetString() == "cycle"))
            output.WriteLine($"cycle: {c.Text}");

        Assert.Equal(before, Snapshot(node));
    }

    [Fact]
    public async Task The_image_runs_as_root_with_the_module_importable_by_name_and_the_npd_plugin_in_place()
    {
        var image = (await f.Docker.Client.Images.InspectImageAsync(ImageFixture.Tag)).Config;
        var version = Version(f.ModulePath);
        Assert.Equal(version, image.Labels["org.opencontainers.image.version"]);
        Assert.Contains("POWERSHELL_TELEMETRY_OPTOUT=1", image.Env);
        Assert.Equal(new[] { "pwsh", "-NoLogo", "-NoProfile", "-NonInteractive", "-File", "/opt/podlogs/podlogs-agent.ps1" }, image.Entrypoint);

        var node = f.Node.Scratch("image-root-node");
        SampleNode.Create(node);
        // The DaemonSets' command: pwsh from PATH, not the image's entrypoint.
        var probe = f.Cli(["run", "--rm", .. LikeTheCheckDaemonSet(node), "--entrypoint", "pwsh", ImageFixture.Tag, "-NoProfile", "-NonInteractive", "-Command",
            "(Select-String -Path /proc/self/status -Pattern '^Uid:').Line; Import-Module PodLogs -ErrorAction Stop; $m = Get-Module PodLogs; \"$($m.Version) $($m.ModuleBase)\""]).EnsureSuccess();
        var lines = probe.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(new[] { "0", "0", "0", "0" }, lines[0].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[1..]);
        Assert.Equal($"{version} /usr/local/share/powershell/Modules/PodLogs", lines[1]);

        // The node-problem-detector plugin where podlogs-monitor.json names it: the sample node's chain is broken (exit 1).
        var npd = f.Cli(["run", "--rm", .. LikeTheCheckDaemonSet(node), "--entrypoint", "pwsh", ImageFixture.Tag, "-NoProfile", "-NonInteractive",
            "-File", "/opt/podlogs/podlogs-npd-check.ps1", "-Condition", "ContainerLogChainBroken", "-Root", "/host"]);
        Assert.True(npd.ExitCode == 1, $"exit {npd.ExitCode}: {npd.Stdout}{npd.Stderr}");
        Assert.Contains("broken log links", npd.Stdout);
    }

    static string Version(string module) =>
        File.ReadLines(Path.Join(module, "PodLogs.psd1")).Select(l => l.Trim()).First(l => l.StartsWith("ModuleVersion", StringComparison.Ordinal))
            .Split('\'')[1];

    string Logs(string id)
    {
        var logs = f.Cli("logs", id);
        return logs.Stdout + logs.Stderr;
    }

    static JsonElement ParseLine(string line)
    {
        JsonElement json;
        try
        {
            json = JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"Not a JSON line: {line} ({e.Message})");
        }
        Assert.Equal(JsonValueKind.String, json.GetProperty("level").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("event").GetString()), line);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$", json.GetProperty("time").GetString());
        return json;
    }

    /// <summary>Samples of the text exposition format, by series (name and labels as written).</summary>
    static Dictionary<string, double> ParseMetrics(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))
            .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(s => s.Series, s => s.Value);

    /// <summary>Every entry under the node: path, type, mode, size, modification time, link target.</summary>
    static string Snapshot(string root) =>
        string.Join('\n', ProcessRunner.Run("find", [root, "-printf", "%P\t%y\t%m\t%s\t%T@\t%l\n"], TimeSpan.FromMinutes(1)).EnsureSuccess().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
}
