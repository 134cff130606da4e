# Issue #10 item 1: a record never stands for a path outside its root. Every record type the module emits is
# piped into the provider cmdlets while a file sits at its node path OUTSIDE the root (this machine's own
# /var/log/..., /var/lib/docker/...). The outside world is a tmpfs in a private mount namespace
# (RecordPaths.Child.ps1 under `unshare --mount --propagation private`), so this machine's files are never touched.
BeforeDiscovery {
    $records = @( # the same list as $recordNames below
        'ContainerLogLink Missing PodLog', 'ContainerLogLink Missing Legacy', 'ContainerLogLink Healthy Legacy', 'ContainerLogLink expected log',
        'PodLogDirectory computed', 'PodLogDirectory cluster', 'PodLogDirectory existing', 'PodLogDirectory orphaned',
        'OrphanedLegacyLink', 'LinkRepairResult', 'ContainerLogLine', 'LinkHop'
    )
    $cmdlets = @('Remove-Item', 'Get-Item', 'Get-Content', 'Copy-Item', 'Move-Item')
    $cases = foreach ($r in $records) { foreach ($c in $cmdlets) { @{ Record = $r; Cmdlet = $c } } }
    $missing = @('ContainerLogLink Missing PodLog', 'ContainerLogLink Missing Legacy', 'ContainerLogLink expected log', 'PodLogDirectory computed', 'PodLogDirectory cluster')
    $missingCases = foreach ($r in $missing) { foreach ($c in $cmdlets) { @{ Record = $r; Cmdlet = $c } } }
    $notEntries = foreach ($r in 'ContainerLogLine', 'LinkHop') { foreach ($c in $cmdlets) { @{ Record = $r; Cmdlet = $c } } }
}

BeforeAll {
    $module = if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }
    Import-Module $module -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    $machineId = '4c9e0b1a2d3f4e5a6b7c8d9e0f1a2b3c'
    # The API: the reloader runs and a new web pod has no directory yet; every other sample pod is gone.
    $reloaderStatus = @{ name = 'stakater-reloader'; image = 'reloader'; imageID = ''; restartCount = 7; ready = $true; started = $true
        containerID = "docker://$($Sample.Reloader7)"; state = @{ running = @{ startedAt = '2026-11-26T08:00:00Z' } }; lastState = @{} }
    $webStatus = @{ name = 'web'; image = 'web'; imageID = ''; restartCount = 0; ready = $true; started = $true
        containerID = "docker://$('feedface' * 8)"; state = @{ running = @{ startedAt = '2026-11-26T08:00:00Z' } }; lastState = @{} }
    function New-Pod($name, $uid, $status) {
        @{ metadata = @{ name = $name; namespace = 'default'; uid = $uid; creationTimestamp = '2026-11-26T07:00:00Z' }
            spec = @{ nodeName = 'node-1'; restartPolicy = 'Always'; containers = @(@{ name = $status.name; image = $status.image }) }
            status = @{ phase = 'Running'; containerStatuses = @($status) } }
    }
    $state = @{
        nodes = @(@{ metadata = @{ name = 'node-1'; uid = '11111111-2222-4333-8444-555555555555' }; status = @{ nodeInfo = @{ machineID = $machineId; kubeletVersion = 'v1.31.2'; containerRuntimeVersion = 'docker://27.3.1' } } })
        pods  = @((New-Pod $Sample.ReloaderPod $Sample.ReloaderUid $reloaderStatus), (New-Pod 'web-7f9c4d-abcde' '0a0b0c0d-1e1f-4a2b-8c3d-4e5f60718293' $webStatus))
    }
    $server = Start-TestKubeApi -State $state

    $recordNames = @(
        'ContainerLogLink Missing PodLog', 'ContainerLogLink Missing Legacy', 'ContainerLogLink Healthy Legacy', 'ContainerLogLink expected log',
        'PodLogDirectory computed', 'PodLogDirectory cluster', 'PodLogDirectory existing', 'PodLogDirectory orphaned',
        'OrphanedLegacyLink', 'LinkRepairResult', 'ContainerLogLine', 'LinkHop'
    )
    $cmdletNames = @('Remove-Item', 'Get-Item', 'Get-Content', 'Copy-Item', 'Move-Item')
    $hostBefore = @('/var/log', '/var/lib') | ForEach-Object { Get-ChildItem -LiteralPath $_ -Force -Name } | Sort-Object
    $work = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'record-paths')).FullName
    $pwsh = Join-Path $PSHOME 'pwsh'
    $childArgs = @('--mount', '--propagation', 'private', '--', $pwsh, '-NoProfile', '-NonInteractive', '-File', "$PSScriptRoot/RecordPaths.Child.ps1",
        '-Module', (Resolve-Path $module).Path, '-Work', $work, '-Kubeconfig', $server.Kubeconfig, '-MachineId', $machineId,
        '-Record', ($recordNames -join ','), '-Cmdlet', ($cmdletNames -join ','))
    $lines = & unshare @childArgs 2>&1
    $childExit = $LASTEXITCODE
    $results = @{}
    foreach ($line in $lines) {
        if ("$line".StartsWith('{')) { $r = "$line" | ConvertFrom-Json; $results["$($r.Record)|$($r.Cmdlet)"] = $r }
    }
    $childOutput = ($lines | Where-Object { -not "$_".StartsWith('{') }) -join "`n"
}

AfterAll {
    if ($server) { $server.Stop() }
}

Describe 'The outside world of this test' {
    It 'ran every case in the private namespace' {
        $childExit | Should -Be 0 -Because $childOutput
        $results.Count | Should -Be ($recordNames.Count * $cmdletNames.Count) -Because $childOutput
    }

    It 'left this machine''s /var/log and /var/lib as they were' {
        (@('/var/log', '/var/lib') | ForEach-Object { Get-ChildItem -LiteralPath $_ -Force -Name } | Sort-Object) | Should -Be $hostBefore
    }
}

Describe 'A record piped into a provider cmdlet never reaches its node path outside the root' {
    It '<Record> | <Cmdlet> leaves the outside file alone and reads nothing from it' -ForEach $cases {
        $r = $results["$Record|$Cmdlet"]
        $r | Should -Not -BeNullOrEmpty -Because $childOutput
        $r.OutsideIntact | Should -BeTrue -Because "the file at $($r.Outside -join ', ') is outside the root ($($r.Errors.Message -join '; '))"
        $r.ReadOutside | Should -BeFalse -Because "$Cmdlet read or copied $($r.Outside -join ', ')"
        foreach ($path in $r.Output) { $path | Should -Not -BeLike '/var/*' -Because 'nothing outside the root is named in the output' }
    }
}

Describe 'An entry that does not exist binds as itself under -Root' {
    It '<Record> | <Cmdlet> says the path under the root does not exist' -ForEach $missingCases {
        $r = $results["$Record|$Cmdlet"]
        $r.Errors.Count | Should -BeGreaterThan 0 -Because 'the entry is missing: binding must fail, not fall back to the node path'
        foreach ($e in $r.Errors) {
            $e.Id | Should -Match '^(PathNotFound|InvalidOperation),' -Because 'Move-Item says InvalidOperation for a path that does not exist'
            $e.Message | Should -Match 'does not exist'
            "$($e.Target) $($e.Message)" | Should -Match ([regex]::Escape("$($r.Root)/")) -Because 'the provider was given the entry under -Root (Move-Item names it only in the message)'
        }
    }
}

Describe 'A record that is not an entry binds to no path' {
    It '<Record> | <Cmdlet> fails with the record''s own message' -ForEach $notEntries {
        $r = $results["$Record|$Cmdlet"]
        $r.Output | Should -BeNullOrEmpty
        $r.Errors.Count | Should -Be 1
        $r.Errors[0].Message | Should -Match 'is not a file'
    }
}
