<#
.SYNOPSIS
    Times Get-ContainerLogLink per -Source in this (fresh) pwsh; RuntimeSourceBench starts it and prints the table.
.DESCRIPTION
    Imports the built module, then for each source in order the cold call (the first call with that
    source in this session, Stopwatch around `Get-ContainerLogLink ... | Measure-Object`), then -Warm
    rounds of warm calls, one per source per round (round-robin). Then, untimed, one more call per source
    whose records and errors are returned for the sanity checks. Every source gets the same parameters (-Root, -DockerEndpoint, -CriEndpoint).
    Writes JSON to -OutFile.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Root,
    [Parameter(Mandatory)] [string] $DockerEndpoint,
    [Parameter(Mandatory)] [string] $CriEndpoint,
    [string[]] $Source = @('None', 'DockerFiles', 'Docker', 'Cri'),
    [int] $Warm = 5,
    [switch] $NoRecords,
    [Parameter(Mandatory)] [string] $OutFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# pwsh -File passes "-Source A,B" as one string.
$Source = @($Source | ForEach-Object { $_ -split ',' } | Where-Object { $_ })

$sw = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module (Join-Path $ModulePath 'PodLogs.psd1')
$importMs = $sw.Elapsed.TotalMilliseconds

function Get-Params([string] $s) { @{ Root = $Root; Source = $s; DockerEndpoint = $DockerEndpoint; CriEndpoint = $CriEndpoint } }
$cold = @{}
foreach ($s in $Source) {
    $p = Get-Params $s
    $sw.Restart()
    $count = (Get-ContainerLogLink @p | Measure-Object).Count
    $cold[$s] = @{ Ms = $sw.Elapsed.TotalMilliseconds; Count = $count }
}
# Warm calls round-robin over the sources, so a burst of other work on the machine hits all of them alike.
$warmMs = @{}
foreach ($s in $Source) { $warmMs[$s] = [System.Collections.Generic.List[double]]::new() }
for ($i = 0; $i -lt $Warm; $i++) {
    foreach ($s in $Source) {
        $p = Get-Params $s
        $sw.Restart()
        $null = Get-ContainerLogLink @p | Measure-Object
        $warmMs[$s].Add($sw.Elapsed.TotalMilliseconds)
    }
}
$results = foreach ($s in $Source) {
    $records = @()
    $errors = @()
    if (-not $NoRecords) {
        $p = Get-Params $s
        $records = @(Get-ContainerLogLink @p -ErrorAction Continue -ErrorVariable +errors 2>$null)
    }
    [ordered]@{
        Source  = $s
        Count   = $cold[$s].Count
        ColdMs  = $cold[$s].Ms
        WarmMs  = @($warmMs[$s])
        Errors  = @($errors | ForEach-Object { "$_" })
        Records = @($records | ForEach-Object {
                [ordered]@{
                    NodePath = $_.NodePath; Kind = "$($_.Kind)"; Status = "$($_.Status)"; State = "$($_.State)"
                    ContainerId = $_.ContainerId; RestartCount = $_.RestartCount; Source = $_.Source
                }
            })
    }
}
[ordered]@{ ImportMs = $importMs; Results = @($results) } | ConvertTo-Json -Depth 6 -Compress | Set-Content -LiteralPath $OutFile
