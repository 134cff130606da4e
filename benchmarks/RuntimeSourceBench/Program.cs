// RuntimeSourceBench: what a live runtime source costs Get-ContainerLogLink, on one node holding a real
// dockerd's dockershim-style containers and a real containerd's CRI pods (issue: "a live source costs at
// most 2x None warm"). A benchmark, not a test: it prints a table; it exits non-zero only when the setup
// or the sanity checks fail.
//
// Must run as root inside `unshare --mount --propagation private` (NodeNamespace bind-mounts the node tree
// over /var/log and /var/lib/docker). `dotnet pwsh ./build.ps1 Benchmark -Name RuntimeSourceBench` does it.
// By hand (after `dotnet pwsh ./build.ps1 Build`):
//   unshare --mount --propagation private -- dotnet run --project benchmarks/RuntimeSourceBench -c Release -- \
//     --module out/PodLogs --pwsh <pwsh> [--docker-pods 40] [--cri-pods 50] [--warm 5]
//     [--compare <label>=<another build of out/PodLogs>]... [--compare-rounds 3]   (A/B of builds on the same node)
//     [--hold]   (set up, print -Root and the endpoints, wait for SIGINT/SIGTERM: for profiling by hand)

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Docker.DotNet.Models;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;
using PodLogs.Runtime;
using PodLogs.Runtime.Tests;
using PodLogs.Runtime.Tests.Harness;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var options = BenchOptions.Parse(args);
if (options is null) return 2;
using var stop = new CancellationTokenSource();
// Ctrl+C, SIGTERM, SIGHUP and SIGQUIT stop the run and still tear everything down (the daemons are ours).
void OnSignal(PosixSignalContext context)
{
    context.Cancel = true;
    if (!stop.IsCancellationRequested) Console.Error.WriteLine($"{context.Signal}: stopping, tearing down.");
    stop.Cancel();
}
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
using var onHup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
using var onQuit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);

// The machine may be shared: the daemons, the shims and the measuring pwsh (all children, inheriting it) run
// at a higher priority than other work, so that work skews the numbers less.
var priority = "normal priority";
try
{
    Process.GetCurrentProcess().PriorityClass = ProcessPriorityClass.High;
    priority = "high priority (nice -11, inherited by the daemons and pwsh)";
}
catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or UnauthorizedAccessException) { }
string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

var setup = Stopwatch.StartNew();
NodeNamespace? node = null;
DockerDaemon? docker = null;
ContainerdHarness? containerd = null;
var failed = false;
try
{
    node = new NodeNamespace();
    docker = new DockerDaemon(node);
    var dockerPods = Bench.StartDockerPods(new DockershimEmulator(docker), options.DockerPods, stop.Token);
    Console.WriteLine($"setup: dockerd and {dockerPods.Count} dockershim containers in {setup.Elapsed.TotalSeconds:0.0} s");

    containerd = new ContainerdHarness(importImages: true, nodeRoot: node.Root);
    await containerd.InitializeAsync();
    var criLinked = await Bench.StartCriPods(containerd, options.CriPods, stop.Token);
    Console.WriteLine($"setup: containerd and {options.CriPods} CRI pods ({criLinked} legacy links) in {setup.Elapsed.TotalSeconds:0.0} s total");
    stop.Token.ThrowIfCancellationRequested();

    var target = new BenchTarget(node.Root, "unix:///" + Path.GetRelativePath(node.Root, docker.Socket), ContainerdHarness.Endpoint);
    if (options.Hold)
    {
        // For profiling by hand: the node stays up until Ctrl+C or SIGTERM.
        Console.WriteLine($"holding (pid {Environment.ProcessId}; SIGINT or SIGTERM tears down): -Root {target.Root} -DockerEndpoint {target.DockerEndpoint} -CriEndpoint {target.CriEndpoint} (docker socket {docker.Socket})");
        var holdFile = Path.Combine(Path.GetTempPath(), "podlogs-bench-hold.env");
        File.WriteAllText(holdFile, $"ROOT={target.Root}\nDOCKER_EP={target.DockerEndpoint}\nCRI_EP={target.CriEndpoint}\nDOCKER_SOCK={docker.Socket}\n");
        try { await Task.Delay(Timeout.Infinite, stop.Token); } catch (OperationCanceledException) { }
        File.Delete(holdFile);
        return 0;
    }
    var report = new Report(options, target, dockerPods) { Priority = priority, LoadAtStart = LoadAverage() };
    report.Module = Bench.RunPwshSession(options, target, Bench.Sources, options.Warm, records: true);
    foreach (var source in Bench.Sources)
    {
        stop.Token.ThrowIfCancellationRequested();
        report.FreshCold[source] = Bench.RunPwshSession(options, target, [source], warm: 0, records: false).Results.Single();
    }
    stop.Token.ThrowIfCancellationRequested();
    report.InProcess = Bench.MeasureInProcess(target, docker.Socket, options.Warm);
    failed = !report.Print();
    if (options.Compare.Count > 0)
        Bench.CompareModules(options, target, stop.Token);
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Console.Error.WriteLine("RuntimeSourceBench failed: " + ex);
    failed = true;
}
catch (OperationCanceledException)
{
    failed = true;
}
finally
{
    var teardown = Stopwatch.StartNew();
    if (containerd is not null) await containerd.DisposeAsync();
    if (docker is not null)
    {
        Bench.RemoveAllContainers(docker);
        docker.Dispose();
    }
    node?.Dispose();
    Console.WriteLine($"teardown: {teardown.Elapsed.TotalSeconds:0.0} s");
}
return failed ? 1 : 0;

sealed record BenchOptions(string ModulePath, string Pwsh, int DockerPods, int CriPods, int Warm, bool Hold,
    IReadOnlyList<(string Label, string Path)> Compare, int CompareRounds)
{
    public const int ContainersPerDockerPod = 5;

    public static BenchOptions? Parse(string[] args)
    {
        string? module = null, pwsh = null;
        int dockerPods = 40, criPods = 50, warm = 5;
        var hold = false;
        var compare = new List<(string, string)>();
        var compareRounds = 3;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--module": module = Path.GetFullPath(Next()); break;
                case "--pwsh": pwsh = Next(); break;
                case "--docker-pods": dockerPods = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--cri-pods": criPods = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warm": warm = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--hold": hold = true; break;
                case "--compare":
                    var spec = Next();
                    var eq = spec.IndexOf('=');
                    if (eq <= 0) throw new ArgumentException("--compare takes <label>=<module directory>");
                    compare.Add((spec[..eq], Path.GetFullPath(spec[(eq + 1)..])));
                    break;
                case "--compare-rounds": compareRounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                default:
                    Console.Error.WriteLine($"Unknown argument {args[i]}.");
                    module = null;
                    i = args.Length;
                    break;
            }
        }
        if (module is null || pwsh is null || !File.Exists(Path.Combine(module, "PodLogs.psd1")))
        {
            Console.Error.WriteLine("Usage: RuntimeSourceBench --module <out/PodLogs> --pwsh <pwsh> [--docker-pods 40] [--cri-pods 50] [--warm 5] [--hold] [--compare <label>=<module dir>]... [--compare-rounds 3]\n" +
                                    "(the module must be built: dotnet pwsh ./build.ps1 Build; run as root inside unshare --mount --propagation private)");
            return null;
        }
        if (compare.Any(c => !File.Exists(Path.Combine(c.Item2, "PodLogs.psd1"))))
        {
            Console.Error.WriteLine("A --compare module directory holds no PodLogs.psd1.");
            return null;
        }
        return new BenchOptions(module, pwsh, dockerPods, criPods, warm, hold, compare, compareRounds);
    }
}

/// <summary>What the module is pointed at: the one node root, and both daemons' sockets as node paths under it.</summary>
sealed record BenchTarget(string Root, string DockerEndpoint, string CriEndpoint);

sealed record DockerContainerSpec(string Name, int Attempt, bool Running);

static class Bench
{
    /// <summary>The sources timed through the module, in this order (the session's cold column depends on it).</summary>
    public static readonly string[] Sources = ["None", "DockerFiles", "Docker", "Cri"];

    /// <summary>Per pod: an init container and two failed app attempts (exited), the current app attempt and a sidecar (running).</summary>
    public static readonly DockerContainerSpec[] DockerPodShape =
    [
        new("init", 0, false), new("app", 0, false), new("app", 1, false), new("app", 2, true), new("sidecar", 0, true),
    ];

    const string ExitedCommand = "echo starting; echo done";
    const string RunningCommand = "echo starting; exec sleep 2147483647";

    /// <summary>Pods in parallel (containers of one pod in order, as kubelet starts them): create, start, link.</summary>
    public static List<PodContainer> StartDockerPods(DockershimEmulator dockershim, int pods, CancellationToken ct)
    {
        var started = new List<PodContainer>();
        Parallel.For(0, pods, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, i =>
        {
            var ns = $"team-{i % 4}";
            var pod = $"web-{i:D3}-7d9f8c6b5-x2k4q";
            var uid = Guid.NewGuid().ToString();
            foreach (var spec in DockerPodShape)
            {
                var c = dockershim.Start(ns, pod, uid, spec.Name, spec.Attempt, spec.Running ? RunningCommand : ExitedCommand);
                lock (started) started.Add(c);
            }
        });
        return started;
    }

    /// <summary>Pods through the kubelet emulator, a few at a time: one running container each. Returns how many legacy links kubelet made.</summary>
    public static async Task<int> StartCriPods(ContainerdHarness containerd, int pods, CancellationToken ct)
    {
        var linked = 0;
        await Parallel.ForAsync(0, pods, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, _) =>
        {
            var pod = await containerd.Kubelet.RunPodAsync($"cri-{i % 5}", $"api-{i:D3}-5f6d7c8b9-q8w7e");
            var c = await containerd.Kubelet.StartContainerAsync(pod, "server", 0, ContainerProgram.PrintLines(3));
            if (c.LegacyLinkCreated) Interlocked.Increment(ref linked);
        });
        return linked;
    }

    public static void RemoveAllContainers(DockerDaemon docker)
    {
        try
        {
            var all = docker.Client.Containers.ListContainersAsync(new ContainersListParameters { All = true }).GetAwaiter().GetResult();
            Parallel.ForEach(all, new ParallelOptions { MaxDegreeOfParallelism = 8 }, c =>
                docker.Client.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true }).GetAwaiter().GetResult());
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine("removing docker containers: " + ex.Message);
        }
    }

    /// <summary>One fresh pwsh running Measure.ps1 for the given sources.</summary>
    public static PwshSession RunPwshSession(BenchOptions options, BenchTarget target, string[] sources, int warm, bool records, string? modulePath = null)
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"podlogs-bench-{Guid.NewGuid():N}.json");
        var psi = new ProcessStartInfo(options.Pwsh) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-NoProfile", "-NonInteractive", "-File", Path.Combine(AppContext.BaseDirectory, "Measure.ps1"),
                     "-ModulePath", modulePath ?? options.ModulePath, "-Root", target.Root, "-DockerEndpoint", target.DockerEndpoint, "-CriEndpoint", target.CriEndpoint,
                     "-Source", string.Join(',', sources), "-Warm", warm.ToString(CultureInfo.InvariantCulture), "-OutFile", outFile })
            psi.ArgumentList.Add(a);
        if (!records) psi.ArgumentList.Add("-NoRecords");
        foreach (var (k, v) in new Dictionary<string, string> { ["NO_COLOR"] = "1", ["POWERSHELL_TELEMETRY_OPTOUT"] = "1", ["POWERSHELL_UPDATECHECK"] = "Off" })
            psi.Environment[k] = v;
        var wall = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        wall.Stop();
        try
        {
            if (p.ExitCode != 0 || !File.Exists(outFile))
                throw new InvalidOperationException($"pwsh Measure.ps1 -Source {string.Join(',', sources)} failed ({p.ExitCode}):\n{stdout.Result}\n{stderr}");
            var session = JsonSerializer.Deserialize<PwshSession>(File.ReadAllText(outFile))!;
            session.WallMs = wall.Elapsed.TotalMilliseconds;
            return session;
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    /// <summary>
    /// Several builds of the module on the same node: rounds of one fresh pwsh session per build, the builds
    /// interleaved within each round, so load on the machine falls on all of them alike. Per build and source:
    /// the median over the rounds of each session's cold call and warm median.
    /// </summary>
    public static void CompareModules(BenchOptions options, BenchTarget target, CancellationToken ct)
    {
        var builds = new List<(string Label, string Path)> { ("this build", options.ModulePath) };
        builds.AddRange(options.Compare);
        var sessions = builds.ToDictionary(b => b.Label, _ => new List<PwshSession>());
        for (var round = 0; round < options.CompareRounds; round++)
            foreach (var (label, path) in builds)
            {
                ct.ThrowIfCancellationRequested();
                sessions[label].Add(RunPwshSession(options, target, Sources, options.Warm, records: false, path));
            }
        Console.WriteLine();
        Console.WriteLine($"Builds compared on this node ({options.CompareRounds} rounds of one fresh pwsh per build, interleaved; " +
                          $"medians over the rounds of each session's cold call and warm median of {options.Warm}; load average now {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}):");
        Console.WriteLine($"{"Build",-14} {"Module",-40} " + string.Join(" ", Sources.Select(s => $"{s + " cold/warm (x None)",-32}")));
        foreach (var (label, path) in builds)
        {
            var noneWarm = Median(sessions[label].Select(x => x.Results.Single(r => r.Source == "None").WarmMedian).ToList());
            var cells = Sources.Select(source =>
            {
                var cold = Median(sessions[label].Select(x => x.Results.Single(r => r.Source == source).ColdMs).ToList());
                var warm = Median(sessions[label].Select(x => x.Results.Single(r => r.Source == source).WarmMedian).ToList());
                return $"{$"{cold:0} / {warm:0.0} ms ({warm / noneWarm:0.00}x)",-32}";
            });
            Console.WriteLine($"{label,-14} {Shorten(path),-40} " + string.Join(" ", cells));
        }
    }

    static string Shorten(string path) => path.Length <= 40 ? path : "..." + path[^37..];

    /// <summary>
    /// Where the time goes, in this process (no PowerShell): the layout, each source's read, the inspection
    /// given that source's snapshot, and the whole command (ModuleUnderTest: what the cmdlet runs). Cold = the
    /// first call in this process.
    /// </summary>
    public static List<InProcessResult> MeasureInProcess(BenchTarget t, string dockerSocket, int warm)
    {
        var timeout = TimeSpan.FromSeconds(30);
        var reporter = new CollectingReporter();
        NodeLayout Layout() => NodeLayout.Load(new NodeLayoutOptions { Root = t.Root }, reporter);
        var layout = Layout();
        var results = new List<InProcessResult> { Time("layout: NodeLayout.Load", warm, () => Layout() is null ? 0 : 1) };

        var readers = new (string What, Func<RuntimeSnapshot?> Read)[]
        {
            ("DockerFiles", () => new DockerFileSource().Read(layout, reporter, default)),
            ("Docker", () => RuntimeSources.CreateDocker(t.DockerEndpoint, timeout).Read(layout, reporter, default)),
            ("Docker, inspecting every container", () => RuntimeSources.CreateDockerInspectingAll(t.DockerEndpoint, timeout).Read(layout, reporter, default)),
            ("Cri", () => RuntimeSources.CreateCri(t.CriEndpoint, timeout).Read(layout, reporter, default)),
        };
        var snapshots = new Dictionary<string, RuntimeSnapshot?> { ["None"] = null };
        foreach (var (what, read) in readers)
        {
            results.Add(Time($"read: {what}", warm, () => read()?.Containers.Count ?? 0));
            snapshots[what] = read();
        }
        results.Add(Time("  docker: GET /info (new client)", warm, () =>
        {
            using var c = new Docker.DotNet.DockerClientConfiguration(new Uri("unix://" + dockerSocket)).CreateClient();
            return (int)c.System.GetSystemInfoAsync().GetAwaiter().GetResult().Containers;
        }));
        results.Add(Time("  docker: GET /containers/json, label filter (new client)", warm, () =>
        {
            using var c = new Docker.DotNet.DockerClientConfiguration(new Uri("unix://" + dockerSocket)).CreateClient();
            return c.Containers.ListContainersAsync(new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { ["io.kubernetes.docker.type=container"] = true } },
            }).GetAwaiter().GetResult().Count;
        }));
        foreach (var what in new[] { "None", "DockerFiles", "Docker", "Cri" })
        {
            var snapshot = snapshots[what];
            results.Add(Time($"inspect: {what} snapshot given", warm, () => new LinkInspector(layout, snapshot, reporter).InspectNode(LogSelection.All).Count()));
        }
        foreach (var kind in new[] { RuntimeSourceKind.None, RuntimeSourceKind.DockerFiles, RuntimeSourceKind.Docker, RuntimeSourceKind.Cri })
        {
            var o = new RuntimeSourceOptions { Kind = kind, DockerEndpoint = t.DockerEndpoint, CriEndpoint = t.CriEndpoint, Timeout = timeout };
            results.Add(Time($"command (layout+read+inspect): {kind}", warm, () => ModuleUnderTest.Inspect(o, t.Root).Links.Count));
        }
        if (reporter.Errors.Count > 0)
            throw new InvalidOperationException("in-process reads reported errors: " + string.Join("; ", reporter.Errors.Select(e => e.Message)));
        return results;
    }

    static InProcessResult Time(string what, int warm, Func<int> run)
    {
        var sw = Stopwatch.StartNew();
        var count = run();
        var cold = sw.Elapsed.TotalMilliseconds;
        var times = new double[warm];
        for (var i = 0; i < warm; i++)
        {
            sw.Restart();
            run();
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        return new InProcessResult(what, count, cold, times);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}

sealed record InProcessResult(string What, int Count, double ColdMs, double[] WarmMs)
{
    public double WarmMedian => Bench.Median(WarmMs);
}

sealed class PwshSession
{
    public double ImportMs { get; set; }
    public List<PwshResult> Results { get; set; } = [];
    public double WallMs { get; set; }
}

sealed class PwshResult
{
    public string Source { get; set; } = "";
    public int Count { get; set; }
    public double ColdMs { get; set; }
    public List<double> WarmMs { get; set; } = [];
    public List<string> Errors { get; set; } = [];
    public List<PwshRecord> Records { get; set; } = [];
    public double WarmMedian => Bench.Median(WarmMs);
}

sealed class PwshRecord
{
    public string NodePath { get; set; } = "";
    public string Kind { get; set; } = "";
    public string Status { get; set; } = "";
    public string State { get; set; } = "";
    public string? ContainerId { get; set; }
    public int? RestartCount { get; set; }
    public string? Source { get; set; }
    public string Compared => $"{Kind} {Status} {State} {ContainerId} {RestartCount}";
}

sealed class Report(BenchOptions options, BenchTarget target, List<PodContainer> dockerContainers)
{
    public PwshSession Module { get; set; } = new();
    public Dictionary<string, PwshResult> FreshCold { get; } = [];
    public List<InProcessResult> InProcess { get; set; } = [];
    const double Target = 2.0;
    public string Priority { get; init; } = "";
    public string LoadAtStart { get; init; } = "";

    /// <summary>Prints everything; false when a sanity check failed.</summary>
    public bool Print()
    {
        var ok = true;
        var running = dockerContainers.Count(c => Bench.DockerPodShape.Single(s => s.Name == c.ContainerName && s.Attempt == c.Attempt).Running);
        Console.WriteLine();
        Console.WriteLine($"Node {target.Root}: {dockerContainers.Count} dockershim containers in dockerd ({options.DockerPods} pods x {BenchOptions.ContainersPerDockerPod}; " +
                          $"{running} running, {dockerContainers.Count - running} exited) + {options.CriPods} containerd pods (1 running container each)");
        Console.WriteLine($"Get-ContainerLogLink -Root <node> -DockerEndpoint {target.DockerEndpoint} -CriEndpoint {target.CriEndpoint} -Source <X> | Measure-Object");
        Console.WriteLine($"pwsh {Path.GetFileName(options.Pwsh)}; Import-Module {Module.ImportMs:0} ms; {Environment.ProcessorCount} cores; warm = median of {options.Warm}; " +
                          "cold = first call with that -Source in the session (order None, DockerFiles, Docker, Cri); new pwsh = first call in a fresh pwsh after Import-Module; warm calls round-robin over the sources");
        Console.WriteLine($"{Priority}; load average (1/5/15 min) before measuring {LoadAtStart}, after {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))} (other work on the machine skews every number)");
        Console.WriteLine();
        var none = Module.Results.Single(r => r.Source == "None");
        Console.WriteLine($"{"Source",-12} {"Records",7} {"Cold ms",9} {"Cold ms",9} {"Warm ms",9} {"Warm min-max",15} {"Warm/None",10}  {"Target <=2x",-11}");
        Console.WriteLine($"{"",-12} {"",7} {"(session)",9} {"(new pwsh)",9} {"(median)",9} {"",15} {"",10}  {"",-11}");
        foreach (var r in Module.Results)
        {
            var ratio = r.WarmMedian / none.WarmMedian;
            var verdict = r.Source == "None" ? "" : ratio <= Target ? "met" : "MISSED";
            var fresh = FreshCold.TryGetValue(r.Source, out var f) ? f.ColdMs : double.NaN;
            Console.WriteLine($"{r.Source,-12} {r.Count,7} {r.ColdMs,9:0.0} {fresh,9:0.0} {r.WarmMedian,9:0.0} {$"{r.WarmMs.Min():0.0}-{r.WarmMs.Max():0.0}",15} {ratio,9:0.00}x  {verdict,-11}");
        }

        Console.WriteLine();
        Console.WriteLine("Status per source (records from one more, untimed call):");
        foreach (var r in Module.Results)
        {
            var breakdown = string.Join(", ", r.Records.GroupBy(x => x.Status).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}"));
            var sources = string.Join(", ", r.Records.GroupBy(x => x.Source ?? "(none)").Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"  {r.Source,-12} {breakdown}   [facts from: {sources}]");
            if (r.Errors.Count > 0)
            {
                ok = false;
                Console.WriteLine($"  ERROR: {r.Source} wrote {r.Errors.Count} errors, first: {r.Errors[0]}");
            }
            if (r.Count != r.Records.Count)
            {
                ok = false;
                Console.WriteLine($"  ERROR: {r.Source} gave {r.Count} records when timed, {r.Records.Count} untimed.");
            }
        }

        var expected = 2 * dockerContainers.Count + 2 * options.CriPods;
        if (none.Count != expected)
        {
            ok = false;
            Console.WriteLine($"  ERROR: None found {none.Count} entries; the node holds {expected} (N.log and legacy link per container).");
        }
        // Each source knows only its own runtime's pods (docker's are web-*, containerd's api-*): its own must all be Healthy.
        static bool IsDockerPod(PwshRecord x) => x.NodePath.Contains("_web-", StringComparison.Ordinal) || x.NodePath.Contains("/web-", StringComparison.Ordinal);
        var docker = Module.Results.Single(r => r.Source == "Docker");
        var files = Module.Results.Single(r => r.Source == "DockerFiles");
        var byPath = files.Records.ToDictionary(x => x.NodePath);
        var differ = docker.Records.Where(x => !byPath.TryGetValue(x.NodePath, out var y) || y.Compared != x.Compared).ToList();
        Console.WriteLine($"  Docker vs DockerFiles: {docker.Records.Count} vs {files.Records.Count} records, {differ.Count} differ in kind/status/state/id/restart count");
        if (differ.Count > 0 || docker.Records.Count != files.Records.Count)
        {
            ok = false;
            foreach (var x in differ.Take(5))
                Console.WriteLine($"  ERROR: {x.NodePath}: Docker '{x.Compared}' vs DockerFiles '{(byPath.TryGetValue(x.NodePath, out var y) ? y.Compared : "absent")}'");
        }
        foreach (var (source, own, expectedOwn) in new[] { ("Docker", true, 2 * dockerContainers.Count), ("DockerFiles", true, 2 * dockerContainers.Count), ("Cri", false, 2 * options.CriPods) })
        {
            var records = Module.Results.Single(r => r.Source == source).Records;
            var mine = records.Where(x => IsDockerPod(x) == own).ToList();
            var healthy = mine.Count(x => x.Status == "Healthy" && x.ContainerId is not null);
            var others = string.Join(", ", records.Where(x => IsDockerPod(x) != own).GroupBy(x => x.Status).Select(g => $"{g.Key} {g.Count()}"));
            Console.WriteLine($"  {source}: {healthy} of its own runtime's {expectedOwn} entries Healthy with a container id; the other runtime's entries: {others}");
            if (healthy != expectedOwn || mine.Count != expectedOwn) ok = false;
        }

        Console.WriteLine();
        Console.WriteLine("In process (the benchmark's own process, no PowerShell; cold = first call in this process, after the pwsh runs):");
        Console.WriteLine($"{"What",-58} {"Count",6} {"Cold ms",9} {"Warm ms",9} {"Warm min-max",15}");
        foreach (var r in InProcess)
            Console.WriteLine($"{r.What,-58} {r.Count,6} {r.ColdMs,9:0.0} {r.WarmMedian,9:0.0} {$"{r.WarmMs.Min():0.0}-{r.WarmMs.Max():0.0}",15}");
        var fast = InProcess.Single(r => r.What == "read: Docker");
        var all = InProcess.Single(r => r.What == "read: Docker, inspecting every container");
        Console.WriteLine($"Docker's two ways: LogPath derived from /info for started json-file containers {fast.WarmMedian:0.0} ms warm, " +
                          $"inspecting all {all.Count} containers {all.WarmMedian:0.0} ms: {all.WarmMedian / fast.WarmMedian:0.0}x.");
        Console.WriteLine();
        Console.WriteLine(ok ? "Sanity checks passed." : "Sanity checks FAILED.");
        return ok;
    }
}
