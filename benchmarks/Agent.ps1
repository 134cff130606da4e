#!/usr/bin/env pwsh
<#
.SYNOPSIS
    What one cycle of the DaemonSet agent (deploy/podlogs-agent.ps1) costs on a node the size of LinkScan's (issue #14 item 3).
.DESCRIPTION
    Generates MeasurePodLog.ps1's node (BenchNode.cs: by default 1,000 pods x 3 containers x 2 restarts, 6,000 N.log links to
    6,000 json logs with -Rotations rotated files each, 3,000 legacy links, docker's state for every container) in a
    temporary directory and runs the agent on it as the check DaemonSet does (-Root the tree, -ProcPath /proc: the handle
    scan reads every process of this machine, as hostPID does on a node), -Cycles cycles one second apart. From the agent's
    own cycle lines it prints, per cycle: wall time, CPU time of the cycle, the process's working set after it and its peak
    so far; then the metrics file's size and series, and the findings per cycle.

    The figures are what a DaemonSet's resources must allow (requests/limits in deploy/kubernetes/daemonset.yaml). There is
    no target to compare with: nothing here asserts a time or a size. Exits non-zero when the agent fails or logs an error.
.EXAMPLE
    dotnet pwsh ./build.ps1 Benchmark -Name Agent
.EXAMPLE
    dotnet pwsh benchmarks/Agent.ps1 -ModulePath out/PodLogs -Pods 200
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,

    [ValidateRange(1, 100000)]
    [int] $Pods = 1000,

    [ValidateRange(1, 5)]
    [int] $ContainersPerPod = 3,

    [ValidateRange(1, 50)]
    [int] $Restarts = 2,

    [ValidateRange(0, 20)]
    [int] $Rotations = 2,

    [ValidateRange(1, 100)]
    [int] $Cycles = 5,

    [switch] $KeepTree
)

. $PSScriptRoot/../.ci/quiet-environment.ps1
Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')
$ModulePath = Resolve-BenchModule $ModulePath
$agent = (Resolve-Path (Join-Path $PSScriptRoot '../deploy/podlogs-agent.ps1')).Path

Write-MachineInfo 'PodLogs agent benchmark (issue #14 item 3)' $ModulePath @()

$tree = New-BenchTreePath
$exitCode = 0
try {
    $node = Write-BenchDockerNode $tree $Pods $ContainersPerPod $Restarts $Rotations
    $containers, $rotated = $node.Containers, $node.Rotated
    $textfile = New-Item -ItemType Directory -Path (Join-Path $tree 'textfile')
    Write-Host "  tree    : $tree ($Pods pods x $ContainersPerPod containers x $Restarts restarts: $($containers.Count) N.log links and json logs + $rotated rotated, $($Pods * $ContainersPerPod) legacy links)"
    Write-Host "  agent   : $agent -Root <tree> -MetricsPath <tree>/textfile/podlogs.prom -ProcPath /proc -IntervalSec 1 -MaxCycles $Cycles"
    Write-Host ''

    $env:PSModulePath = Split-Path $ModulePath
    $lines = @(& (Join-Path $PSHOME 'pwsh') -NoLogo -NoProfile -NonInteractive -File $agent -Root $tree -MetricsPath "$textfile/podlogs.prom" `
            -ProcPath /proc -IntervalSec 1 -MaxCycles $Cycles)
    if ($LASTEXITCODE -ne 0) { throw "The agent exited with $LASTEXITCODE." }
    $events = @($lines | ConvertFrom-Json)
    $errors = @($events | Where-Object event -EQ 'error')
    if ($errors) { throw "The agent logged $($errors.Count) errors, the first: $($errors[0].errorId) $($errors[0].message)" }
    $cycleLines = @($events | Where-Object event -EQ 'cycle')
    if ($cycleLines.Count -ne $Cycles) { throw "The agent logged $($cycleLines.Count) cycles, not $Cycles." }

    Write-Host ('{0,5} {1,10} {2,10} {3,12} {4,12} {5,9} {6,9}' -f 'cycle', 'wall s', 'CPU s', 'memory MiB', 'peak MiB', 'records', 'findings')
    foreach ($c in $cycleLines) {
        Write-Host ('{0,5} {1,10:0.000} {2,10:0.000} {3,12:0.0} {4,12:0.0} {5,9} {6,9}' -f $c.cycle, $c.durationSeconds, $c.cpuSeconds,
            ($c.memoryBytes / 1MB), ($c.peakMemoryBytes / 1MB), $c.records, $c.findings)
    }
    $warm = @($cycleLines | Select-Object -Skip 1)
    if ($warm) {
        Write-Host ('  after the first: median wall {0:0.000} s, median CPU {1:0.000} s per cycle' -f (Get-Median $warm.durationSeconds), (Get-Median $warm.cpuSeconds))
    }
    $metrics = Get-Content -LiteralPath "$textfile/podlogs.prom"
    Write-Host ("  metrics file: {0:N0} bytes, {1:N0} samples in {2} families" -f (Get-Item "$textfile/podlogs.prom").Length,
        @($metrics | Where-Object { $_ -and -not $_.StartsWith('#') }).Count, @($metrics | Where-Object { $_ -like '# TYPE *' }).Count)
    Write-Host "  load    : $(Get-LoadAverage) (1/5/15 min) at end"
}
catch {
    Write-BenchFailure $_
    $exitCode = 1
}
finally {
    Remove-BenchTree $tree -Keep:$KeepTree
}
exit $exitCode
