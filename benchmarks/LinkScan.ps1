#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Benchmarks Get-ContainerLogLink against find on a generated docker node at its real node paths.
.DESCRIPTION
    Generates a node of -Pods pods x -ContainersPerPod containers x -Restarts attempts (by default
    1,000 x 3 x 2: 6,000 N.log links to 6,000 json logs and 3,000 legacy links) in a temporary
    directory, then measures, in a private mount namespace (unshare --mount --propagation private)
    where the tree is bind-mounted on /var/log and /var/lib/docker:

      - the module: one fresh pwsh imports it (not timed), times its first
        'Get-ContainerLogLink -Root /' (cold), then -Runs warm calls (median); every call's output is
        fully enumerated (collected into an array);
      - find /var/log -type l -printf '%p %l %Y\n' > /dev/null, -Runs times, whole process (median).

    Phase 1 has no docker state (no config.v2.json: a pure link scan); phase 2 adds config.v2.json and
    hostconfig.json for every container, as docker writes them for kubelet's containers. The host's
    /var/log and /var/lib/docker are never touched: the mounts exist only inside the namespace. The
    mount point /var/lib/docker is made on a tmpfs mounted over /var/lib inside the namespace, so
    nothing is created on the host, and another process creating or removing the host's
    /var/lib/docker meanwhile (which would silently detach a bind mount on it) cannot disturb the run.
    The tmpfs also hides the host's /var/lib/kubelet, so the module sees only the generated node.

    Besides wall time (the figures the target is about) it reports CPU time (user + system from
    /proc/self/stat in 10 ms ticks: the module's process, find as a waited-for child), which other
    load on the machine disturbs less than wall time. The load average is printed before and after.

    Needs root (unshare, mount). Exits non-zero on any error. Not a test: nothing here asserts a time.
.PARAMETER ModulePath
    The published module directory (out/PodLogs).
.EXAMPLE
    dotnet pwsh ./build.ps1 Benchmark
.EXAMPLE
    dotnet pwsh benchmarks/LinkScan.ps1 -ModulePath out/PodLogs -Pods 200
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

    [ValidateRange(1, 101)]
    [int] $Runs = 5,

    # Untimed calls between the cold call and the timed warm ones (0 by default). The first warm calls
    # still run partly unoptimised code (.NET tiered compilation); -Warmup 10 shows the steady state.
    [ValidateRange(0, 100)]
    [int] $Warmup = 0,

    # Keep the generated tree (its path is printed) instead of deleting it.
    [Parameter(ParameterSetName = 'Run')]
    [switch] $KeepTree,

    # Internal: the measuring half, run by the script itself inside the mount namespace.
    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [switch] $Measure,

    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [string] $ResultPath,

    [Parameter(ParameterSetName = 'Measure', Mandatory)]
    [int] $ExpectedLinks
)

. $PSScriptRoot/../.ci/quiet-environment.ps1

Import-Module (Join-Path $PSScriptRoot 'BenchTools.psm1')

if ($Measure) {
    # ---- Inside the private mount namespace: the tree is at /var/log and /var/lib/docker. ----
    $findArgs = @('find', '/var/log', '-type', 'l', '-printf', '%p %l %Y\n')

    # Make sure we are looking at the generated tree, not the host's.
    $podDirs = @([System.IO.Directory]::GetDirectories('/var/log/pods')).Count
    if (-not (Test-Path -LiteralPath '/var/log/.podlogs-benchmark-tree')) { throw '/var/log is not the generated tree (bind mount missing?).' }
    $findLines = @(& $findArgs[0] $findArgs[1..($findArgs.Count - 1)])
    if ($LASTEXITCODE -ne 0) { throw "find exited with $LASTEXITCODE." }
    if ($findLines.Count -ne $ExpectedLinks) { throw "find sees $($findLines.Count) links under /var/log, expected $ExpectedLinks." }
    $notFiles = @($findLines | Where-Object { -not $_.EndsWith(' f') }).Count
    $configs = @([System.IO.Directory]::EnumerateFiles('/var/lib/docker/containers', 'config.v2.json', [System.IO.SearchOption]::AllDirectories)).Count

    Import-Module (Join-Path $ModulePath 'PodLogs.psd1')

    $errors = $null
    # Cold: the first call in this process (Import-Module is not part of it).
    $cpu = (Get-CpuMs)
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $records = @(Get-ContainerLogLink -Root / -ErrorVariable +errors)
    $sw.Stop()
    $coldCpu = (Get-CpuMs) - $cpu
    $cold = $sw.Elapsed.TotalMilliseconds
    $count = $records.Count

    if ($errors) { throw "Get-ContainerLogLink wrote $(@($errors).Count) error(s); first: $(@($errors)[0])" }
    $statuses = ($records | Group-Object Status | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ' '
    $kinds = ($records | Group-Object Kind | Sort-Object Name | ForEach-Object { "$($_.Name)=$($_.Count)" }) -join ' '

    for ($i = 0; $i -lt $Warmup; $i++) { $records = $null; $records = @(Get-ContainerLogLink -Root / -ErrorVariable +errors) }

    # Warm module runs and find runs alternate, so a change in the machine's load hits both alike.
    $warm = [System.Collections.Generic.List[object]]::new()
    $find = [System.Collections.Generic.List[object]]::new()
    foreach ($i in 1..$Runs) {
        $records = $null
        $cpu = (Get-CpuMs)
        $sw.Restart()
        $records = @(Get-ContainerLogLink -Root / -ErrorVariable +errors)
        $sw.Stop()
        $cpu = (Get-CpuMs) - $cpu
        if ($records.Count -ne $count) { throw "Warm run $i returned $($records.Count) records, the cold run $count." }
        $warm.Add([pscustomobject]@{ Wall = $sw.Elapsed.TotalMilliseconds; Cpu = $cpu })
        $records = $null
        $find.Add((Measure-Process $findArgs))
    }
    if ($errors) { throw "Get-ContainerLogLink wrote $(@($errors).Count) error(s); first: $(@($errors)[0])" }
    $spawn = foreach ($i in 1..$Runs) { Measure-Process @('true') }

    [ordered]@{
        PodDirectories = $podDirs
        FindLinks = $findLines.Count
        FindNotResolvingToFile = $notFiles
        ConfigFiles = $configs
        ModuleColdMs = $cold
        ModuleColdCpuMs = $coldCpu
        ModuleWarmMs = [double[]]$warm.Wall
        ModuleWarmCpuMs = [double[]]$warm.Cpu
        ModuleWarmMedianMs = Get-Median $warm.Wall
        ModuleWarmCpuMedianMs = Get-Median $warm.Cpu
        FindMs = [double[]]$find.Wall
        FindCpuMs = [double[]]$find.Cpu
        FindMedianMs = Get-Median $find.Wall
        FindCpuMedianMs = Get-Median $find.Cpu
        SpawnMedianMs = Get-Median $spawn.Wall
        Records = $count
        Statuses = $statuses
        Kinds = $kinds
    } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $ResultPath
    exit 0
}

# ---- Outside: generate the tree, run each phase in its own namespace, print the table. ----
Assert-BenchHost @('find')
$ModulePath = Resolve-BenchModule $ModulePath
$pwshExe = Join-Path $PSHOME 'pwsh'
$self = $PSCommandPath

Write-MachineInfo 'PodLogs link-scan benchmark' $ModulePath @('find --version')
Assert-NodeMountPoints 'Get-ContainerLogLink'

$tree = New-BenchTreePath
$exitCode = 0
try {
    Add-Type -Path (Join-Path $PSScriptRoot 'BenchNode.cs')
    $containers = [PodLogsBench.BenchNode]::Plan($Pods, $ContainersPerPod, $Restarts, 20261126)
    $podLinks = $containers.Count
    $legacyLinks = $Pods * $ContainersPerPod
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    [PodLogsBench.BenchNode]::WriteLogs($tree, $containers)
    New-Item -ItemType File -Path (Join-Path $tree 'var/log/.podlogs-benchmark-tree') | Out-Null
    Write-Host "  tree    : $tree ($Pods pods x $ContainersPerPod containers x $Restarts restarts: $podLinks N.log links, $legacyLinks legacy links, $podLinks json logs; written in $([int]$sw.Elapsed.TotalMilliseconds) ms)"
    Write-Host "  runs    : cold = first call in a fresh pwsh (import not timed); warm and find = median of $Runs$(if ($Warmup) { ", after $Warmup untimed warm-up calls" })"
    Write-Host ''

    $phases = @(
        @{ Name = '1: links only'; Docker = $false }
        @{ Name = "2: + $podLinks config.v2.json"; Docker = $true }
    )
    $results = foreach ($phase in $phases) {
        if ($phase.Docker) {
            $sw.Restart()
            $n = [PodLogsBench.BenchNode]::WriteDockerState($tree, $containers)
            Write-Host "Phase 2: wrote $n config.v2.json + hostconfig.json in $([int]$sw.Elapsed.TotalMilliseconds) ms"
        }
        Write-Host "Phase $($phase.Name): measuring in a private mount namespace ..."
        $resultPath = Join-Path $tree "result-$([int]$phase.Docker).json"
        $rc = Invoke-OnNodeTree $tree @($pwshExe, '-NoProfile', '-NonInteractive', '-File', $self, '-Measure', '-ModulePath', $ModulePath,
            '-ResultPath', $resultPath, '-ExpectedLinks', ($podLinks + $legacyLinks), '-Runs', $Runs, '-Warmup', $Warmup)
        if ($rc -ne 0) { throw "Phase $($phase.Name): the measurement failed (exit code $rc)." }
        $r = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json
        if ([int]$r.FindNotResolvingToFile -ne 0) { throw "Phase $($phase.Name): $($r.FindNotResolvingToFile) links do not resolve to a regular file for find (%Y): the bind mounts are wrong." }
        $expectedConfigs = if ($phase.Docker) { $podLinks } else { 0 }
        if ([int]$r.ConfigFiles -ne $expectedConfigs) { throw "Phase $($phase.Name): $($r.ConfigFiles) config.v2.json files visible, expected $expectedConfigs." }
        Write-Host ("  module warm runs (ms): {0}   CPU: {1}   (cold: {2:0.0} ms, {3:0} ms CPU)" -f (Format-Runs $r.ModuleWarmMs), (Format-Runs $r.ModuleWarmCpuMs), $r.ModuleColdMs, $r.ModuleColdCpuMs)
        Write-Host ("  find runs (ms)       : {0}   CPU: {1}   (spawning 'true' alone: {2:0.0} ms)" -f (Format-Runs $r.FindMs), (Format-Runs $r.FindCpuMs), $r.SpawnMedianMs)
        Write-Host "  records: $($r.Records)   $($r.Kinds)   status: $($r.Statuses)"
        if (-not $phase.Docker) { $ratio1 = $r.ModuleWarmMedianMs / $r.FindMedianMs; $records1 = [int]$r.Records }
        [pscustomobject]@{
            Phase = $phase.Name
            'Module cold ms' = $r.ModuleColdMs.ToString('0.0')
            'Module warm ms' = $r.ModuleWarmMedianMs.ToString('0.0')
            'find ms' = $r.FindMedianMs.ToString('0.0')
            'Ratio warm/find' = ($r.ModuleWarmMedianMs / $r.FindMedianMs).ToString('0.00')
            Records = [int]$r.Records
            'Module CPU ms' = $r.ModuleWarmCpuMedianMs.ToString('0')
            'find CPU ms' = $r.FindCpuMedianMs.ToString('0')
            'CPU ratio' = ($r.ModuleWarmCpuMedianMs / $r.FindCpuMedianMs).ToString('0.00')
        }
    }

    Write-Host ''
    Write-Host "Medians of $Runs runs; cold = the first call in a fresh pwsh; CPU = user + system of the module's process / of find."
    Write-Host ($results | Format-Table -AutoSize | Out-String -Width 200).TrimEnd()
    Write-Host ''
    Write-Host "  load    : $(Get-LoadAverage) (1/5/15 min) at the end"
    Write-Host ("Phase 1 target: warm/find <= 1.2 -> {0} ({1:0.00})" -f $(if ($ratio1 -le 1.2) { 'met' } else { 'NOT met' }), $ratio1)
    if ($records1 -ne $podLinks + $legacyLinks) {
        Write-Host "Note: phase 1 returned $records1 records; the tree holds $($podLinks + $legacyLinks) links."
    }
}
catch {
    Write-BenchFailure $_
    $exitCode = 1
}
finally {
    Remove-BenchTree $tree -Keep:$KeepTree
}
exit $exitCode
