#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Benchmarks 'Get-ContainerLogHandle -Deleted' against lsof +L1 and find over /proc (issue #13 item 6).
.DESCRIPTION
    Writes a CRI node of -Processes pods x 5 containers x 2 restarts (BenchNode.cs; by default 500 pods, 5,000
    /var/log/pods/<ns>_<pod>_<uid>/<container>/<N>.log regular files) into a temporary directory, and runs one pwsh in a
    private mount namespace where the tree is at /var/log (BenchTools' Invoke-OnNodeTree), with its own pid namespace and
    /proc (unshare --pid --fork --mount-proc). That pwsh:

      - starts -Processes holder processes, each 'busybox sh' opening its pod's 10 logs on descriptors 3..12 and then
        exec'ing sleep (a real process holding real descriptors, and nothing else), and waits until every holder's
        descriptors are in place;
      - deletes the 5,000 files, so each handle is '<path> (deleted)';
      - imports the module (not timed), times its first 'Get-ContainerLogHandle -Root / -Deleted' (cold), then -Runs warm
        calls (output collected into an array), alternating with 'lsof +L1' and with
        sh -c 'exec find /proc/[0-9]*/fd -lname "*(deleted)"' (whole processes, spawn and the shell's glob included);
      - checks that the module's records, lsof's lines and find's lines for the holders each number the handles opened
        (the same work), then kills the holders.

    The pid namespace keeps the scan to the benchmark's own processes (the holders, the measuring pwsh and the tools),
    so other work on the machine changes neither the counts nor the amount of /proc read; and its processes end with
    its first one, so no holder outlives the benchmark even when the measuring pwsh is killed.

    CPU time (user + system from /proc/self/stat in 10 ms ticks: the module's process; lsof and find as waited-for
    children) is printed beside the wall times.

    Needs root (unshare, mount), busybox and lsof (Debian: apt-get install lsof). Exits non-zero on any error or
    disagreement. Not a test: nothing here asserts a time.
.PARAMETER ModulePath
    The published module directory (out/PodLogs).
.EXAMPLE
    dotnet pwsh ./build.ps1 Benchmark -Name LogHandles
.EXAMPLE
    dotnet pwsh benchmarks/LogHandles.ps1 -ModulePath out/PodLogs -Processes 100
#>
[CmdletBinding(DefaultParameterSetName = 'Run')]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Holder processes, one per pod; each holds its pod's 10 logs (5 containers x 2 restarts).
    [ValidateRange(1, 5000)]
    [int] $Processes = 500,

    [ValidateRange(1, 101)]
    [int] $Runs = 5,

    # Untimed calls between the cold call and the timed warm ones.
    [ValidateRange(0, 100)]
    [int] $Warmup = 0,

    # Keep the generated tree (its path is printed) instead of deleting it.
    [Parameter(ParameterSetName = 'Run')]
    [switch] $KeepTree,

    # Internal: the measuring half, run by the script itself inside the namespaces.
    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [switch] $Measure,

    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [string] $ResultPath
)

. $PSScriptRoot/../.ci/quiet-environment.ps1
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')

$containersPerPod = 5
$restarts = 2
$handlesPerProcess = $containersPerPod * $restarts
$lines = 40   # ~3 KB a file: one 4 KiB block each

if ($Measure) {
    # ---- Inside the namespaces: the tree is at /var/log; /proc shows only this pid namespace. ----
    if (-not (Test-Path -LiteralPath '/var/log/.podlogs-benchmark-tree')) { throw '/var/log is not the generated tree (bind mount missing?).' }
    $plan = Get-Content -LiteralPath (Join-Path (Split-Path -Parent $ResultPath) 'holders.json') -Raw | ConvertFrom-Json -NoEnumerate
    $busybox = (Get-Command busybox -CommandType Application | Select-Object -First 1).Source
    # Descriptors 3..12 on the files named as arguments; stdio on /dev/null; then sleep in place of the shell.
    $redirects = (1..$handlesPerProcess | ForEach-Object { "$($_ + 2)<`"`${$_}`"" }) -join ' '
    $holderScript = "exec </dev/null >/dev/null 2>&1 $redirects; exec sleep 3600"
    $holders = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    $lsofArgs = @('lsof', '+L1')
    $findArgs = @('/bin/sh', '-c', 'exec find /proc/[0-9]*/fd -lname "*(deleted)"')
    try {
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        foreach ($files in $plan) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($busybox)
            foreach ($a in @('sh', '-c', $holderScript, 'holder') + @($files)) { $psi.ArgumentList.Add($a) }
            $psi.UseShellExecute = $false
            $holders.Add([System.Diagnostics.Process]::Start($psi))
        }
        $holderPids = [System.Collections.Generic.HashSet[int]]::new([int[]]$holders.Id)
        # Ready when the process is sleep (the shell has opened every file) and its descriptors name them.
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        foreach ($h in $holders) {
            while ($true) {
                if ($h.HasExited) { throw "Holder $($h.Id) exited with $($h.ExitCode) before holding its files." }
                $comm = try { [System.IO.File]::ReadAllText("/proc/$($h.Id)/comm").Trim() } catch { '' }
                if ($comm -eq 'sleep') { break }
                if ([DateTime]::UtcNow -gt $deadline) { throw "Holder $($h.Id) is not holding its files after 120 s." }
                Start-Sleep -Milliseconds 20
            }
        }
        $opened = 0
        foreach ($h in $holders) {
            foreach ($fd in 3..(2 + $handlesPerProcess)) {
                $target = [System.IO.File]::ResolveLinkTarget("/proc/$($h.Id)/fd/$fd", $false)
                if ($target -and $target.FullName.StartsWith('/var/log/pods/')) { $opened++ }
            }
        }
        $startMs = $sw.Elapsed.TotalMilliseconds
        foreach ($files in $plan) { foreach ($f in $files) { [System.IO.File]::Delete($f) } }
        $left = @([System.IO.Directory]::EnumerateFiles('/var/log/pods', '*', [System.IO.SearchOption]::AllDirectories)).Count
        if ($left) { throw "$left files are left under /var/log/pods after deleting them." }

        Import-Module (Join-Path $ModulePath 'PodLogs.psd1')
        $scan = { Get-ContainerLogHandle -Root / -Deleted -ErrorAction Stop }
        $cold = Measure-Call $scan
        $records = $cold.Output
        $count = $records.Count
        $ours = @($records | Where-Object { $holderPids.Contains($_.ProcessId) })
        $moduleHolders = $ours.Count
        $notDeleted = @($ours | Where-Object { -not $_.Deleted }).Count
        $named = @($ours | Where-Object { $_.PodName -and $_.ContainerName -and $null -ne $_.RestartCount }).Count
        $bytes = ($ours | Measure-Object -Property Bytes -Sum).Sum

        # lsof: COMMAND PID USER FD TYPE DEVICE SIZE/OFF NLINK NODE NAME; NAME is '<path> (deleted)' or just the path.
        $lsofLines = @(& $lsofArgs[0] $lsofArgs[1] 2>$null)
        $lsofHolders = @($lsofLines | Where-Object {
                $f = -split $_
                $f.Count -ge 10 -and $f[1] -match '^\d+$' -and $holderPids.Contains([int]$f[1]) -and $f[9].StartsWith('/var/log/pods/')
            }).Count
        # find: /proc/<pid>/fd/<n>.
        $findLines = @(& $findArgs[0] $findArgs[1] $findArgs[2] 2>$null)
        $findHolders = @($findLines | Where-Object { $_ -match '^/proc/(\d+)/fd/\d+$' -and $holderPids.Contains([int]$Matches[1]) }).Count

        $records = $null
        $cold.Output = $null
        for ($i = 0; $i -lt $Warmup; $i++) { $null = Measure-Call $scan }

        # Warm module runs, lsof and find alternate, so a change in the machine's load hits them alike.
        $warm = [System.Collections.Generic.List[object]]::new()
        $lsof = [System.Collections.Generic.List[object]]::new()
        $find = [System.Collections.Generic.List[object]]::new()
        foreach ($i in 1..$Runs) {
            $run = Measure-Call $scan
            if ($run.Output.Count -ne $count) { throw "Warm run $i returned $($run.Output.Count) records, the cold run $count." }
            $run.Output = $null
            $warm.Add($run)
            # lsof exits 1 when a file it lists could not be reported in full; find when a process went meanwhile.
            $lsof.Add((Measure-Process $lsofArgs -AllowedExitCodes 0, 1 -QuietErrors))
            $find.Add((Measure-Process $findArgs -AllowedExitCodes 0, 1 -QuietErrors))
        }
        $processCount = @([System.IO.Directory]::GetDirectories('/proc') | Where-Object { (Split-Path -Leaf $_) -match '^\d+$' }).Count
    }
    finally {
        foreach ($h in $holders) { if (-not $h.HasExited) { $h.Kill() } }
        foreach ($h in $holders) { $null = $h.WaitForExit(10000) }
    }
    $alive = @($holders | Where-Object { -not $_.HasExited }).Count

    [ordered]@{
        Holders = $holders.Count
        HoldersAlive = $alive
        StartMs = $startMs
        Opened = $opened
        Processes = $processCount
        Records = $count
        ModuleHolders = $moduleHolders
        NotDeleted = $notDeleted
        Named = $named
        Bytes = $bytes
        LsofLines = $lsofLines.Count
        LsofHolders = $lsofHolders
        FindLines = $findLines.Count
        FindHolders = $findHolders
        ModuleColdMs = $cold.Wall
        ModuleColdCpuMs = $cold.Cpu
        ModuleWarmMs = [double[]]$warm.Wall
        ModuleWarmCpuMs = [double[]]$warm.Cpu
        LsofMs = [double[]]$lsof.Wall
        LsofCpuMs = [double[]]$lsof.Cpu
        FindMs = [double[]]$find.Wall
        FindCpuMs = [double[]]$find.Cpu
    } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $ResultPath
    exit 0
}

# ---- Outside: generate the tree, measure in the namespaces, print the table. ----
Assert-BenchHost @('find', 'busybox')
if (-not (Get-Command lsof -CommandType Application -ErrorAction Ignore)) {
    throw "lsof is not installed; the benchmark compares with 'lsof +L1'. On Debian or Ubuntu: apt-get install lsof"
}
$ModulePath = Resolve-BenchModule $ModulePath

Write-MachineInfo 'PodLogs Get-ContainerLogHandle benchmark (issue #13 item 6)' $ModulePath @('lsof -v 2>&1 | grep -m1 revision', 'find --version', 'busybox')
Assert-NodeMountPoints 'Get-ContainerLogHandle'

$tree = New-BenchTreePath
$exitCode = 0
try {
    Add-Type -Path (Join-Path $PSScriptRoot 'BenchNode.cs')
    $containers = [PodLogsBench.BenchNode]::Plan($Processes, $containersPerPod, $restarts, 20261204)
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $paths = [PodLogsBench.BenchNode]::WriteCriLogs($tree, $containers, $lines)
    New-Item -ItemType Directory -Path (Join-Path $tree 'var/log/containers'), (Join-Path $tree 'var/lib/docker') | Out-Null
    New-Item -ItemType File -Path (Join-Path $tree 'var/log/.podlogs-benchmark-tree') | Out-Null
    # Holder i holds pod i's files (the plan lists a pod's containers and restarts together).
    $plan = for ($i = 0; $i -lt $Processes; $i++) { , @($paths.GetRange($i * $handlesPerProcess, $handlesPerProcess)) }
    ConvertTo-Json -InputObject @($plan) -Depth 3 -Compress | Set-Content -LiteralPath (Join-Path $tree 'holders.json')
    $handles = $Processes * $handlesPerProcess
    Write-Host "  tree    : $tree ($Processes pods x $containersPerPod containers x $restarts restarts: $($paths.Count) N.log files; written in $([int]$sw.Elapsed.TotalMilliseconds) ms)"
    Write-Host "  holders : $Processes processes (busybox sh, exec'd into sleep) holding $handlesPerProcess logs each: $handles handles, the files deleted after opening"
    Write-Host "  runs    : cold = first call in a fresh pwsh (import not timed); warm, lsof and find = median of $Runs$(if ($Warmup) { ", after $Warmup untimed warm-up calls" })"
    Write-Host ''

    $resultPath = Join-Path $tree 'result.json'
    $rc = Invoke-OnNodeTree $tree -PidNamespace @((Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-Measure',
        '-ModulePath', $ModulePath, '-ResultPath', $resultPath, '-Processes', $Processes, '-Runs', $Runs, '-Warmup', $Warmup)
    if ($rc -ne 0) { throw "The measurement failed (exit code $rc)." }
    $r = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json

    Write-Host ("  holders : {0} started and holding in {1:0} ms; {2} handles opened; {3} processes in the pid namespace during the runs" -f $r.Holders, $r.StartMs, $r.Opened, $r.Processes)
    Write-Host ("  module warm runs (ms): {0}   CPU: {1}   (cold: {2:0.0} ms, {3:0} ms CPU)" -f (Format-Runs $r.ModuleWarmMs), (Format-Runs $r.ModuleWarmCpuMs), $r.ModuleColdMs, $r.ModuleColdCpuMs)
    Write-Host ("  lsof runs (ms)       : {0}   CPU: {1}" -f (Format-Runs $r.LsofMs), (Format-Runs $r.LsofCpuMs))
    Write-Host ("  find runs (ms)       : {0}   CPU: {1}" -f (Format-Runs $r.FindMs), (Format-Runs $r.FindCpuMs))
    Write-Host ("  counts  : module {0} records ({1} of the holders, {2} with pod/container/restart from the path, {3:N0} bytes); lsof +L1 {4} lines ({5} of the holders); find {6} lines ({7} of the holders)" -f `
            $r.Records, $r.ModuleHolders, $r.Named, $r.Bytes, $r.LsofLines, $r.LsofHolders, $r.FindLines, $r.FindHolders)
    if ([int]$r.HoldersAlive -ne 0) { throw "$($r.HoldersAlive) holders were still alive after the measurement." }
    if ([int]$r.Opened -ne $handles) { throw "The holders opened $($r.Opened) handles, expected $handles." }
    foreach ($c in @(@('the module', $r.ModuleHolders), @('lsof +L1', $r.LsofHolders), @('find', $r.FindHolders))) {
        if ([int]$c[1] -ne $handles) { throw "$($c[0]) reports $($c[1]) deleted handles of the holders; they hold $handles." }
    }
    if ([int]$r.Records -ne $handles) { throw "Get-ContainerLogHandle -Deleted returned $($r.Records) records; the holders hold $handles (no other process holds a log)." }
    if ([int]$r.NotDeleted -ne 0 -or [int]$r.Named -ne $handles) { throw "$($r.NotDeleted) records not Deleted, $($handles - $r.Named) without their pod, container and restart count." }
    Write-Host "  agree   : module records = lsof's and find's deleted handles of the holders = $handles opened"

    $warmMs = Get-Median $r.ModuleWarmMs
    $lsofMs = Get-Median $r.LsofMs
    $findMs = Get-Median $r.FindMs
    $warmCpu = Get-Median $r.ModuleWarmCpuMs
    $lsofCpu = Get-Median $r.LsofCpuMs
    $findCpu = Get-Median $r.FindCpuMs
    $ratio = { param($a, $b) if ($b -gt 0) { ($a / $b).ToString('0.00') } else { 'n/a' } }
    $row = [pscustomobject]@{
        Handles = "$handles in $Processes processes"
        'Module cold ms' = $r.ModuleColdMs.ToString('0.0')
        'Module warm ms' = $warmMs.ToString('0.0')
        'lsof ms' = $lsofMs.ToString('0.0')
        'find ms' = $findMs.ToString('0.0')
        'warm/lsof' = & $ratio $warmMs $lsofMs
        'warm/find' = & $ratio $warmMs $findMs
        Records = [int]$r.Records
        'Module CPU ms' = $warmCpu.ToString('0')
        'lsof CPU ms' = $lsofCpu.ToString('0')
        'find CPU ms' = $findCpu.ToString('0')
    }
    Write-Host ''
    Write-Host "Medians of $Runs runs; cold = the first call in a fresh pwsh; CPU = user + system of the module's process / of lsof / of find (with its sh)."
    Write-Host ($row | Format-Table -Property * -AutoSize | Out-String -Width 200).TrimEnd()
    Write-Host ''
    Write-Host "  load    : $(Get-LoadAverage) (1/5/15 min) at the end"
    Write-Host ("Targets: faster than lsof -> {0} ({1:0.00}); warm/find <= 2 -> {2} ({3:0.00})" -f $(if ($warmMs -lt $lsofMs) { 'met' } else { 'NOT met' }), ($warmMs / $lsofMs),
        $(if ($warmMs / $findMs -le 2) { 'met' } else { 'NOT met' }), ($warmMs / $findMs))
}
catch {
    Write-BenchFailure $_
    $exitCode = 1
}
finally {
    Remove-BenchTree $tree -Keep:$KeepTree
}
exit $exitCode
