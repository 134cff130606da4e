using System.Diagnostics;
using System.Text;
using PodLogs.Core;
using PodLogs.Core.Logs;

// dotnet pwsh ./build.ps1 Benchmark -Name LogParse, or
// dotnet run -c Release --project benchmarks/LogParse -- [--size-mib 1024] [--runs 5] [--dir /tmp/podlogs-bench] [--module out/PodLogs --pwsh <pwsh>]
var sizeMiB = 1024L;
var runs = 5;
string? module = null, pwsh = null;
var dir = Path.Combine(Path.GetTempPath(), "podlogs-bench");
if (args is ["--hwm", var hwmFile])
{
    // child mode: peak RSS after loading Core and reading an empty stream, then after reading the whole file
    var empty = Path.Combine(Path.GetTempPath(), $"podlogs-empty-{Environment.ProcessId}.log");
    File.WriteAllText(empty, "2026-03-01T00:00:00Z stdout F x\n");
    using (var r = new ContainerLogReader(LogSegments.Discover(empty))) r.CountAll();
    File.Delete(empty);
    var before = Bench.VmHwmKb();
    using (var r = new ContainerLogReader(LogSegments.Discover(hwmFile))) r.CountAll();
    Console.WriteLine($"{before} {Bench.VmHwmKb()}");
    return 0;
}
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--size-mib": sizeMiB = long.Parse(args[++i]); break;
        case "--gib": sizeMiB = 1024; break;
        case "--runs": runs = int.Parse(args[++i]); break;
        case "--dir": dir = args[++i]; break;
        case "--module": module = Path.GetFullPath(args[++i]); break;
        case "--pwsh": pwsh = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
var size = sizeMiB * 1024 * 1024;
var end = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
var cri = Path.Combine(dir, $"cri-{sizeMiB}", "0.log");
var docker = Path.Combine(dir, $"docker-{sizeMiB}", "c0ffee-json.log");
Generator.Ensure(cri, size, end, json: false);
Generator.Ensure(docker, size, end, json: true);

Console.WriteLine($"PodLogs log benchmark: {sizeMiB} MiB per file, spanning 24 h, 60–400 byte lines, 5% partial records; warm page cache, median of {runs}");
Console.WriteLine($"{Environment.ProcessorCount} CPUs, .NET {Environment.Version}, load average {Bench.LoadAverage()}");
var cmdlet = module is not null && pwsh is not null ? new Cmdlet(pwsh, module, dir) : null;
if (cmdlet is null) Console.WriteLine("(no --module/--pwsh: the module's end-to-end rows are left out)");
foreach (var (name, file) in new[] { ("CRI", cri), ("docker json", docker) })
{
    Bench.Warm(file);
    var bytes = new FileInfo(file).Length;
    var segs = LogSegments.Discover(file);
    long lines = 0;
    var parse = Bench.Median(runs, () =>
    {
        using var r = new ContainerLogReader(segs, new LogReadOptions(), new CollectingReporter());
        lines = r.CountAll();
    });
    var parseCpu = Bench.LastCpu;
    var wc = Bench.Median(runs, () => Bench.Run("wc", "-l", file));
    Console.WriteLine();
    Console.WriteLine($"{name}: {file} ({bytes / 1e6:F0} MB, {lines} logical lines)");
    Console.WriteLine($"  full parse (instants, merge, UTF-8)   {parse.TotalMilliseconds,9:F1} ms  {bytes / 1e6 / parse.TotalSeconds,7:F0} MB/s   CPU {parseCpu.TotalMilliseconds:F1} ms, {bytes / 1e6 / parseCpu.TotalSeconds:F0} MB/s of CPU time");
    Console.WriteLine($"  wc -l                                 {wc.TotalMilliseconds,9:F1} ms  {bytes / 1e6 / wc.TotalSeconds,7:F0} MB/s   ratio {parse / wc:F2}x");
    IReadOnlyList<LogLine> tail = [];
    var tailIn = Bench.Median(runs, () => tail = LogTail.Read(LogSegments.Discover(file), 100));
    var tailOs = Bench.Median(runs, () => Bench.Run("tail", "-n", "100", file));
    Console.WriteLine($"  tail 100 in-process (with discovery)  {tailIn.TotalMilliseconds,9:F3} ms  ({tail.Count} lines)");
    Console.WriteLine($"  tail -n 100 (whole process)           {tailOs.TotalMilliseconds,9:F3} ms   ratio {tailIn / tailOs:F2}x");
    cmdlet?.TailEndToEnd(file, runs, tailOs);
    var since = end.AddMinutes(-1);
    LogLine? first = null;
    var sinceT = Bench.Median(runs, () =>
    {
        var s = LogSegments.Discover(file);
        var opts = new LogReadOptions { Since = since };
        using var r = new ContainerLogReader(s, opts, new CollectingReporter()); // seeks to Since by bisection
        r.TryReadRecord(out first);
    });
    Console.WriteLine($"  since last minute: first record       {sinceT.TotalMilliseconds,9:F3} ms  ({first?.TimestampText})");
    var hwm = Bench.ChildHwm(file);
    Console.WriteLine($"  peak RSS of a fresh process reading it all: {hwm.After / 1024.0:F1} MiB, {(hwm.After - hwm.Before) / 1024.0:F1} MiB above the same process after loading Core");
    cmdlet?.PeakMemory(file);
}
var small = Path.Combine(dir, "cri-1mib", "0.log");
Generator.Ensure(small, 1024 * 1024, end, json: false);
Bench.Warm(small);
var smallIn = Bench.Median(runs, () => LogTail.Read(LogSegments.Discover(small), 100));
var smallOs = Bench.Median(runs, () => Bench.Run("tail", "-n", "100", small));
Console.WriteLine();
Console.WriteLine($"1 MiB CRI file: tail 100 in-process {smallIn.TotalMilliseconds:F3} ms, tail -n 100 {smallOs.TotalMilliseconds:F3} ms, ratio {smallIn / smallOs:F2}x");
cmdlet?.TailEndToEnd(small, runs, smallOs);
if (cmdlet is not null)
{
    Console.WriteLine();
    Console.WriteLine($"Get-ContainerLog | Measure-Object vs Get-Content | Measure-Object, 100 MiB files, one warm pwsh, median of {runs}:");
    foreach (var (name, file) in new[] { ("CRI", Path.Combine(dir, "cri-100", "0.log")), ("docker json", Path.Combine(dir, "docker-100", "c0ffee-json.log")) })
    {
        Generator.Ensure(file, 100L * 1024 * 1024, end, json: name != "CRI");
        Bench.Warm(file);
        cmdlet.MeasureObject(name, file, runs);
    }
}
Console.WriteLine();
Console.WriteLine($"load average at the end {Bench.LoadAverage()}");
Console.WriteLine($"VmHWM of this process (includes generation): {Bench.VmHwm()}");
return 0;

static class Bench
{
    public static void Warm(string file)
    {
        using var fs = File.OpenRead(file);
        var buf = new byte[1 << 20];
        while (fs.Read(buf) > 0) { }
    }

    /// <summary>The median CPU time (user + system, this process) of the runs the last <see cref="Median"/> timed: on a shared machine it moves much less with load than the wall time.</summary>
    public static TimeSpan LastCpu { get; private set; }

    public static TimeSpan Median(int runs, Action a)
    {
        a(); // warm-up (JIT, page cache)
        var times = new List<TimeSpan>();
        var cpu = new List<TimeSpan>();
        using var self = Process.GetCurrentProcess();
        for (var i = 0; i < runs; i++)
        {
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            a();
            times.Add(sw.Elapsed);
            self.Refresh();
            cpu.Add(self.TotalProcessorTime - cpu0);
        }
        times.Sort();
        cpu.Sort();
        LastCpu = cpu[runs / 2];
        return times[runs / 2];
    }

    public static void Run(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardOutput.BaseStream.CopyTo(Stream.Null);
        p.WaitForExit();
    }

    public static long VmHwmKb() => long.Parse(VmHwm().Split(' ')[0]);

    public static (long Before, long After) ChildHwm(string file)
    {
        var self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") psi.ArgumentList.Add(typeof(Bench).Assembly.Location);
        psi.ArgumentList.Add("--hwm");
        psi.ArgumentList.Add(file);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd().Trim().Split(' ');
        p.WaitForExit();
        return (long.Parse(output[0]), long.Parse(output[1]));
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static string VmHwm() => File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM"))?.Split(':')[1].Trim() ?? "?";
}

/// <summary>The module as a user runs it: whole pwsh processes, and a warm pwsh, on the same files.</summary>
sealed class Cmdlet(string pwsh, string module, string dir)
{
    string Script(string name, string text)
    {
        var path = Path.Combine(dir, $"{name}-{Environment.ProcessId}.ps1");
        File.WriteAllText(path, text);
        return path;
    }

    string RunPwsh(params string[] args)
    {
        var psi = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-NoProfile", "-NonInteractive" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"pwsh {string.Join(' ', args)} exited with {p.ExitCode}: {output}");
        return output.Trim();
    }

    /// <summary>pwsh -NoProfile -c "Import-Module …; Get-ContainerLog -LiteralPath f -Tail 100" beside tail -n 100, whole processes.</summary>
    public void TailEndToEnd(string file, int runs, TimeSpan tail)
    {
        var import = Bench.Median(runs, () => RunPwsh("-c", $"Import-Module '{module}'"));
        var e2e = Bench.Median(runs, () => RunPwsh("-c", $"Import-Module '{module}'; Get-ContainerLog -LiteralPath '{file}' -Tail 100"));
        Console.WriteLine($"  pwsh -c 'Import-Module; Get-ContainerLog -Tail 100' {e2e.TotalMilliseconds,7:F0} ms   ratio to tail -n 100 {e2e / tail:F0}x (pwsh start + Import-Module alone: {import.TotalMilliseconds:F0} ms)");
    }

    /// <summary>VmHWM of a fresh pwsh after Import-Module, then after reading the whole file through the cmdlet.</summary>
    public void PeakMemory(string file)
    {
        var script = Script("hwm", """
            param($Module, $File)
            function Get-Hwm { [long]((Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', '') }
            Import-Module $Module
            $imported = Get-Hwm
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Get-ContainerLog -LiteralPath $File | Out-Null    # not $null = …, which collects every record first
            "$imported $(Get-Hwm) $($watch.Elapsed.TotalMilliseconds)"
            """);
        var parts = RunPwsh("-File", script, "-Module", module, "-File", file).Split(' ');
        File.Delete(script);
        var (imported, after, ms) = (long.Parse(parts[0]), long.Parse(parts[1]), double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
        Console.WriteLine($"  peak RSS of a fresh pwsh reading it all through Get-ContainerLog: {after / 1024.0:F1} MiB, {(after - imported) / 1024.0:F1} MiB above the same process after Import-Module ({imported / 1024.0:F1} MiB); the read took {ms / 1000:F1} s");
    }

    /// <summary>Get-ContainerLog | Measure-Object and Get-Content | Measure-Object in one warm pwsh, alternating.</summary>
    public void MeasureObject(string name, string file, int runs)
    {
        var script = Script("measure", """
            param($Module, $File, [int] $Runs)
            Import-Module $Module
            $module = @(); $content = @()
            foreach ($i in 0..$Runs) {
                $m = (Measure-Command { $script:records = (Get-ContainerLog -LiteralPath $File | Measure-Object).Count }).TotalMilliseconds
                $c = (Measure-Command { $script:lines = (Get-Content -LiteralPath $File | Measure-Object).Count }).TotalMilliseconds
                if ($i -gt 0) { $module += $m; $content += $c }    # the first round warms up
            }
            $median = { param($x) ($x | Sort-Object)[[math]::Floor($x.Count / 2)] }
            "$(& $median $module) $(& $median $content) $records $lines"
            """);
        var parts = RunPwsh("-File", script, "-Module", module, "-File", file, "-Runs", runs.ToString()).Split(' ');
        File.Delete(script);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var (m, c) = (double.Parse(parts[0], inv), double.Parse(parts[1], inv));
        var mb = new FileInfo(file).Length / 1e6;
        Console.WriteLine($"  {name,-12} Get-ContainerLog | Measure-Object {m,8:F0} ms ({mb / m * 1000:F0} MB/s, {parts[2]} records)   Get-Content | Measure-Object {c,8:F0} ms ({parts[3]} lines)   ratio {m / c:F2}x");
    }
}

static class Generator
{
    const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;-_=/";

    public static void Ensure(string path, long size, DateTimeOffset end, bool json)
    {
        if (File.Exists(path) && new FileInfo(path).Length >= size) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var sw = Stopwatch.StartNew();
        var rng = new Random(42);
        var approxLines = size / 235;
        var start = end.AddHours(-24);
        var stepTicks = TimeSpan.FromHours(24).Ticks / approxLines;
        var tmp = path + ".partial";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            long written = 0, n = 0;
            var content = new StringBuilder();
            var t = start;
            while (written < size)
            {
                // keep the span at 24 h whatever the real line sizes turn out to be
                if (n++ % 1000 == 999) stepTicks = Math.Max(1, (end - t).Ticks / Math.Max(1, (size - written) / Math.Max(1, written / n)));
                t = t.AddTicks(stepTicks);
                if (t >= end) t = end.AddTicks(-1);
                var stream = rng.Next(10) == 0 ? "stderr" : "stdout";
                var total = rng.Next(60, 401) - (json ? 70 : 40); // header overhead
                content.Clear();
                for (var k = 0; k < Math.Max(total, 8); k++) content.Append(Alphabet[rng.Next(Alphabet.Length)]);
                if (json && rng.Next(20) == 0) content.Append("\t\"quoted\" \\ é");
                var text = content.ToString();
                var partial = rng.Next(100) < 5;
                var pieces = partial ? new[] { text[..(text.Length / 3)], text[(text.Length / 3)..(2 * text.Length / 3)], text[(2 * text.Length / 3)..] } : new[] { text };
                for (var p = 0; p < pieces.Length; p++)
                {
                    var last = p == pieces.Length - 1;
                    var ts = Stamp(t);
                    var line = json
                        ? $"{{\"log\":{System.Text.Json.JsonSerializer.Serialize(pieces[p] + (last ? "\n" : ""), JsonOpts)},\"stream\":\"{stream}\",\"time\":\"{ts}\"}}\n"
                        : $"{ts} {stream} {(last ? 'F' : 'P')} {pieces[p]}\n";
                    var bytes = Encoding.UTF8.GetBytes(line);
                    fs.Write(bytes);
                    written += bytes.Length;
                }
            }
        }
        File.Move(tmp, path, true);
        Console.WriteLine($"generated {path} in {sw.Elapsed.TotalSeconds:F1} s");
    }

    static readonly System.Text.Json.JsonSerializerOptions JsonOpts = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>containerd style: RFC3339Nano with trailing zeros of the fraction trimmed.</summary>
    static string Stamp(DateTimeOffset t)
    {
        var s = t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffff").TrimEnd('0').TrimEnd('.');
        return s + "Z";
    }
}
