using System.Diagnostics;
using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;
using PodLogsBench;

// dotnet run -c Release --project benchmarks/LinkScanProfile -- [--root DIR] [--pods 1000] [--docker] [--runs 10] [--source Auto] [--keep] [--alloc] [--retain]
// What Get-ContainerLogLink runs in Core (layout, runtime state, inspection), without PowerShell: each call's
// wall time, user and system CPU, bytes allocated, collections, GC pause and methods jitted. Without --root it
// writes LinkScan.ps1's node (BenchNode.cs; --docker adds config.v2.json) into a temporary directory and uses
// it as -Root (--keep leaves it there, for strace or perf runs with --root); --root / inside the benchmark's mount namespace measures the same tree at its node paths.
string? root = null;
var pods = 1000;
var docker = false;
var runs = 10;
var source = RuntimeSourceKind.Auto;
var keep = false;
AllocationSampler? sampler = null;
var retain = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--root": root = args[++i]; break;
        case "--pods": pods = int.Parse(args[++i]); break;
        case "--docker": docker = true; break;
        case "--keep": keep = true; break;
        case "--alloc": sampler = new AllocationSampler(); break;
        case "--retain": retain = true; break;
        case "--runs": runs = int.Parse(args[++i]); break;
        case "--source": source = Enum.Parse<RuntimeSourceKind>(args[++i], ignoreCase: true); break;
        case "--module" or "--pwsh": i++; break; // passed by build.ps1 Benchmark; the module is not used here
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}

string? tree = null;
if (root is null)
{
    root = tree = Path.Combine(Path.GetTempPath(), $"podlogs-profile-{Guid.NewGuid():N}"[..24]);
    var containers = BenchNode.Plan(pods, 3, 2, 20261126);
    BenchNode.WriteLogs(tree, containers);
    if (docker) BenchNode.WriteDockerState(tree, containers);
}
try
{
    Console.WriteLine($"root {root}, source {source}, .NET {Environment.Version}, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg")[..14]}");
    Console.WriteLine("run   wall ms  user ms   sys ms   alloc MB  gen0 gen1 gen2  GC pause ms  jitted  records  contended  promoted MB");
    var reporter = new CollectingReporter();
    for (var run = 0; run <= runs; run++)
    {
        var (u0, s0) = CpuTicks();
        var a0 = GC.GetTotalAllocatedBytes(precise: true);
        var g = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var pause = GC.GetTotalPauseDuration();
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var contended = Monitor.LockContentionCount;
        var sw = Stopwatch.StartNew();
        var count = Scan(root, source, reporter, retain);
        sw.Stop();
        var (u1, s1) = CpuTicks();
        Console.WriteLine($"{(run == 0 ? "cold" : run.ToString()),-4} {sw.Elapsed.TotalMilliseconds,8:0.0} {(u1 - u0) * 10,8} {(s1 - s0) * 10,8} {(GC.GetTotalAllocatedBytes(true) - a0) / 1048576.0,10:0.0}" +
                          $" {GC.CollectionCount(0) - g.Item1,5}{GC.CollectionCount(1) - g.Item2,5}{GC.CollectionCount(2) - g.Item3,5}" +
                          $" {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds,12:0.0} {System.Runtime.JitInfo.GetCompiledMethodCount() - jitted,7} {count,8} {Monitor.LockContentionCount - contended,10} {GC.GetGCMemoryInfo(GCKind.Ephemeral).PromotedBytes / 1048576.0,12:0.0}");
    }
    sampler?.Print(runs + 1);
    foreach (var f in reporter.Errors.Take(3)) Console.WriteLine($"error: {f.Message}");
    return reporter.Errors.Count == 0 ? 0 : 1;
}
finally
{
    if (tree is not null && keep) Console.WriteLine($"kept {tree}");
    else if (tree is not null) Directory.Delete(tree, recursive: true);
}

static int Scan(string root, RuntimeSourceKind source, IPodLogsReporter reporter, bool retain)
{
    var layout = NodeLayout.Load(new NodeLayoutOptions { Root = root }, reporter);
    var (runtime, effective) = new RuntimeSourceSelector(null, reporter).Select(layout, new RuntimeSourceOptions { Kind = source }, default);
    var records = new List<ContainerLogLink>();
    var n = 0;
    foreach (var record in new LinkInspector(effective, runtime, reporter).InspectNode(LogSelection.All))
    {
        n++;
        if (retain) records.Add(record);
    }
    if (retain) Retained.Records = records;
    return n;
}

// utime and stime of this process from /proc/self/stat, in clock ticks (10 ms).
static (long User, long System) CpuTicks()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(f[11]), long.Parse(f[12]));
}

/// <summary>
/// --alloc: the runtime's allocation samples (GCAllocationTick, one per ~100 KB allocated) summed by type, so a
/// change's effect on what a scan allocates can be seen without a tracing tool. Figures are estimates per call.
/// </summary>
sealed class AllocationSampler : System.Diagnostics.Tracing.EventListener
{
    readonly Dictionary<string, long> _bytes = new();

    protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
            EnableEvents(source, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
    }

    protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs e)
    {
        if (e.EventName is not "GCAllocationTick_V4" || e.Payload is null) return;
        var type = e.Payload[e.PayloadNames!.IndexOf("TypeName")] as string ?? "?";
        var amount = Convert.ToInt64(e.Payload[e.PayloadNames.IndexOf("AllocationAmount64")]);
        lock (_bytes) _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
    }

    public void Print(int calls)
    {
        Console.WriteLine("allocated per call, by type (sampled):");
        lock (_bytes)
            foreach (var (type, bytes) in _bytes.OrderByDescending(kv => kv.Value).Take(25))
                Console.WriteLine($"  {bytes / calls / 1048576.0,7:0.00} MB  {type}");
    }
}

/// <summary>
/// --retain: each call's records kept until the next call has made its own, as <c>$r = Get-ContainerLogLink</c> does in
/// pwsh (LinkScan.ps1's shape), so they are live through the collections of the next call.
/// </summary>
static class Retained
{
    public static List<ContainerLogLink>? Records;
}
