#!/usr/bin/env pwsh
# node-problem-detector custom plugin (issue #14 item 2; contract in /work/shared/docs/fleet-conventions.md):
# exit 0 = OK, 1 = problem, anything else = unknown; the first line of stdout is the condition's message, and NPD
# cuts it at max_output_length (80 by default), so every message here is built to fit in 80 characters.
#
#   -Condition ContainerLogChainBroken   a pod log link or legacy link is Dangling, Missing, Stale or Unsafe
#   -Condition ContainerLogDiskPressure  the node's container logs take more than -MaxLogPercent of the filesystem
#                                        that holds the pod logs directory, or some log's rotation is stuck
#                                        (OverLimit, TooManyFiles, NotRotated)
# -Root is where the node's '/' is mounted (/host in NPD's DaemonSet, as node-exporter and kubectl debug do).
#
# No [CmdletBinding()], Mandatory or Validate* attributes on purpose: pwsh -File exits 1 on a parameter binding error,
# which NPD would read as "problem"; a plain script takes any arguments, and every bad one is checked below as unknown.
param(
    # ContainerLogChainBroken or ContainerLogDiskPressure.
    [string] $Condition,

    [string] $Root,

    # The share of the log filesystem's size (percent, 0-100) the node's container logs may take.
    [string] $MaxLogPercent = '20',

    # Where the module is, when it is not on PSModulePath.
    [string] $ModulePath = 'PodLogs'
)

$ErrorActionPreference = 'Stop'
$WarningPreference = 'SilentlyContinue'
$ProgressPreference = 'SilentlyContinue'
$InformationPreference = 'SilentlyContinue'
$MaxMessage = 80

function Complete([int] $Code, [string] $Message) {
    # One line, within NPD's limit: the cut is ours so it never falls inside a word NPD would keep half of.
    $line = ($Message -replace '[\r\n]+', ' ').Trim()
    if ($line.Length -gt $MaxMessage) { $line = $line.Substring(0, $MaxMessage - 3) + '...' }
    [Console]::Out.WriteLine($line)
    exit $Code
}

function Format-Bytes([long] $Bytes) {
    foreach ($unit in 'B', 'KiB', 'MiB', 'GiB') {
        if ($Bytes -lt 1024 -or $unit -eq 'GiB') { return $(if ($unit -eq 'B') { "$Bytes B" } else { '{0:0.#} {1}' -f $Bytes, $unit }) }
        $Bytes = [long]($Bytes / 1024)
    }
}

function Format-Finding([string] $Head, $First) {
    # "<head> <the first finding's container>", naming it as fully as NPD's limit allows (a pod name alone may take 63).
    $candidates = @(
        "$Head $($First.Namespace)/$($First.PodName)/$($First.ContainerName)"
        "$Head $($First.PodName)/$($First.ContainerName)"
        "$Head $($First.ContainerName) in $($First.Namespace)"
        "$Head $($First.ContainerName)")
    foreach ($c in $candidates) { if ($c.Length -le $MaxMessage) { return $c } }
    $candidates[-1]
}

function Test-ChainBroken {
    # Orphaned and Invalid entries are cleanup's business (Get-PodLogDirectory -Orphaned), not a broken chain.
    $result = Test-ContainerLogLink -Root $Root -Detailed -Status Healthy, Orphaned, Invalid -ErrorAction SilentlyContinue -ErrorVariable failed
    $broken = @($result.Failures)
    if ($broken.Count -gt 0) {
        $first = $broken[0]
        $head = "$($broken.Count) broken log link$(if ($broken.Count -ne 1) { 's' }); first: $($first.Status)"
        Complete 1 (Format-Finding $head $first)
    }
    if ($result.Unreadable -gt 0 -or $failed.Count -gt 0) {
        Complete 2 "Unknown: $([Math]::Max($result.Unreadable, $failed.Count)) part(s) unreadable: $($failed[0].FullyQualifiedErrorId)"
    }
    Complete 0 "Container log links intact ($($result.Checked) checked)"
}

function Get-LogFilesystemSize {
    # statvfs of the pod logs directory (DriveInfo asks statvfs for exactly the path it is given): the size of the
    # filesystem that holds it, as kubelet's own log stats count it.
    $dir = Join-Path $Root 'var/log/pods'
    if (-not (Test-Path -LiteralPath $dir -PathType Container)) { $dir = Join-Path $Root 'var/log' }
    $size = [IO.DriveInfo]::new($dir).TotalSize
    if ($size -le 0) { throw "no filesystem size for $dir" }
    $size
}

function Test-DiskPressure {
    $instances = @(Measure-PodLog -Root $Root -ErrorAction SilentlyContinue -ErrorVariable failed)
    $stuck = @($instances | Where-Object { [PodLogs.Core.RotationStateRules]::IsStuck($_.RotationState) })
    $total = [long](@(Measure-PodLog -Root $Root -By Node -ErrorAction SilentlyContinue -ErrorVariable +failed)[0].TotalBytes)
    $size = Get-LogFilesystemSize
    $percent = 100.0 * $total / $size
    if ($percent -gt $maxPercent) {
        Complete 1 ('Container logs {0} = {1:0.##}% of {2} > {3}%' -f (Format-Bytes $total), $percent, (Format-Bytes $size), $maxPercent)
    }
    if ($stuck.Count -gt 0) {
        $first = $stuck[0]
        $head = "rotation stuck: $($stuck.Count) log$(if ($stuck.Count -ne 1) { 's' }); first: $($first.RotationState)"
        Complete 1 (Format-Finding $head $first)
    }
    if ($failed.Count -gt 0) { Complete 2 "Unknown: $($failed.Count) error(s) measuring logs: $($failed[0].FullyQualifiedErrorId)" }
    Complete 0 ('Container logs {0} = {1:0.##}% of {2}, rotation OK' -f (Format-Bytes $total), $percent, (Format-Bytes $size))
}

$Conditions = 'ContainerLogChainBroken', 'ContainerLogDiskPressure'
try {
    if ($args.Count -gt 0) { throw "unexpected argument(s): $args" }
    if ($Condition -notin $Conditions) { throw "-Condition is $($Conditions -join ' or ')" }
    $maxPercent = 0.0
    if (-not [double]::TryParse($MaxLogPercent, [Globalization.NumberStyles]::Float, [cultureinfo]::InvariantCulture, [ref] $maxPercent) -or
        $maxPercent -lt 0 -or $maxPercent -gt 100) { throw "-MaxLogPercent must be a number from 0 to 100, not '$MaxLogPercent'" }
    if (-not $Root) { $Root = if (Test-Path -LiteralPath '/host' -PathType Container) { '/host' } else { '/' } }
    if (-not (Test-Path -LiteralPath $Root -PathType Container)) { throw "root is not a readable directory: $Root" }
    $null = [IO.Directory]::EnumerateFileSystemEntries($Root) | Select-Object -First 1
    # kubelet creates var/log/containers when it starts, even on a node without pods: without it this is not a node's '/'.
    if (-not (Test-Path -LiteralPath (Join-Path $Root 'var/log/containers') -PathType Container)) { throw "no var/log/containers under $Root, not a node's /" }
    if ($ModulePath -match '/') { $ModulePath = [IO.Path]::GetFullPath($ModulePath) }
    Import-Module $ModulePath -ErrorAction Stop
    switch ($Condition) {
        'ContainerLogChainBroken' { Test-ChainBroken }
        'ContainerLogDiskPressure' { Test-DiskPressure }
    }
}
catch {
    Complete 2 "Unknown: $($_.Exception.Message)"
}
