#!/usr/bin/env pwsh
# The main job on the embedded sample node: list pods, show what is broken and why, where the disk
# went, repair with -WhatIf, repair, show the result. Run through: dotnet pwsh ./build.ps1 Demo
param([Parameter(Mandatory)] [string] $ModulePath)

$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
Import-Module $ModulePath

$node = Join-Path ([IO.Path]::GetTempPath()) "podlogs-sample-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
function Step([string] $text) { Write-Host "`n=== $text" }
try {
    Step "New-PodLogSampleNode $node"
    New-PodLogSampleNode -Path $node | Out-Null

    Step "Get-PodLogDirectory -Root `$node   # the pods on this node"
    Get-PodLogDirectory -Root $node | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

    Step "Get-ContainerLogLink -Root `$node | Where-Object Status -ne Healthy   # what is broken, and why"
    Get-ContainerLogLink -Root $node | Where-Object Status -ne 'Healthy' |
        Format-List Status, Kind, NodePath, Target, Reason | Out-String -Width 200 | Write-Host

    Step "Get-ContainerLogLink -Root `$node | Where-Object IsTruncated   # names Fluent Bit's tag regex cannot match"
    Get-ContainerLogLink -Root $node | Where-Object IsTruncated | Format-List Status, NodePath, Reason | Out-String -Width 200 | Write-Host

    Step "Measure-PodLog -Root `$node -Namespace observability   # where did the disk go: over the limit, too many files, leftovers"
    Measure-PodLog -Root $node -Namespace observability | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

    Step "Repair-ContainerLogLink -Root `$node -WhatIf"
    Repair-ContainerLogLink -Root $node -WhatIf -ErrorAction SilentlyContinue

    Step "Repair-ContainerLogLink -Root `$node   # refusals are errors with stable ErrorIds"
    Repair-ContainerLogLink -Root $node -ErrorAction SilentlyContinue -ErrorVariable refused | Format-Table -AutoSize | Out-String -Width 250 | Write-Host
    foreach ($e in $refused) { Write-Host "refused: $($e.FullyQualifiedErrorId): $($e.Exception.Message)" }

    Step "Get-ContainerLogLink -Root `$node | Group-Object Status"
    Get-ContainerLogLink -Root $node | Group-Object Status -NoElement | Format-Table -AutoSize | Out-String | Write-Host

    Step "Test-ContainerLogLink -Root `$node -Namespace istio-system, kube-system, monitoring; and default after the refused forger pod"
    Write-Host "istio-system, kube-system, monitoring healthy: $(Test-ContainerLogLink -Root $node -Namespace istio-system, kube-system, monitoring)"
    Write-Host "stakater-reloader healthy: $(Test-ContainerLogLink -Root $node -Namespace default -PodName stakater-reloader-*)"
    Write-Host "whole node healthy: $(Test-ContainerLogLink -Root $node -WarningAction SilentlyContinue)  (the forger pod's hostile label is refused on purpose)"

    Step "Repair-ContainerLogLink -Root `$node   # a second run changes nothing"
    $again = @(Repair-ContainerLogLink -Root $node -ErrorAction SilentlyContinue)
    Write-Host "actions on the second run: $($again.Count)"
}
finally {
    Remove-Item $node -Recurse -Force -ErrorAction Ignore
}
