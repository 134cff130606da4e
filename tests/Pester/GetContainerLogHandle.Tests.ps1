# Issue #13 item 3: Get-ContainerLogHandle over real processes. This machine's /proc describes them, so the tests pass
# -ProcPath /proc with a temporary -Root (the scanner takes the root's real path off the descriptor links).
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $ErrorActionPreference = 'Stop'
    $PSStyle.OutputRendering = 'PlainText'

    $uid = '0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f'
    $root = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'node')).FullName
    $podDir = "/var/log/pods/logging_web-7f9c_$uid"
    $deletedLog = "$podDir/app/0.log"
    $liveLog = "$podDir/app/1.log"
    $victimLog = "$podDir/sidecar/0.log"
    New-Item -ItemType Directory -Path (Get-Local $root '/var/log/containers'), (Get-Local $root '/var/log/pods/other_quiet-1_11111111-2222-4333-8444-555555555555/main') | Out-Null
    foreach ($p in $deletedLog, $liveLog, $victimLog) {
        New-Item -ItemType Directory -Force -Path (Split-Path (Get-Local $root $p)) | Out-Null
        $bytes = [byte[]]::new(100000); [Random]::Shared.NextBytes($bytes)
        [IO.File]::WriteAllBytes((Get-Local $root $p), $bytes)
    }

    $script:processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()
    # A `sleep` holding the files open on descriptors 3, 4, ... (sh -c 'exec 3<file; exec sleep 60').
    function Start-Holder([string[]] $NodePaths) {
        $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $redirections = ($NodePaths | ForEach-Object -Begin { $i = 0 } -Process { $i++; "$($i + 2)<`"`${$i}`"" }) -join ' '
        foreach ($a in @('-c', "exec $redirections; exec sleep 60", 'sh') + @($NodePaths | ForEach-Object { Get-Local $root $_ })) { $start.ArgumentList.Add($a) }
        $process = [System.Diagnostics.Process]::Start($start)
        $script:processes.Add($process)
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        while ((Get-Content -Raw "/proc/$($process.Id)/comm").Trim() -ne 'sleep' -or @(Get-ChildItem "/proc/$($process.Id)/fd").Count -lt 3 + $NodePaths.Count) {
            if ([DateTime]::UtcNow -gt $deadline) { throw 'the holder did not start' }
            Start-Sleep -Milliseconds 20
        }
        $process
    }

    $holder = Start-Holder $deletedLog, $liveLog
    Remove-Item -LiteralPath (Get-Local $root $deletedLog)
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { $p.Kill() }; $p.WaitForExit(); $p.Dispose() }
}

Describe 'Get-ContainerLogHandle' {
    It 'declares LogHandle as its output type and has the pod selection sets' {
        $command = Get-Command Get-ContainerLogHandle
        $command.OutputType.Type | Should -Be ([PodLogs.Core.LogHandle])
        $command.ParameterSets.Name | Should -Be @('ByName', 'ByInputObject')
    }

    It '-Deleted finds the deleted pod log the process holds, with its bytes and its identity' {
        $found = @(Get-ContainerLogHandle -Root $root -ProcPath /proc -Deleted | Where-Object ProcessId -EQ $holder.Id)
        $found.Count | Should -Be 1
        $h = $found[0]
        $h.Deleted | Should -BeTrue
        $h.Bytes | Should -BeGreaterThan 0
        $h.Size | Should -Be 100000
        $h.Path | Should -Be $deletedLog
        $h.ProcessName | Should -Be 'sleep'
        $h.FileDescriptor | Should -Be 3
        $h.Root | Should -Be $root
        ($h.Namespace, $h.PodName, $h.PodUid, $h.ContainerName, $h.RestartCount) | Should -Be ('logging', 'web-7f9c', $uid, 'app', 0)
    }

    It 'without -Deleted also returns the live log it holds' {
        $found = @(Get-ContainerLogHandle -Root $root -ProcPath /proc | Where-Object ProcessId -EQ $holder.Id | Sort-Object FileDescriptor)
        $found.Path | Should -Be @($deletedLog, $liveLog)
        $found.Deleted | Should -Be @($true, $false)
    }

    It 'selects by the log''s identity: -Namespace, -PodName, -ContainerName' {
        @(Get-ContainerLogHandle -Root $root -ProcPath /proc -Namespace logging -PodName web-* -ContainerName app | Where-Object ProcessId -EQ $holder.Id).Count | Should -Be 2
        @(Get-ContainerLogHandle -Root $root -ProcPath /proc -ContainerName sidecar | Where-Object ProcessId -EQ $holder.Id).Count | Should -Be 0
    }

    It 'takes pods from the pipeline' {
        $found = @(Get-PodLogDirectory -Root $root -Namespace logging | Get-ContainerLogHandle -ProcPath /proc | Where-Object ProcessId -EQ $holder.Id)
        $found.Count | Should -Be 2
        @(Get-PodLogDirectory -Root $root -Namespace other | Get-ContainerLogHandle -ProcPath /proc).Count | Should -Be 0
    }

    It 'a typo in -Namespace is SelectionNotFound; a namespace on the node whose logs nobody holds is an empty answer' {
        $err = $null
        $out = @(Get-ContainerLogHandle -Root $root -ProcPath /proc -Namespace loggign -ErrorAction SilentlyContinue -ErrorVariable err)
        $out.Count | Should -Be 0
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId.Split(',')[0] | Should -Be 'SelectionNotFound'
        $err[0].TargetObject | Should -Be 'loggign'
        @(Get-ContainerLogHandle -Root $root -ProcPath /proc -Namespace other -ContainerName nothere).Count | Should -Be 0
    }

    It 'a -ProcPath that is not a procfs is a warning and no records' {
        $warnings = $null
        $out = @(Get-ContainerLogHandle -Root $root -ProcPath $TestDrive -WarningAction SilentlyContinue -WarningVariable warnings)
        $out.Count | Should -Be 0
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*is not a procfs*'
    }

    It 'under a -Root without a procfs and no -ProcPath, warns and returns nothing' {
        $warnings = $null
        @(Get-ContainerLogHandle -Root $root -WarningAction SilentlyContinue -WarningVariable warnings).Count | Should -Be 0
        "$($warnings[0])" | Should -BeLike '*-ProcPath*'
    }

    It 'records survive Select-Object and an Export-Clixml round trip with their fields' {
        $h = Get-ContainerLogHandle -Root $root -ProcPath /proc -Deleted | Where-Object ProcessId -EQ $holder.Id
        $selected = $h | Select-Object ProcessId, Path, Deleted, Bytes, Namespace, PodName, ContainerName
        ($selected.ProcessId, $selected.Path, $selected.Deleted, $selected.Bytes, $selected.ContainerName) | Should -Be ($holder.Id, $deletedLog, $true, $h.Bytes, 'app')
        $file = Join-Path $TestDrive 'handles.xml'
        $h | Export-Clixml -LiteralPath $file
        $back = Import-Clixml -LiteralPath $file
        ($back.ProcessId, $back.Path, $back.Deleted, $back.Bytes, $back.Inode, $back.PodUid, $back.Root) | Should -Be ($h.ProcessId, $h.Path, $true, $h.Bytes, $h.Inode, $uid, $root)
        (@(Get-ContainerLogHandle -Root $root -ProcPath /proc -Deleted) | Where-Object ProcessId -EQ $holder.Id | Measure-Object Bytes -Sum).Sum | Should -Be $h.Bytes
    }

    It 'a record is not a file entry: its PSPath refuses, since the file may be deleted and Path is a node path' {
        $h = Get-ContainerLogHandle -Root $root -ProcPath /proc -Deleted | Where-Object ProcessId -EQ $holder.Id
        # What a provider cmdlet's -LiteralPath (alias PSPath) binds by property name; PowerShell surfaces the getter's error there.
        function Get-BoundPSPath { param([Parameter(Mandatory, ValueFromPipelineByPropertyName)][string] $PSPath) $PSPath }
        { $h | Get-BoundPSPath } | Should -Throw '*A log handle is not a file*'
    }

    It 'shows PID, PROCESS, HOLDER, DELETED, SIZE, POD, CONTAINER and PATH, SIZE in human units' {
        $text = Get-ContainerLogHandle -Root $root -ProcPath /proc -Deleted | Where-Object ProcessId -EQ $holder.Id | Out-String -Width 250
        $text | Should -Match '(?m)^\s*PID\s+PROCESS\s+HOLDER\s+DELETED\s+SIZE\s+POD\s+CONTAINER\s+PATH\s*$'
        $text | Should -Match "(?m)^\s*$($holder.Id)\s+sleep\s+True\s+\d+Ki\s+logging/web-7f9c\s+app\s+$([regex]::Escape($deletedLog))\s*$"
    }

    It 'a process killed during the scan is skipped without an error' {
        $victim = Start-Holder $victimLog
        $scanner = [PodLogs.Core.LogHandle].Assembly.GetType('PodLogs.Core.Node.LogHandleScanner', $true)
        $hook = $scanner.GetField('BeforeProcess', [System.Reflection.BindingFlags] 'NonPublic, Static')
        $hook.SetValue($null, [Action[int]] { param($processId) if ($processId -eq $victim.Id) { $victim.Kill(); $victim.WaitForExit() } })
        try {
            $err = $null
            $found = @(Get-ContainerLogHandle -Root $root -ProcPath /proc -ErrorVariable err -Verbose 4>&1)
        }
        finally { $hook.SetValue($null, $null) }
        $victim.HasExited | Should -BeTrue -Because 'the hook ended it during the scan'
        @($err).Count | Should -Be 0
        $records = @($found | Where-Object { $_ -is [PodLogs.Core.LogHandle] })
        @($records | Where-Object ProcessId -EQ $victim.Id).Count | Should -Be 0
        @($records | Where-Object ProcessId -EQ $holder.Id).Count | Should -Be 2
    }
}

Describe 'Get-ContainerLogHandle tab completion' {
    It 'completes -Namespace and -ContainerName from the pod directories under -Root' {
        [string[]](Get-Completion "Get-ContainerLogHandle -Root '$root' -Namespace log").CompletionText | Should -Be @('logging')
        [string[]](Get-Completion "Get-ContainerLogHandle -Root '$root' -Namespace logging -ContainerName si").CompletionText | Should -Be @('sidecar')
    }
}
