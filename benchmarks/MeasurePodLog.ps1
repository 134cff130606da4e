#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Benchmarks 'Measure-PodLog -By Pod' against du on LinkScan's docker node with docker's rotated files (issue #13 item 6).
.DESCRIPTION
    Generates LinkScan.ps1's node (BenchNode.cs: by default 1,000 pods x 3 containers x 2 restarts, 6,000 N.log links to
    6,000 json logs, 3,000 legacy links) with the docker state of its phase 2 (config.v2.json and hostconfig.json for every
    container, LogConfig max-size 10m / max-file -Rotations + 1) and -Rotations rotated files beside every json log
    (<id>-json.log.1, .2), then, in a private mount namespace where the tree is at /var/log and /var/lib/docker
    (BenchTools' Invoke-OnNodeTree), one pwsh:

      - imports the module (not timed), times its first 'Measure-PodLog -Root / -By Pod' (cold), then -Runs warm calls,
        each output collected into an array, alternating with
      - du -s --block-size=1 /var/log/pods /var/log/containers /var/lib/docker/containers, whole process (the directories
        the module reads: pod logs, legacy links, docker's containers directory);

    and, in the same rotation, 'Get-ContainerLogLink -Root /' (the inspection Measure-PodLog starts from: links followed,
    docker's 12,000 state files read), so the table splits Measure-PodLog's time. It checks that both count the same bytes. They measure different sets: du -s counts every inode under the three
    directories once (the directories' own blocks, the links' blocks, docker's config.v2.json and hostconfig.json), while
    Measure-PodLog counts only the log files (each once, as allocated blocks). So the check is exact on the same files:
    the sum of the records' TotalBytes must equal du -c --block-size=1 over the log files themselves (every regular file
    under the three directories but docker's two state files), and du -s's total must equal that plus the blocks find
    reports (%b) for the directories, the links and the state files. Both are printed.

    CPU time (user + system from /proc/self/stat in 10 ms ticks: the module's process, du as a waited-for child) is
    printed beside the wall times. Measure-PodLog under -Root / also lists the host's /proc for DeletedOpenBytes (every
    process's descriptors); that is part of the command and of the measured time.

    Needs root (unshare, mount). Exits non-zero on any error or disagreement. Not a test: nothing here asserts a time.
.PARAMETER ModulePath
    The published module directory (out/PodLogs).
.EXAMPLE
    dotnet pwsh ./build.ps1 Benchmark -Name MeasurePodLog
.EXAMPLE
    dotnet pwsh benchmarks/MeasurePodLog.ps1 -ModulePath out/PodLogs -Pods 200
#>
[CmdletBinding(DefaultParameterSetName = 'Run')]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    [Parameter(ParameterSetName = 'Run')]
    [ValidateRange(1, 100000)]
    [int] $Pods = 1000,

    [Parameter(ParameterSetName = 'Run')]
    [ValidateRange(1, 5)]
    [int] $ContainersPerPod = 3,

    [Parameter(ParameterSetName = 'Run')]
    [ValidateRange(1, 50)]
    [int] $Restarts = 2,

    # docker's rotated files beside each json log (<id>-json.log.1 .. .N).
    [Parameter(ParameterSetName = 'Run')]
    [ValidateRange(0, 20)]
    [int] $Rotations = 2,

    [ValidateRange(1, 101)]
    [int] $Runs = 5,

    # Untimed calls between the cold call and the timed warm ones: the target is warm, and the first calls of a fresh pwsh
    # still include .NET's tiered compilation (benchmarks/README.md).
    [ValidateRange(0, 100)]
    [int] $Warmup = 5,

    # Keep the generated tree (its path is printed) instead of deleting it.
    [Parameter(ParameterSetName = 'Run')]
    [switch] $KeepTree,

    # Internal: the measuring half, run by the script itself inside the mount namespace.
    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [switch] $Measure,

    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [string] $ResultPath
)

. $PSScriptRoot/../.ci/quiet-environment.ps1
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')

$directories = @('/var/log/pods', '/var/log/containers', '/var/lib/docker/containers')
$stateFiles = @('config.v2.json', 'hostconfig.json')

if ($Measure) {
    # ---- Inside the private mount namespace: the tree is at /var/log and /var/lib/docker. ----
    if (-not (Test-Path -LiteralPath '/var/log/.podlogs-benchmark-tree')) { throw '/var/log is not the generated tree (bind mount missing?).' }
    $duArgs = @('du', '-s', '--block-size=1') + $directories

    # What du counts, split by find (untimed): %y type, %b 512-byte blocks.
    $parts = [ordered]@{ LogFiles = 0; LogBlocks = 0L; StateFiles = 0; StateBlocks = 0L; Directories = 0; DirectoryBlocks = 0L; Links = 0; LinkBlocks = 0L }
    $logFiles = [System.Collections.Generic.List[string]]::new()
    foreach ($line in (& find @directories -printf '%y %b %p\n')) {
        $type, $blocks, $path = $line -split ' ', 3
        $bytes = 512L * [long]$blocks
        switch ($type) {
            'd' { $parts.Directories++; $parts.DirectoryBlocks += $bytes }
            'l' { $parts.Links++; $parts.LinkBlocks += $bytes }
            'f' {
                if ([System.IO.Path]::GetFileName($path) -in $stateFiles) { $parts.StateFiles++; $parts.StateBlocks += $bytes }
                else { $parts.LogFiles++; $parts.LogBlocks += $bytes; $logFiles.Add($path) }
            }
            default { throw "find: unexpected file type '$type' at $path." }
        }
    }
    if ($LASTEXITCODE -ne 0) { throw "find exited with $LASTEXITCODE." }
    $duLines = @(& $duArgs[0] $duArgs[1..($duArgs.Count - 1)])
    if ($LASTEXITCODE -ne 0) { throw "du exited with $LASTEXITCODE." }
    $duTotal = ($duLines | ForEach-Object { [long]($_ -split "`t")[0] } | Measure-Object -Sum).Sum
    # du over exactly the log files (NUL-separated names from a file: no argument-length limit).
    $list = Join-Path (Split-Path -Parent $ResultPath) 'log-files.list'
    [System.IO.File]::WriteAllText($list, ($logFiles -join "`0") + "`0")
    $duFiles = [long](((@(& du -c --block-size=1 --files0-from=$list))[-1]) -split "`t")[0]
    if ($LASTEXITCODE -ne 0) { throw "du --files0-from exited with $LASTEXITCODE." }
    Remove-Item -LiteralPath $list

    Import-Module (Join-Path $ModulePath 'PodLogs.psd1')
    $warnings = [System.Collections.Generic.List[object]]::new()
    $podLogCall = { Measure-PodLog -Root / -By Pod -ErrorAction Stop -WarningAction SilentlyContinue -WarningVariable w; $warnings.AddRange(@($w)) }
    $linkCall = { Get-ContainerLogLink -Root / -ErrorAction Stop }
    $cold = Measure-Call $podLogCall
    $records = $cold.Output
    $count = $records.Count
    $moduleBytes = ($records | Measure-Object -Property TotalBytes -Sum).Sum
    $moduleFiles = ($records | Measure-Object -Property FileCount -Sum).Sum
    $byField = foreach ($f in 'ActiveBytes', 'RotatedBytes', 'CompressedBytes', 'LeftoverBytes') { '{0}={1}' -f $f, ($records | Measure-Object -Property $f -Sum).Sum }
    $records = $null
    $cold.Output = $null

    for ($i = 0; $i -lt $Warmup; $i++) { $null = Measure-Call $podLogCall }

    # Get-ContainerLogLink alone: the inspection Measure-PodLog starts from (links, docker's state files), for the split.
    $linkCold = Measure-Call $linkCall
    $linkCount = $linkCold.Output.Count
    $linkCold.Output = $null

    # Warm module runs, du runs and Get-ContainerLogLink runs alternate, so a change in the machine's load hits all alike.
    $warm = [System.Collections.Generic.List[object]]::new()
    $du = [System.Collections.Generic.List[object]]::new()
    $link = [System.Collections.Generic.List[object]]::new()
    foreach ($i in 1..$Runs) {
        $run = Measure-Call $podLogCall
        if ($run.Output.Count -ne $count) { throw "Warm run $i returned $($run.Output.Count) records, the cold run $count." }
        $run.Output = $null
        $warm.Add($run)
        $du.Add((Measure-Process $duArgs))
        $run = Measure-Call $linkCall
        if ($run.Output.Count -ne $linkCount) { throw "Get-ContainerLogLink run $i returned $($run.Output.Count) records, the first $linkCount." }
        $run.Output = $null
        $link.Add($run)
    }

    [ordered]@{
        Records = $count
        ModuleBytes = $moduleBytes
        ModuleFiles = $moduleFiles
        ByField = $byField -join ' '
        Warnings = @($warnings | Select-Object -First 3 | ForEach-Object { "$_" })
        DuTotal = $duTotal
        DuLogFiles = $duFiles
        Parts = $parts
        ModuleColdMs = $cold.Wall
        ModuleColdCpuMs = $cold.Cpu
        ModuleWarmMs = [double[]]$warm.Wall
        ModuleWarmCpuMs = [double[]]$warm.Cpu
        DuMs = [double[]]$du.Wall
        DuCpuMs = [double[]]$du.Cpu
        LinkRecords = $linkCount
        LinkColdMs = $linkCold.Wall
        LinkColdCpuMs = $linkCold.Cpu
        LinkWarmMs = [double[]]$link.Wall
        LinkWarmCpuMs = [double[]]$link.Cpu
    } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $ResultPath
    exit 0
}

# ---- Outside: generate the tree, measure in the namespace, print the table. ----
Assert-BenchHost @('find', 'du')
$ModulePath = Resolve-BenchModule $ModulePath

Write-MachineInfo 'PodLogs Measure-PodLog benchmark (issue #13 item 6)' $ModulePath @('du --version')
Assert-NodeMountPoints 'Measure-PodLog'

$tree = New-BenchTreePath
$exitCode = 0
try {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $node = Write-BenchDockerNode $tree $Pods $ContainersPerPod $Restarts $Rotations
    $containers, $rotated = $node.Containers, $node.Rotated
    New-Item -ItemType File -Path (Join-Path $tree 'var/log/.podlogs-benchmark-tree') | Out-Null
    $jsonLogs = $containers.Count
    Write-Host ("  tree    : $tree ($Pods pods x $ContainersPerPod containers x $Restarts restarts: $jsonLogs N.log links, " +
        "$($Pods * $ContainersPerPod) legacy links, $jsonLogs json logs + $rotated rotated (.1..$Rotations), $jsonLogs config.v2.json; " +
        "written in $([int]$sw.Elapsed.TotalMilliseconds) ms)")
    Write-Host "  du      : du -s --block-size=1 $($directories -join ' ')"
    Write-Host "  runs    : cold = first call in a fresh pwsh (import not timed); warm and du = median of $Runs$(if ($Warmup) { ", after $Warmup untimed warm-up calls" })"
    Write-Host ''

    $resultPath = Join-Path $tree 'result.json'
    $rc = Invoke-OnNodeTree $tree @((Join-Path $PSHOME 'pwsh'), '-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-Measure',
        '-ModulePath', $ModulePath, '-ResultPath', $resultPath, '-Runs', $Runs, '-Warmup', $Warmup)
    if ($rc -ne 0) { throw "The measurement failed (exit code $rc)." }
    $r = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
    $p = $r.Parts

    Write-Host ("  module warm runs (ms): {0}   CPU: {1}   (cold: {2:0.0} ms, {3:0} ms CPU)" -f (Format-Runs $r.ModuleWarmMs), (Format-Runs $r.ModuleWarmCpuMs), $r.ModuleColdMs, $r.ModuleColdCpuMs)
    Write-Host ("  du runs (ms)         : {0}   CPU: {1}" -f (Format-Runs $r.DuMs), (Format-Runs $r.DuCpuMs))
    Write-Host ("  Get-ContainerLogLink : {0}   CPU: {1}   (first: {2:0.0} ms, {3:0} ms CPU)" -f (Format-Runs $r.LinkWarmMs), (Format-Runs $r.LinkWarmCpuMs), $r.LinkColdMs, $r.LinkColdCpuMs)
    Write-Host "  records: $($r.Records) pods   files: $($r.ModuleFiles)   $($r.ByField)"
    foreach ($w in $r.Warnings | Select-Object -First 3) { Write-Host "  warning: $w" }
    Write-Host ''
    Write-Host 'Bytes (allocated blocks):'
    Write-Host ("  Measure-PodLog, sum of TotalBytes          : {0,14:N0}  ({1} files)" -f $r.ModuleBytes, $r.ModuleFiles)
    Write-Host ("  du -c over the same log files              : {0,14:N0}  ({1} files; find's %b sum {2:N0})" -f $r.DuLogFiles, $p.LogFiles, $p.LogBlocks)
    Write-Host ("  du -s over the three directories           : {0,14:N0}" -f $r.DuTotal)
    Write-Host ("    = log files + {0} directories' own blocks ({1:N0}) + {2} links ({3:N0}) + {4} config.v2.json/hostconfig.json ({5:N0})" -f `
            $p.Directories, $p.DirectoryBlocks, $p.Links, $p.LinkBlocks, $p.StateFiles, $p.StateBlocks)
    $expectedFiles = $jsonLogs * (1 + $Rotations)
    if ([long]$r.ModuleBytes -ne [long]$r.DuLogFiles) { throw "Measure-PodLog counts $($r.ModuleBytes) bytes, du over the same log files $($r.DuLogFiles)." }
    if ([long]$r.DuLogFiles -ne [long]$p.LogBlocks) { throw "du over the log files says $($r.DuLogFiles) bytes, find's %b $($p.LogBlocks)." }
    if ([long]$r.DuTotal -ne [long]$p.LogBlocks + $p.DirectoryBlocks + $p.LinkBlocks + $p.StateBlocks) { throw "du -s's total $($r.DuTotal) is not the sum of its parts." }
    if ([int]$r.ModuleFiles -ne $expectedFiles -or [int]$p.LogFiles -ne $expectedFiles) { throw "Measure-PodLog counts $($r.ModuleFiles) files, find $($p.LogFiles); the tree has $expectedFiles." }
    if ([int]$r.Records -ne $Pods) { throw "Measure-PodLog -By Pod returned $($r.Records) records for $Pods pods." }
    Write-Host '  agree   : TotalBytes = du over the log files; du -s = that + directories + links + state files'

    $duMs = Get-Median $r.DuMs
    $duCpu = Get-Median $r.DuCpuMs
    $row = {
        param($what, $coldMs, $warmRuns, $cpuRuns, $records)
        $warmMs = Get-Median $warmRuns
        $warmCpu = Get-Median $cpuRuns
        [pscustomobject]@{
            Command = $what
            'cold ms' = $coldMs.ToString('0.0')
            'warm ms' = $warmMs.ToString('0.0')
            'du ms' = $duMs.ToString('0.0')
            'warm/du' = ($warmMs / $duMs).ToString('0.00')
            Records = [int]$records
            'CPU ms' = $warmCpu.ToString('0')
            'du CPU ms' = $duCpu.ToString('0')
            'CPU ratio' = $(if ($duCpu -gt 0) { ($warmCpu / $duCpu).ToString('0.00') } else { 'n/a' })
        }
    }
    $rows = @(
        & $row 'Measure-PodLog -By Pod' $r.ModuleColdMs $r.ModuleWarmMs $r.ModuleWarmCpuMs $r.Records
        & $row '  Get-ContainerLogLink alone' $r.LinkColdMs $r.LinkWarmMs $r.LinkWarmCpuMs $r.LinkRecords
    )
    $ratio = (Get-Median $r.ModuleWarmMs) / $duMs
    Write-Host ''
    Write-Host "Node: $Pods pods, $expectedFiles log files. Medians of $Runs runs; cold = the first call in a fresh pwsh (Get-ContainerLogLink's: its first"
    Write-Host "call, after Measure-PodLog's); CPU = user + system of the module's process / of du."
    Write-Host ($rows | Format-Table -Property * -AutoSize | Out-String -Width 200).TrimEnd()
    Write-Host ''
    Write-Host "  load    : $(Get-LoadAverage) (1/5/15 min) at the end"
    Write-Host ("Target: Measure-PodLog warm/du <= 1.5 -> {0} ({1:0.00})" -f $(if ($ratio -le 1.5) { 'met' } else { 'NOT met' }), $ratio)
}
catch {
    Write-BenchFailure $_
    $exitCode = 1
}
finally {
    Remove-BenchTree $tree -Keep:$KeepTree
}
exit $exitCode
