#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times Import-Module PodLogs and the first cluster call in fresh pwsh processes, beside bare pwsh (issue #4).
.DESCRIPTION
    Starts the test Kubernetes API server (tests/PodLogs.TestKubeApi, built here if needed; TLS with
    its own CA, a kubeconfig with a token) holding a Node and -Pods pods bound to it, writes the
    embedded sample node as -Root (with the Node's machine-id), then runs -Runs rounds, each of three
    fresh child processes:

      - bare:    pwsh -NoProfile -NonInteractive -c 1                      (whole process)
      - import:  pwsh -NoProfile -NonInteractive -c "Import-Module PodLogs" (whole process)
      - cluster: pwsh -NoProfile -NonInteractive -c "<timed Import-Module; timed first
                 Get-PodLogDirectory -Cluster; timed second call>"        (in-process stopwatches)

    and prints the medians: the import process minus the bare one (target: at most 150 ms), the
    in-process Import-Module time, and the first cluster call including the kubeconfig parse, the
    load of KubernetesClient into the private context, TLS, the Node read and the pod list (target:
    at most 1 s), with the warm second call beside it. Not a test: nothing here asserts a time.
.PARAMETER ModulePath
    The published module directory (out/PodLogs).
.EXAMPLE
    dotnet pwsh ./build.ps1 Benchmark -Name ClusterStartup
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModulePath,
    [ValidateRange(1, 50)]
    [int] $Runs = 5,
    [ValidateRange(0, 100000)]
    [int] $Pods = 200
)

. $PSScriptRoot/../.ci/quiet-environment.ps1
$repo = Split-Path $PSScriptRoot -Parent
$ModulePath = (Resolve-Path $ModulePath).Path
$pwsh = Join-Path $PSHOME 'pwsh'

if (-not $env:PODLOGS_TEST_KUBEAPI) {
    $env:PODLOGS_TEST_KUBEAPI = Join-Path $repo 'tests/PodLogs.TestKubeApi/bin/Release/net10.0/PodLogs.TestKubeApi.dll'
    dotnet build (Join-Path $repo 'tests/PodLogs.TestKubeApi/PodLogs.TestKubeApi.csproj') -c Release --nologo -v quiet | Out-Host
    if ($LASTEXITCODE -ne 0) { throw 'Building the test API server failed.' }
}
. (Join-Path $repo 'tests/Pester/PodLogs.TestHelpers.ps1')

$work = (New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "podlogs-clusterbench-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
$server = $null
try {
    Import-Module $ModulePath
    $root = (New-PodLogSampleNode -Path (Join-Path $work 'node')).FullName
    $machineId = '6b1f0e2d3c4a5b6c7d8e9f0a1b2c3d4e'
    Set-Content -LiteralPath (Join-Path $root 'etc/machine-id') -Value $machineId
    $state = @{
        nodes = @(@{ metadata = @{ name = 'node-1' }; status = @{ nodeInfo = @{ machineID = $machineId } } })
        pods  = @(for ($i = 0; $i -lt $Pods; $i++) {
                @{
                    metadata = @{ name = "bench-$i"; namespace = 'bench'; uid = [guid]::NewGuid().ToString() }
                    spec     = @{ nodeName = 'node-1'; containers = @(@{ name = 'app'; image = 'busybox' }) }
                    status   = @{ phase = 'Running'; containerStatuses = @(@{ name = 'app'; image = 'busybox'; imageID = ''; ready = $true; restartCount = 0; containerID = 'containerd://' + ('{0:x64}' -f $i).PadLeft(64, '0'); state = @{ running = @{ startedAt = '2026-11-26T08:00:00Z' } }; lastState = @{} }) }
                }
            })
    }
    $server = Start-TestKubeApi -State $state -Kubeconfig (Join-Path $work 'kubeconfig')

    $clusterScript = @"
`$clock = [Diagnostics.Stopwatch]::StartNew()
Import-Module '$ModulePath'
`$import = `$clock.Elapsed.TotalMilliseconds
`$clock.Restart()
`$first = @(Get-PodLogDirectory -Root '$root' -Kubeconfig '$($server.Kubeconfig)' -NodeName node-1 -Cluster -ErrorAction Stop)
`$firstMs = `$clock.Elapsed.TotalMilliseconds
`$clock.Restart()
`$second = @(Get-PodLogDirectory -Root '$root' -Kubeconfig '$($server.Kubeconfig)' -NodeName node-1 -Cluster -ErrorAction Stop)
`$secondMs = `$clock.Elapsed.TotalMilliseconds
'{0} {1} {2} {3}' -f `$import, `$firstMs, `$secondMs, `$first.Count
"@

    function Measure-Process([string] $command) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $output = & $pwsh -NoProfile -NonInteractive -Command $command
        $elapsed = $clock.Elapsed.TotalMilliseconds
        if ($LASTEXITCODE -ne 0) { throw "child pwsh failed ($LASTEXITCODE): $output" }
        [pscustomobject]@{ Ms = $elapsed; Output = $output }
    }
    function Get-Median([double[]] $values) {
        $sorted = @($values | Sort-Object)
        if ($sorted.Count % 2) { $sorted[[int][Math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
    }

    Write-Host "kernel $(uname -r), $([Environment]::ProcessorCount) cores, load $((Get-Content /proc/loadavg) -replace ' \d+/.*$', ''), pwsh $($PSVersionTable.PSVersion), $Pods pods on the node in the API"
    # One untimed round: the first process start after a build pays for disk reads, not for PodLogs.
    $null = Measure-Process '1'; $null = Measure-Process $clusterScript
    $rows = for ($run = 1; $run -le $Runs; $run++) {
        $bare = Measure-Process '1'
        $import = Measure-Process "Import-Module '$ModulePath'"
        $cluster = Measure-Process $clusterScript
        $importMs, $firstMs, $secondMs, $count = ($cluster.Output | Select-Object -Last 1) -split ' '
        if ([int]$count -ne $Pods) { throw "the cluster call returned $count pods, not $Pods" }
        $row = [pscustomobject]@{ Run = $run; BareMs = $bare.Ms; ImportProcessMs = $import.Ms; ImportMs = [double]$importMs; FirstCallMs = [double]$firstMs; SecondCallMs = [double]$secondMs }
        Write-Host ('run {0}: bare {1:N0} ms, import process {2:N0} ms, Import-Module {3:N0} ms, first cluster call {4:N0} ms, second {5:N0} ms' -f $run, $row.BareMs, $row.ImportProcessMs, $row.ImportMs, $row.FirstCallMs, $row.SecondCallMs)
        $row
    }
    $bare = Get-Median $rows.BareMs
    $importProcess = Get-Median $rows.ImportProcessMs
    [pscustomobject]@{
        'pwsh -c 1 (ms)'                 = [Math]::Round($bare)
        'pwsh -c Import-Module (ms)'     = [Math]::Round($importProcess)
        'import above bare (ms)'         = [Math]::Round($importProcess - $bare)
        'Import-Module in-process (ms)'  = [Math]::Round((Get-Median $rows.ImportMs))
        'first cluster call (ms)'        = [Math]::Round((Get-Median $rows.FirstCallMs))
        'second cluster call (ms)'       = [Math]::Round((Get-Median $rows.SecondCallMs))
    } | Format-List | Out-Host
    Write-Host "medians of $Runs fresh processes each; targets: import above bare <= 150 ms, first cluster call <= 1000 ms; load now $((Get-Content /proc/loadavg) -replace ' \d+/.*$', '')"
}
finally {
    if ($server) { $server.Stop() }
    Remove-Item $work -Recurse -Force -ErrorAction Ignore
}
