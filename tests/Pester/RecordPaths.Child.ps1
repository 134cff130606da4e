# Run by RecordPaths.Tests.ps1 as root inside `unshare --mount --propagation private`: hides this machine's
# /var/log and /var/lib under tmpfs mounts private to this process, puts a file at each record's node path
# there (OUTSIDE the root), pipes the record into a provider cmdlet and reports, as JSON lines, what the
# cmdlet did to the outside world. Never run it outside such a namespace: it writes to /var/log.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Work,
    [Parameter(Mandatory)] [string] $Kubeconfig,
    [Parameter(Mandatory)] [string] $MachineId,
    # Comma-separated (pwsh -File passes each argument as one string).
    [Parameter(Mandatory)] [string] $Record,
    [Parameter(Mandatory)] [string] $Cmdlet
)
$ErrorActionPreference = 'Stop'

function Test-PrivateTmpfs([string] $Path) {
    # /proc/self/mountinfo: field 5 is the mount point; after ' - ' comes the file system type.
    foreach ($line in [IO.File]::ReadAllLines('/proc/self/mountinfo')) {
        $fields = $line -split ' '
        if ($fields[4] -eq $Path -and ($line -split ' - ')[1] -like 'tmpfs *') { return $true }
    }
    $false
}

# Only in a mount namespace of its own, and only once the two mounts are there: else stop before writing.
if ([IO.FileInfo]::new('/proc/self/ns/mnt').LinkTarget -eq [IO.FileInfo]::new('/proc/1/ns/mnt').LinkTarget) {
    throw 'Not in a private mount namespace: run through unshare --mount --propagation private.'
}
foreach ($mountPoint in '/var/log', '/var/lib') {
    & mount -t tmpfs podlogs-record-paths $mountPoint
    if ($LASTEXITCODE -ne 0 -or -not (Test-PrivateTmpfs $mountPoint)) { throw "Could not mount a private tmpfs on $mountPoint; nothing was written." }
}
$null = New-Item -ItemType Directory -Path /var/lib/docker

Import-Module $Module

$ids = @{
    Reloader1 = 'cc75d79b3aef49f739b03f5fa7379f75c69944cbeb0a4555d3833a26ebfe06b4'
    Reloader6 = 'e9bc97e0cdd1e4258f17bb18db976ac371860103b861529cb690005ada97d153'
    Reloader7 = 'c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332'
}
$cluster = @{ Kubeconfig = $Kubeconfig; NodeName = 'node-1' }

# Each producer returns the records of one kind from a fresh sample node.
$producers = @{
    'ContainerLogLink Missing PodLog' = { param($r) Get-ContainerLogLink -Root $r -ContainerId $ids.Reloader6 | Where-Object Kind -EQ PodLog }
    'ContainerLogLink Missing Legacy' = { param($r) Get-ContainerLogLink -Root $r -ContainerId $ids.Reloader7 | Where-Object Kind -EQ Legacy }
    'ContainerLogLink Healthy Legacy' = { param($r) Get-ContainerLogLink -Root $r -ContainerId $ids.Reloader1 | Where-Object Kind -EQ Legacy }
    'ContainerLogLink expected log'   = { param($r) Get-ContainerLogLink -Root $r @cluster -Cluster -Source DockerFiles -PodName 'web-*' }
    'PodLogDirectory computed'        = { param($r) Get-PodLogDirectory -Root $r -Namespace default -PodName web-1 -PodUid 11111111-2222-4333-8444-555555555555 }
    'PodLogDirectory cluster'         = { param($r) Get-PodLogDirectory -Root $r @cluster -Cluster -PodName 'web-*' }
    'PodLogDirectory existing'        = { param($r) Get-PodLogDirectory -Root $r -Namespace default -PodName 'stakater-*' }
    'PodLogDirectory orphaned'        = { param($r) Get-PodLogDirectory -Root $r @cluster -Orphaned -GracePeriod 0 | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] } | Select-Object -First 1 }
    'OrphanedLegacyLink'              = { param($r) Get-PodLogDirectory -Root $r @cluster -Orphaned -GracePeriod 0 | Where-Object { $_ -is [PodLogs.Core.OrphanedLegacyLink] } | Select-Object -First 1 }
    'LinkRepairResult'                = { param($r) Repair-ContainerLogLink -Root $r -ContainerId $ids.Reloader6 -Confirm:$false }
    'ContainerLogLine'                = { param($r) Get-ContainerLog -Root $r -Namespace kube-system -ContainerName coredns -Tail 2 }
    'LinkHop'                         = { param($r) (Get-ContainerLogLink -Root $r -ContainerId $ids.Reloader1 | Where-Object Kind -EQ Legacy).Chain }
}

function Get-NodePath($item, [string] $root) {
    if ($item -is [PodLogs.Core.ContainerLogLine]) { return $item.File.Substring($root.Length) }
    $item.NodePath
}

function Reset-Outside {
    foreach ($top in '/var/log', '/var/lib/docker') { Get-ChildItem -LiteralPath $top -Force | Remove-Item -Recurse -Force }
}

foreach ($name in $Record -split ',') {
    foreach ($command in $Cmdlet -split ',') {
        Reset-Outside
        $root = (New-PodLogSampleNode -Path (Join-Path $Work "node-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
        Set-Content -LiteralPath (Join-Path $root 'etc/machine-id') -Value $MachineId
        $records = @(& $producers[$name] $root)
        if ($records.Count -eq 0) { throw "No '$name' record came from the sample node." }

        # The outside world: a file (or, for a directory record, a directory holding one) at each record's node path.
        # Not at its links' targets: an existing link under the root is followed the operating system's way, from this
        # machine's '/', by Get-Content and Copy-Item (docs/decisions.md); what is tested is that no record stands
        # for its own node path here.
        $outside = foreach ($item in $records) {
            $nodePath = Get-NodePath $item $root
            if (-not $nodePath.StartsWith('/var/log/') -and -not $nodePath.StartsWith('/var/lib/docker/')) { throw "$name's node path $nodePath is not under the private mounts." }
            $file = if ($item -is [PodLogs.Core.PodLogDirectory]) { "$nodePath/outside.log" } else { $nodePath }
            $null = New-Item -ItemType Directory -Path (Split-Path $file) -Force
            [IO.File]::WriteAllText($file, "OUTSIDE $name`n")
            $file
        }
        $destination = (New-Item -ItemType Directory -Path (Join-Path $Work "dest-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName

        $output = @(); $errors = @()
        try {
            $output = @(switch ($command) {
                    'Remove-Item' { $records | Remove-Item -Recurse -Confirm:$false -ErrorAction Continue -ErrorVariable +errors 2>$null }
                    'Get-Item' { $records | Get-Item -ErrorAction Continue -ErrorVariable +errors 2>$null | ForEach-Object FullName }
                    'Get-Content' { $records | Get-Content -ErrorAction Continue -ErrorVariable +errors 2>$null }
                    'Copy-Item' { $records | Copy-Item -Destination $destination -ErrorAction Continue -ErrorVariable +errors 2>$null }
                    'Move-Item' { $records | Move-Item -Destination $destination -ErrorAction Continue -ErrorVariable +errors 2>$null }
                })
        }
        catch { $errors += $_ }

        # What landed in the destination: regular files' text (a link that was moved there is not followed).
        $copied = @(Get-ChildItem -LiteralPath $destination -Recurse -File -Force | Where-Object { $null -eq $_.LinkTarget } | ForEach-Object { [IO.File]::ReadAllText($_.FullName) })
        [pscustomobject]@{
            Record        = $name
            Cmdlet        = $command
            Root          = $root
            Outside       = @($outside)
            OutsideIntact = @($outside | Where-Object { -not [IO.File]::Exists($_) -or [IO.File]::ReadAllText($_) -ne "OUTSIDE $name`n" }).Count -eq 0
            ReadOutside   = @(@($output) + $copied | Where-Object { "$_" -match 'OUTSIDE' }).Count -gt 0
            Output        = @($output | ForEach-Object { "$_" })
            Errors        = @($errors | ForEach-Object { [pscustomobject]@{ Id = $_.FullyQualifiedErrorId; Message = $_.Exception.Message; Target = "$($_.TargetObject)" } })
        } | ConvertTo-Json -Compress -Depth 4
    }
}
