using System.Globalization;
using System.Text.Json;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Node;

/// <summary>
/// Who rotates which container log on the node, with what limits (issue #13 item 1; kubelet-facts.md §5, §11):
/// kubelet's settings (config file, then its flags), docker's daemon.json defaults and each container's own
/// LogConfig, CRI-O's <c>log_size_max</c>, and the logrotate rules over the log roots. Read once per command under
/// -Root through the node's door; a file that cannot be read or parsed is a warning naming it, and the value falls
/// back to what the program would use without it.
/// </summary>
public sealed class RotationPolicy
{
    public const string CrioConfig = "/etc/crio/crio.conf";
    public const string CrioDropInDirectory = "/etc/crio/crio.conf.d";
    public const string LogrotateConfigFile = "/etc/logrotate.conf";
    public const string LogrotateDropInDirectory = "/etc/logrotate.d";
    /// <summary>kubelet's defaults (<c>pkg/kubelet/apis/config/v1beta1/defaults.go</c>).</summary>
    public const long KubeletDefaultMaxSize = 10 * 1024 * 1024;
    public const int KubeletDefaultMaxFiles = 5;

    readonly IPodLogsReporter _reporter;
    readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    readonly NodeLayout _layout;
    IReadOnlyList<LogrotateRule>? _dockerRules, _criRules;

    RotationPolicy(NodeLayout layout, IPodLogsReporter reporter) => (_layout, _reporter) = (layout, reporter);

    public KubeletRotation Kubelet { get; private set; } = null!;
    public DockerDaemonLogConfig Docker { get; private set; } = null!;
    /// <summary>CRI-O's <c>log_size_max</c> (bytes; ≤ 0 is off, CRI-O's default -1) with its file, or null when no CRI-O config is there.</summary>
    public Sourced<long>? CriOLogSizeMax { get; private set; }
    /// <summary>True when the node's runtime is CRI-O: kubelet's endpoint names crio, or (no endpoint known) CRI-O's config is there.</summary>
    public bool IsCriONode { get; private set; }
    public IReadOnlyList<LogrotateRule> LogrotateRules { get; private set; } = [];

    /// <param name="kubeletConfigPath">-KubeletConfigPath when given; else the layout's file, else the one kubelet's flags or the usual places name.</param>
    public static RotationPolicy Load(NodeLayout layout, IPodLogsReporter reporter, string? kubeletConfigPath = null)
    {
        var policy = new RotationPolicy(layout, reporter);
        policy.Kubelet = policy.LoadKubelet(kubeletConfigPath);
        policy.Docker = policy.LoadDocker();
        policy.CriOLogSizeMax = policy.LoadCriO();
        policy.IsCriONode = layout.KubeletRuntimeEndpoint is { } endpoint ? endpoint.Contains("crio", StringComparison.Ordinal) : policy.CriOLogSizeMax is not null;
        policy.LogrotateRules = policy.LoadLogrotate();
        return policy;
    }

    // ---- kubelet ----

    KubeletRotation LoadKubelet(string? explicitPath)
    {
        var root = _layout.Root;
        var flags = KubeletProcess.ReadFlags(root);
        var configFile = explicitPath ?? _layout.KubeletConfigFile ?? NodeLayout.FindKubeletConfig(root, flags, _reporter);
        var values = new Dictionary<string, Sourced<string>>(StringComparer.Ordinal);
        void Merge(string file)
        {
            if (Read(file, "kubelet configuration") is not { } content) return;
            try
            {
                foreach (var (key, value) in ReadTopLevel(content))
                    if (value is not null) values[key] = new(value, file);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                Warn(file, $"cannot read the kubelet configuration {Show(file)}: {ex.Message}; what it says about log rotation is not known.");
            }
        }
        if (configFile is not null) Merge(configFile);
        // --config-dir (k8s 1.30+, KEP-3983): its *.conf files in lexical order, each over the ones before and the --config file.
        if (KubeletProcess.FindFlag(flags, "--config-dir") is { } dropIns && NodePath.IsAbsolute(dropIns))
        {
            var errno = root.ReadDirectory(NodePath.Clean(dropIns), out var entries);
            if (errno is Native.Posix.EACCES or Native.Posix.EPERM)
                Warn(dropIns, $"cannot list kubelet's --config-dir {Show(dropIns)}: permission denied; its settings are not known.");
            foreach (var name in entries.Where(e => e.TypeHint != Native.FileKind.Directory && e.Name.EndsWith(".conf", StringComparison.Ordinal)).Select(e => e.Name).Order(StringComparer.Ordinal))
                Merge(NodePath.Combine(NodePath.Clean(dropIns), name));
        }
        // Flags given on the command line override the config file (kubelet-facts.md §11; k8s cmd/kubelet/app/server.go
        // kubeletConfigFlagPrecedence re-parses the command line over the loaded file).
        Sourced<string>? Pick(string key, string? flag)
        {
            if (flag is not null && KubeletProcess.FindFlag(flags, flag) is { } fromFlag) return new(fromFlag, flag);
            return values.GetValueOrDefault(key);
        }

        var size = new Sourced<long>(KubeletDefaultMaxSize, Sourced<long>.Default);
        if (Pick("containerLogMaxSize", "--container-log-max-size") is { } s)
        {
            if (Quantities.TryParseKubernetesQuantity(s.Value, out var bytes)) size = new(bytes, s.Source);
            else Warn(s.Source, $"containerLogMaxSize '{s.Value}' ({Show(s.Source)}) is not a Kubernetes quantity (kubelet would not start with it); 10Mi is assumed.");
        }
        var files = new Sourced<int>(KubeletDefaultMaxFiles, Sourced<int>.Default);
        if (Pick("containerLogMaxFiles", "--container-log-max-files") is { } f)
        {
            // validation.go: containerLogMaxFiles must be greater than 1.
            if (int.TryParse(f.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n > 1) files = new(n, f.Source);
            else Warn(f.Source, $"containerLogMaxFiles '{f.Value}' ({Show(f.Source)}) is not a count above 1 (kubelet would not start with it); 5 is assumed.");
        }
        var workers = new Sourced<int>(1, Sourced<int>.Default);
        if (Pick("containerLogMaxWorkers", null) is { } w)
        {
            if (int.TryParse(w.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 1) workers = new(n, w.Source);
            else Warn(w.Source, $"containerLogMaxWorkers '{w.Value}' ({Show(w.Source)}) is not a count of at least 1 (kubelet would not start with it); 1 is assumed.");
        }
        var interval = new Sourced<TimeSpan>(TimeSpan.FromSeconds(10), Sourced<TimeSpan>.Default);
        if (Pick("containerLogMonitorInterval", null) is { } m)
        {
            // validation.go: at least 3s.
            if (Quantities.TryParseGoDuration(m.Value, out var d) && d >= TimeSpan.FromSeconds(3)) interval = new(d, m.Source);
            else Warn(m.Source, $"containerLogMonitorInterval '{m.Value}' ({Show(m.Source)}) is not a duration of at least 3s (kubelet would not start with it); 10s is assumed.");
        }
        _reporter.Verbose($"kubelet log rotation: containerLogMaxSize {size.Value} bytes ({size.Source}), containerLogMaxFiles {files.Value} ({files.Source}).");
        return new KubeletRotation(size, files, workers, interval, configFile);
    }

    /// <summary>Top-level scalars of kubelet's JSON (strings and numbers, as written) or YAML configuration.</summary>
    internal static IReadOnlyDictionary<string, string?> ReadTopLevel(byte[] content)
    {
        var text = System.Text.Encoding.UTF8.GetString(content).TrimStart('\uFEFF');
        if (!text.TrimStart().StartsWith('{')) return MinimalYaml.ReadTopLevelScalars(text);
        using var doc = JsonDocument.Parse(content.AsMemory().TrimStartBom());
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("the document is not an object");
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var p in doc.RootElement.EnumerateObject())
            result[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.GetRawText(),
                _ => null,
            };
        return result;
    }

    // ---- docker ----

    DockerDaemonLogConfig LoadDocker()
    {
        var file = NodeLayout.DockerDaemonConfig;
        var driver = new Sourced<string>("json-file", Sourced<string>.Default);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var optionsSource = Sourced<string>.Default;
        if (Read(file, "docker configuration") is not { } content) return new(driver, options, optionsSource);
        try
        {
            using var doc = JsonDocument.Parse(content.AsMemory().TrimStartBom());
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new FormatException("the document is not an object");
            if (doc.RootElement.TryGetProperty("log-driver", out var d))
            {
                if (d.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(d.GetString())) driver = new(d.GetString()!, file);
                else Warn(file, $"'log-driver' in {Show(file)} is not a driver name; docker's default json-file is assumed.");
            }
            if (doc.RootElement.TryGetProperty("log-opts", out var o))
            {
                if (o.ValueKind != JsonValueKind.Object) Warn(file, $"'log-opts' in {Show(file)} is not an object; it is ignored.");
                else
                {
                    optionsSource = file;
                    foreach (var p in o.EnumerateObject())
                    {
                        // dockerd refuses a non-string option value at start.
                        if (p.Value.ValueKind == JsonValueKind.String) options[p.Name] = p.Value.GetString()!;
                        else Warn(file, $"log-opts '{p.Name}' in {Show(file)} is not a string (dockerd would not start with it); it is ignored.");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            Warn(file, $"cannot read docker's configuration {Show(file)}: {ex.Message}; docker's defaults (json-file, no rotation) are assumed.");
        }
        return new(driver, options, optionsSource);
    }

    // ---- CRI-O ----

    Sourced<long>? LoadCriO()
    {
        Sourced<long>? result = null;
        var files = new List<string> { CrioConfig };
        var errno = _layout.Root.ReadDirectory(CrioDropInDirectory, out var entries);
        if (errno == 0)
            // CRI-O reads crio.conf, then every file of crio.conf.d in lexical order, later values winning.
            files.AddRange(entries.Where(e => e.TypeHint != Native.FileKind.Directory).Select(e => e.Name).Order(StringComparer.Ordinal).Select(n => NodePath.Combine(CrioDropInDirectory, n)));
        else if (errno is Native.Posix.EACCES or Native.Posix.EPERM)
            Warn(CrioDropInDirectory, $"cannot list CRI-O's drop-in directory {Show(CrioDropInDirectory)}: permission denied; its log_size_max is not known.");
        foreach (var file in files)
        {
            if (Read(file, "CRI-O configuration") is not { } content) continue;
            result ??= new Sourced<long>(-1, Sourced<long>.Default);
            var value = ReadCrioLogSizeMax(System.Text.Encoding.UTF8.GetString(content), out var problem);
            if (problem is not null) Warn(file, $"CRI-O configuration {Show(file)}: {problem}; it is ignored.");
            else if (value is { } v)
            {
                // CRI-O's validation: negative (no limit) or at least 8192, conmon's read buffer.
                if (v >= 0 && v < 8192) Warn(file, $"log_size_max {v} in {Show(file)} is below 8192 (CRI-O would not start with it); it is ignored.");
                else result = new(v, file);
            }
        }
        if (result is not null) _reporter.Verbose($"CRI-O log_size_max: {result.Value} ({result.Source}).");
        return result;
    }

    /// <summary><c>log_size_max</c> under <c>[crio.runtime]</c> of a TOML file; null when not set there.</summary>
    internal static long? ReadCrioLogSizeMax(string text, out string? problem)
    {
        problem = null;
        long? value = null;
        var table = "";
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            var hash = line.IndexOf('#');
            if (hash >= 0 && line.IndexOf('"') is var q && (q < 0 || q > hash)) line = line[..hash].TrimEnd();
            if (line.Length == 0) continue;
            if (line[0] == '[')
            {
                table = line.Trim('[', ']').Replace(" ", "").Replace("\"", "");
                continue;
            }
            var eq = line.IndexOf('=');
            if (eq <= 0) continue;
            var key = line[..eq].Trim().Trim('"');
            var fullKey = table.Length == 0 ? key : table + "." + key;
            if (fullKey != "crio.runtime.log_size_max") continue;
            var raw = line[(eq + 1)..].Trim().Replace("_", "");
            if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                problem = $"line {n + 1}: log_size_max '{line[(eq + 1)..].Trim()}' is not an integer";
                return null;
            }
            value = v;
        }
        return value;
    }

    // ---- logrotate ----

    IReadOnlyList<LogrotateRule> LoadLogrotate()
    {
        var rules = new List<LogrotateRule>();
        var globals = LogrotateConfig.Settings.None;
        Parse(LogrotateConfigFile, ref globals);
        var afterConf = globals;
        var errno = _layout.Root.ReadDirectory(LogrotateDropInDirectory, out var entries);
        if (errno is Native.Posix.EACCES or Native.Posix.EPERM)
            Warn(LogrotateDropInDirectory, $"cannot list logrotate's directory {Show(LogrotateDropInDirectory)}: permission denied; its rules are not known.");
        // logrotate skips backup and packaging leftovers in included directories (its default tabooext list).
        foreach (var name in entries.Where(e => e.TypeHint != Native.FileKind.Directory).Select(e => e.Name).Order(StringComparer.Ordinal))
        {
            if (name.StartsWith('.') || name.EndsWith('~') || Taboo.Any(name.EndsWith)) continue;
            var fileGlobals = afterConf;
            Parse(NodePath.Combine(LogrotateDropInDirectory, name), ref fileGlobals);
        }
        return rules;

        void Parse(string file, ref LogrotateConfig.Settings g)
        {
            if (Read(file, "logrotate configuration") is not { } content) return;
            var problems = new List<string>();
            foreach (var rule in LogrotateConfig.Parse(System.Text.Encoding.UTF8.GetString(content), ref g, problems))
            {
                var covered = Roots().Where(r => rule.Paths.Any(p => LogrotateConfig.Covers(p, r.Directory, r.Depth)))
                    .Select(r => r.Configured).Distinct().ToList();
                if (covered.Count > 0)
                    rules.Add(new LogrotateRule(file, rule.Paths, covered, rule.Settings.SizeBytes, rule.Settings.Rotate, rule.Settings.CopyTruncate));
            }
            foreach (var p in problems) Warn(file, $"logrotate configuration {Show(file)}: {p}.");
        }
    }

    static readonly string[] Taboo = [".rpmsave", ".rpmorig", ".rpmnew", ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-bak", ".dpkg-del", ".disabled", ".bak", ".swp", ",v", ".cfsaved", ".ucf-old", ".ucf-dist", ".ucf-new"];

    /// <summary>The log roots in both spellings, with how deep their log files lie.</summary>
    IEnumerable<(string Directory, string Configured, int Depth)> Roots()
    {
        foreach (var (dir, depth) in new[] { (_layout.PodLogsDirectory, 3), (_layout.ContainerLogsDirectory, 1), (_layout.DockerContainersDirectory, 2) })
        {
            yield return (dir.Configured, dir.Configured, depth);
            if (dir.Canonical != dir.Configured) yield return (dir.Canonical, dir.Configured, depth);
        }
    }

    // ---- the answer per container instance ----

    /// <summary>
    /// The answer for a container as its runtime reports it (docker: its own LogConfig from hostconfig.json). A docker source
    /// that did not read the container's options (the API's list-only fast path) leaves them to its hostconfig.json, read
    /// here: that file, not daemon.json, is what dockerd rotates the log by (daemon.json's log-opts were merged into it when
    /// the container was created; a container with its own --log-opt, or one created before daemon.json changed, differs).
    /// The source named is the node path of that hostconfig.json, whichever source read it.
    /// </summary>
    public RotationAnswer For(RuntimeKind kind, RuntimeContainer container)
    {
        if (kind != RuntimeKind.Docker || !KubernetesNames.IsContainerId(container.Id))
            return For(kind, container.LogDriver, container.LogOptions, container.StatePath);
        var hostConfig = NodePath.Combine(_layout.DockerContainersDirectory.Configured, container.Id, "hostconfig.json");
        var (driver, options) = (container.LogDriver, container.LogOptions);
        if (options is null && Read(hostConfig, "docker container configuration") is { } content)
        {
            try
            {
                var own = DockerConfig.ParseLogConfig(content, out var read);
                if (read is not null) (driver, options) = (own ?? driver, read);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                Warn(hostConfig, $"cannot read docker's container configuration {Show(hostConfig)}: {ex.Message}; daemon.json's log-opts are assumed.");
            }
        }
        return For(kind, driver, options, hostConfig);
    }

    /// <param name="dockerLogDriver">The container's LogConfig.Type (docker only).</param>
    /// <param name="dockerLogOptions">The container's LogConfig.Config; null when unknown: daemon.json's log-opts are used.</param>
    /// <param name="dockerLogSource">Where the container's options were read (its hostconfig.json).</param>
    public RotationAnswer For(RuntimeKind kind, string? dockerLogDriver = null, IReadOnlyDictionary<string, string>? dockerLogOptions = null, string? dockerLogSource = null)
    {
        var answer = kind == RuntimeKind.Docker ? ForDocker(dockerLogDriver, dockerLogOptions, dockerLogSource) : ForCri();
        var own = kind == RuntimeKind.Docker ? dockerLogOptions : null;
        var rules = kind == RuntimeKind.Docker ? _dockerRules ??= RulesCovering(true) : _criRules ??= RulesCovering(false);
        if (rules.Count == 0) return answer;
        if (answer.RotatedBy == RotationOwner.Nobody)
        {
            var rule = rules[0];
            return new RotationAnswer(RotationOwner.Logrotate, rule.File, rule.SizeBytes, rule.SizeBytes is null ? null : rule.File,
                rule.Rotate is { } r ? r + 1 : null, rule.Rotate is null ? null : rule.File) { ConflictingRules = rules.Skip(1).ToList() };
        }
        foreach (var rule in rules)
        {
            // One warning per rule and owner: docker's owner file is each container's hostconfig.json, and a node has hundreds.
            var key = rule.File + "\0" + answer.RotatedBy;
            if (!_warned.Add(key)) continue;
            _reporter.Warning($"The logrotate rule in {Show(rule.File)} ({string.Join(' ', rule.Paths)}) covers {string.Join(", ", rule.CoveredRoots)}, whose logs {answer.RotatedBy} rotates ({Describe(answer.RotatedBySource)}{(answer.RotatedBy == RotationOwner.Docker && own is not null ? ", and other containers' own LogConfig" : "")}): "
                              + (rule.CopyTruncate
                                  ? "its copytruncate races the owner's rename-and-reopen and loses or duplicates lines (kubernetes#68587)."
                                  : "two rotators cut the same files; remove the rule or stop the owner's rotation."));
        }
        return answer with { ConflictingRules = rules };
    }

    /// <summary>The logrotate rules over the roots a runtime's logs are in (asked once per container: worked out once).</summary>
    IReadOnlyList<LogrotateRule> RulesCovering(bool docker)
    {
        string[] roots = docker
            ? [_layout.PodLogsDirectory.Configured, _layout.ContainerLogsDirectory.Configured, _layout.DockerContainersDirectory.Configured]
            : [_layout.PodLogsDirectory.Configured, _layout.ContainerLogsDirectory.Configured];
        return LogrotateRules.Where(r => r.CoveredRoots.Any(roots.Contains)).ToList();
    }

    RotationAnswer ForCri()
    {
        var k = Kubelet;
        var kubeletRotates = k.MaxSize.Value > 0; // container_log_manager.go: a size ≤ 0 turns rotation off
        var kubeletSource = k.ConfigFile is not null && !k.MaxSize.IsDefault ? k.MaxSize.Source : k.ConfigFile ?? "kubelet's defaults";
        if (IsCriONode && CriOLogSizeMax is { Value: > 0 } crio)
        {
            if (!kubeletRotates || crio.Value < k.MaxSize.Value)
            {
                if (kubeletRotates) WarnOnce(crio.Source + "\0" + kubeletSource,
                    $"CRI-O cuts container logs at log_size_max {crio.Value} bytes ({Show(crio.Source)}), below kubelet's containerLogMaxSize {k.MaxSize.Value} ({Describe(kubeletSource)}): "
                    + "conmon truncates the live file before kubelet rotates it, so no rotated files are kept (cri-o#5863).");
                return new RotationAnswer(RotationOwner.CriO, crio.Source, crio.Value, crio.Source, 1, crio.Source);
            }
            WarnOnce(crio.Source + "\0" + kubeletSource,
                $"CRI-O's log_size_max {crio.Value} bytes ({Show(crio.Source)}) and kubelet's containerLogMaxSize {k.MaxSize.Value} ({Describe(kubeletSource)}) both limit container logs; kubelet rotates first, CRI-O truncates a file that outgrows it between kubelet's checks (cri-o#2501).");
        }
        if (!kubeletRotates) return new RotationAnswer(RotationOwner.Nobody, k.MaxSize.Source, null, k.MaxSize.Source, null, null);
        return new RotationAnswer(RotationOwner.Kubelet, kubeletSource, k.MaxSize.Value, k.MaxSize.Source, k.MaxFiles.Value, k.MaxFiles.Source);
    }

    RotationAnswer ForDocker(string? driver, IReadOnlyDictionary<string, string>? own, string? ownSource)
    {
        // hostconfig.json holds the options dockerd merged from daemon.json when the container was created; daemon.json
        // changed later applies to new containers only. Without them (a source that did not read them), daemon.json.
        var options = own ?? Docker.Options;
        var source = own is not null ? ownSource ?? "hostconfig.json" : Docker.OptionsSource;
        var driverName = driver ?? Docker.Driver.Value;
        var driverSource = driver is not null ? ownSource ?? "hostconfig.json" : Docker.Driver.Source;
        if (driverName is not ("json-file" or "local"))
            return new RotationAnswer(RotationOwner.Nobody, driverSource, null, null, null, null); // no log file on the node
        // moby's local driver rotates by default (20 MB, 5 files); json-file only when max-size is set (kubelet-facts.md §5).
        long? maxSize = driverName == "local" ? 20 * 1024 * 1024 : null;
        var sizeSource = driverName == "local" ? Sourced<long>.Default : null;
        int maxFiles = driverName == "local" ? 5 : 1;
        var filesSource = Sourced<int>.Default;
        if (options.TryGetValue("max-size", out var size))
        {
            if (Quantities.TryParseDockerSize(size, out var b) && b > 0) { maxSize = b; sizeSource = source; }
            else WarnOnce(source + "\0max-size\0" + size, $"docker max-size '{size}' ({Describe(source)}) is not a positive size (dockerd refuses it); it is ignored.");
        }
        if (options.TryGetValue("max-file", out var file))
        {
            if (int.TryParse(file, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) { maxFiles = n; filesSource = source; }
            else WarnOnce(source + "\0max-file\0" + file, $"docker max-file '{file}' ({Describe(source)}) is not a count of at least 1 (dockerd refuses it); it is ignored.");
        }
        if (maxSize is null) return new RotationAnswer(RotationOwner.Nobody, driverSource, null, source, null, null);
        return new RotationAnswer(RotationOwner.Docker, sizeSource == Sourced<long>.Default ? driverSource : sizeSource!, maxSize, sizeSource, maxFiles, filesSource);
    }

    // ---- reading under -Root ----

    /// <summary>A small file under -Root, or null: absent is silence, anything else unreadable is a warning naming it.</summary>
    byte[]? Read(string nodePath, string what)
    {
        var read = SafeFile.ReadNodeFile(_layout.Root, nodePath);
        if (read.Outcome == SafeReadOutcome.Ok) return read.Content;
        if (read.Outcome != SafeReadOutcome.NotFound)
            Warn(nodePath, $"cannot read the {what} {Show(nodePath)}: {SafeFile.Describe(read)}; what it says about log rotation is not known.");
        return null;
    }

    void Warn(string key, string message) => WarnOnce(key + "\0" + message, message);

    void WarnOnce(string key, string message)
    {
        if (_warned.Add(key)) _reporter.Warning(message);
    }

    /// <summary>A node path as the user can find it under -Root.</summary>
    string Show(string source) => source.StartsWith('/') ? _layout.Root.ToLocal(source) : source;

    string Describe(string source) => source.StartsWith('/') ? Show(source) : source == Sourced<long>.Default ? "default" : source;
}
