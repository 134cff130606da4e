# The DaemonSets' agent (deploy/podlogs-agent.ps1, issue #14 item 3) run as its container runs it: a pwsh process that
# imports the module by name, writes JSON lines to stdout, and is ended by SIGTERM. The node is a sample node under
# $TestDrive, the API a real test API server (tests/PodLogs.TestKubeApi), the holder of a deleted log a real process.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $ErrorActionPreference = 'Stop'

    $script:agent = (Resolve-Path "$PSScriptRoot/../../deploy/podlogs-agent.ps1").Path
    # The agent imports PodLogs by name, as in the image: the directory holding the module under test goes on PSModulePath.
    $script:modulePath = Split-Path (Get-Module PodLogs).ModuleBase
    $script:processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

    # The agent as the container's PID 1 runs it; stdout to a file (sh's exec leaves pwsh itself as the process to signal).
    function Start-Agent([string[]] $Arguments, [hashtable] $Environment = @{}) {
        $out = Join-Path $TestDrive "agent-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        $command = @((Join-Path $PSHOME 'pwsh'), '-NoLogo', '-NoProfile', '-NonInteractive', '-File', $script:agent) + $Arguments
        foreach ($a in @('-c', 'out=$1; shift; exec "$@" >"$out.jsonl" 2>"$out.err"', 'sh', $out) + $command) { $start.ArgumentList.Add([string]$a) }
        $start.UseShellExecute = $false
        $start.Environment['PSModulePath'] = $script:modulePath
        foreach ($name in 'KUBERNETES_SERVICE_HOST', 'KUBECONFIG', 'NODE_NAME') { $start.Environment.Remove($name) | Out-Null }
        foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
        $process = [System.Diagnostics.Process]::Start($start)
        $script:processes.Add($process)
        [pscustomobject]@{ Process = $process; Output = "$out.jsonl"; ErrorOutput = "$out.err" }
    }

    function Get-AgentLine($Agent) {
        if (-not (Test-Path -LiteralPath $Agent.Output)) { return }
        # A line being written has no newline yet: only whole lines are read.
        $text = [IO.File]::ReadAllText($Agent.Output)
        $text.Substring(0, $text.LastIndexOf("`n") + 1) -split "`n" | Where-Object { $_ } | ConvertFrom-Json
    }

    # Polls the agent's output until a line passes the filter; the wait only bounds a hang, it asserts no speed.
    function Wait-AgentLine($Agent, [scriptblock] $Filter, [int] $TimeoutSec = 120) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
        while ($true) {
            $found = @(Get-AgentLine $Agent | Where-Object $Filter)
            if ($found) { return $found[0] }
            if ($Agent.Process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "No such agent line (exited: $($Agent.Process.HasExited)). Output:`n$(Get-Content -Raw -LiteralPath $Agent.Output -ErrorAction Ignore)`nErrors:`n$(Get-Content -Raw -LiteralPath $Agent.ErrorOutput -ErrorAction Ignore)"
            }
            Start-Sleep -Milliseconds 100
        }
    }

    function Wait-AgentExit($Agent, [int] $TimeoutSec = 120) {
        if (-not $Agent.Process.WaitForExit($TimeoutSec * 1000)) { $Agent.Process.Kill(); throw "The agent did not end within $TimeoutSec s." }
        $Agent.Process.ExitCode
    }

    function Stop-Agent($Agent) { & kill -TERM $Agent.Process.Id }

    # The metrics text without the two samples that change every run.
    function Get-StableMetric([string] $Text) { ($Text -split "`n" | Where-Object { $_ -notmatch '^podlogs_(last_scan_timestamp|scan_duration)_seconds ' }) -join "`n" }
}

AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { $p.Kill($true) }; $p.WaitForExit(); $p.Dispose() }
}

Describe 'podlogs-agent.ps1 checking a node' {
    BeforeAll {
        $root = New-SampleRoot 'check'
        $before = Get-TreeSnapshot $root
        $textfile = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'textfile')).FullName
        $run = Start-Agent '-Root', $root, '-MetricsPath', "$textfile/podlogs.prom", '-IntervalSec', '1', '-MaxCycles', '2'
        $code = Wait-AgentExit $run
        $lines = @(Get-AgentLine $run)
    }

    It 'runs its cycles and ends with exit code 0, writing nothing to stderr' {
        $code | Should -Be 0
        Get-Content -Raw -LiteralPath $run.ErrorOutput | Should -BeNullOrEmpty
    }

    It 'writes only JSON lines, each with a UTC time, a level and an event' {
        (Get-Content -LiteralPath $run.Output).Count | Should -Be $lines.Count
        foreach ($line in $lines) {
            $line.time | Should -BeOfType [datetime]
            $line.time.Kind | Should -Be 'Utc'
            $line.level | Should -BeIn 'info', 'warning', 'error'
            $line.event | Should -BeIn 'start', 'finding', 'resolved', 'repair', 'warning', 'error', 'cycle', 'stop'
        }
        $lines[0].event | Should -Be 'start'
        $lines[0].mode | Should -Be 'check'
        $lines[0].version | Should -Be "$((Get-Module PodLogs).Version)"
        $lines[-1].event | Should -Be 'stop'
        $lines[-1].reason | Should -Be 'MaxCycles'
        @($lines | Where-Object event -EQ 'cycle').cycle | Should -Be 1, 2
    }

    It 'logs every link the module finds broken once, in the cycle that finds it; each cycle counts what is open' {
        $broken = @(Get-ContainerLogLink -Root $root | Where-Object Status -NE Healthy)
        $broken.Count | Should -BeGreaterThan 0
        $cycles = @($lines | Where-Object event -EQ 'cycle')
        $firstCycle = [array]::IndexOf($lines, $cycles[0])
        $findings = @($lines | Where-Object event -EQ 'finding')
        # All in the first cycle, none repeated in the second: nothing changed in between.
        @($lines[0..$firstCycle] | Where-Object event -EQ 'finding').Count | Should -Be $findings.Count
        @($findings | Where-Object kind -EQ 'link' | ForEach-Object { "$($_.path) $($_.status)" } | Sort-Object) |
            Should -Be @($broken | ForEach-Object { "$($_.NodePath) $($_.Status)" } | Sort-Object)
        @($lines | Where-Object event -EQ 'resolved').Count | Should -Be 0
        $cycles.findings | Should -Be $findings.Count, $findings.Count
        $cycles.newFindings | Should -Be $findings.Count, 0
        $cycles.resolvedFindings | Should -Be 0, 0
        foreach ($cycle in $cycles) {
            $cycle.errors | Should -Be 0
            $cycle.records | Should -BeGreaterThan $broken.Count
            $cycle.cpuSeconds | Should -BeGreaterThan 0
            $cycle.peakMemoryBytes | Should -BeGreaterOrEqual $cycle.memoryBytes
        }
        $forger = $findings | Where-Object { $_.kind -eq 'link' -and $_.pod -eq $Sample.ForgerPod -and $_.entry -eq 'PodLog' } | Select-Object -First 1
        $forger.namespace | Should -Be 'default'
        $forger.container | Should -Be 'forger'
        $forger.level | Should -Be 'warning'
        $forger.reason | Should -Not -BeNullOrEmpty
    }

    It 'logs the rotations that are stuck, with the figures Measure-PodLog gives' {
        $stuck = @(Measure-PodLog -Root $root | Where-Object RotationState -In 'OverLimit', 'TooManyFiles', 'NotRotated')
        $found = @($lines | Where-Object { $_.event -eq 'finding' -and $_.kind -eq 'rotation' })
        @($found | ForEach-Object { "$($_.pod)/$($_.container)/$($_.restartCount) $($_.state)" } | Sort-Object) |
            Should -Be @($stuck | ForEach-Object { "$($_.PodName)/$($_.ContainerName)/$($_.RestartCount) $($_.RotationState)" } | Sort-Object)
        $loki = $found | Where-Object container -EQ 'loki'
        $lokiUsage = $stuck | Where-Object ContainerName -EQ 'loki'
        $loki.state | Should -Be 'OverLimit'
        $loki.rotatedBy | Should -Be 'Kubelet'
        $loki.maxBytes | Should -Be $Sample.KubeletMaxSize
        $loki.overLimitBytes | Should -Be $lokiUsage.OverLimitBytes
        $loki.totalBytes | Should -Be $lokiUsage.TotalBytes
    }

    It 'writes the metrics file Export-PodLogMetric writes for the node' {
        $written = Get-Content -Raw -LiteralPath "$textfile/podlogs.prom"
        Get-StableMetric $written | Should -BeExactly (Get-StableMetric (Export-PodLogMetric -Root $root))
        $written | Should -Match '(?m)^podlogs_log_links\{kind="legacy",status="missing"\} 2$'
        # Only the file: the temporary it was renamed from is gone.
        @(Get-ChildItem -LiteralPath $textfile -Force).Name | Should -Be 'podlogs.prom'
    }

    It 'says once that it has no procfs to scan for deleted-but-open files' {
        @($lines | Where-Object { $_.event -eq 'warning' -and $_.message -match 'No procfs' }).Count | Should -Be 1
    }

    It 'changes nothing on the node' {
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root)
    }
}

Describe 'podlogs-agent.ps1 with -Root a link to the node' {
    It 'finds what it finds under the node itself, at node paths' {
        $root = New-SampleRoot 'linked'
        $link = Join-Path $TestDrive 'linked-root'
        New-Item -ItemType SymbolicLink -Path $link -Target $root | Out-Null
        $lines = foreach ($r in $root, $link) {
            $run = Start-Agent '-Root', $r, '-MetricsPath', (Join-Path $TestDrive "linked-$([IO.Path]::GetFileName($r)).prom"), '-MaxCycles', '1'
            Wait-AgentExit $run | Should -Be 0
            , @(Get-AgentLine $run | Where-Object event -EQ 'finding' | ForEach-Object { "$($_.kind) $($_.path) $($_.status)$($_.state)" })
        }
        $lines[1] | Should -Be $lines[0]
        $lines[1].Count | Should -BeGreaterThan 0
        $lines[1] | Where-Object { $_ -like "*$TestDrive*" } | Should -BeNullOrEmpty -Because 'paths are the node''s, not this machine''s'
    }
}

Describe 'podlogs-agent.ps1 findings from the handle scan and the API' {
    BeforeAll {
        $MachineId = '4c9e0b1a2d3f4e5a6b7c8d9e0f1a2b3c'
        $root = New-SampleRoot 'cluster'
        Set-Content -LiteralPath (Join-Path $root 'etc/machine-id') -Value $MachineId
        # The API knows node-1 and no pod: every directory is gone from it, and only the dead tsdb-backup pod's files are
        # older than the default grace period (New-PodLogSampleNode's ages).
        $server = Start-TestKubeApi -State @{ nodes = @(@{ metadata = @{ name = 'node-1'; uid = '11111111-2222-4333-8444-555555555555' }; status = @{ nodeInfo = @{ machineID = $MachineId } } }); pods = @() }

        # A process holding a rotated loki segment that was deleted: `du` no longer sees it, the disk is not freed.
        $segment = Get-Local $root "$($Sample.LokiDir)/loki/0.log.20261201-000000"
        [IO.File]::WriteAllBytes($segment, [byte[]]::new(100000))
        $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in '-c', 'exec 3<"$1"; exec sleep 300', 'sh', $segment) { $start.ArgumentList.Add($a) }
        $holder = [System.Diagnostics.Process]::Start($start)
        $script:processes.Add($holder)
        while (-not (Test-Path "/proc/$($holder.Id)/fd/3") -or (Get-Content -Raw "/proc/$($holder.Id)/comm").Trim() -ne 'sleep') { Start-Sleep -Milliseconds 20 }
        Remove-Item -LiteralPath $segment

        $textfile = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'textfile-cluster')).FullName
        $run = Start-Agent '-Root', $root, '-MetricsPath', "$textfile/podlogs.prom", '-IntervalSec', '1', '-ProcPath', '/proc', '-Kubeconfig', $server.Kubeconfig `
            -Environment @{ NODE_NAME = 'node-1' }
        $first = Wait-AgentLine $run { $_.event -eq 'cycle' }
        $firstMetrics = Get-Content -Raw -LiteralPath "$textfile/podlogs.prom"
        # The holder closes the deleted segment (it exits), and the API goes away: the agent goes on without it.
        $holder.Kill()
        $holder.WaitForExit()
        $server.Stop()
        $released = Wait-AgentLine $run { $_.event -eq 'resolved' -and $_.kind -eq 'deletedOpen' }
        $outage = Wait-AgentLine $run { $_.event -eq 'cycle' -and $_.errors -gt 0 }
        $outageMetrics = Get-Content -Raw -LiteralPath "$textfile/podlogs.prom"
        $after = Wait-AgentLine $run { $_.event -eq 'cycle' -and $_.cycle -gt $outage.cycle }
        Stop-Agent $run
        $code = Wait-AgentExit $run
        $lines = @(Get-AgentLine $run)
    }

    AfterAll { $server.Stop() }

    It 'asks the API (start line) and logs the orphaned pod directory with its bytes' {
        $lines[0].cluster | Should -BeTrue
        $lines[0].procPath | Should -Be '/proc'
        $first.errors | Should -Be 0
        $orphan = @($lines | Where-Object { $_.event -eq 'finding' -and $_.kind -eq 'orphanDirectory' -and $_.time -le $first.time })
        $orphan.Count | Should -Be 1
        $orphan[0].pod | Should -Be $Sample.BackupPod
        $orphan[0].path | Should -Be $Sample.BackupDir
        $orphan[0].bytes | Should -Be (Get-PodLogDirectory -Root $root -PodUid $Sample.BackupUid).TotalBytes
        $firstMetrics | Should -Match '(?m)^podlogs_orphaned_pod_directories 1$'
    }

    It 'logs the deleted segment the holder keeps open, and its bytes are in the metrics' {
        $held = @($lines | Where-Object { $_.event -eq 'finding' -and $_.kind -eq 'deletedOpen' -and $_.processId -eq $holder.Id -and $_.time -le $first.time })
        $held.Count | Should -Be 1
        $held[0].processName | Should -Be 'sleep'
        $held[0].path | Should -Be "$($Sample.LokiDir)/loki/0.log.20261201-000000"
        $held[0].bytes | Should -BeGreaterOrEqual 100000
        $held[0].pod | Should -Be $Sample.LokiPod
        $firstMetrics | Should -Match '(?m)^podlogs_deleted_open_bytes\{process="sleep"\} \d+$'
    }

    It 'logs the held segment as resolved once the holder has closed it, with the fields it was found with' {
        $released.processId | Should -Be $holder.Id
        $released.path | Should -Be "$($Sample.LokiDir)/loki/0.log.20261201-000000"
        $released.level | Should -Be 'info'
        @($lines | Where-Object { $_.event -eq 'resolved' }).Count | Should -Be 1 -Because 'the orphan was not measured while the API was away: it is not resolved'
    }

    It 'an API outage is an error line and a podlogs_errors series, and the loop goes on' {
        $errors = @($lines | Where-Object { $_.event -eq 'error' -and $_.time -gt $first.time -and $_.time -le $outage.time })
        $errors.errorId | Should -Contain 'ClusterUnreachable'
        $outageMetrics | Should -Match '(?m)^podlogs_errors\{error_id="ClusterUnreachable"\} 1$'
        # Still the node's own figures, without the orphans the API would have named.
        $outageMetrics | Should -Match '(?m)^podlogs_log_links\{kind="legacy",status="missing"\} 2$'
        $outageMetrics | Should -Not -Match 'podlogs_orphaned_pod_directories'
        $after.cycle | Should -BeGreaterThan $outage.cycle
    }

    It 'ends on SIGTERM between cycles with exit code 0 and a stop line' {
        $code | Should -Be 0
        $lines[-1].event | Should -Be 'stop'
        $lines[-1].reason | Should -Be 'SIGTERM'
    }
}

Describe 'podlogs-agent.ps1 and SIGTERM during a cycle' {
    It 'stops the command that is waiting on the API, and ends with exit code 0 and a stop line' {
        # An "API server" that accepts connections and never answers: the cycle waits in the API call (up to -TimeoutSec).
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $kubeconfig = Join-Path $TestDrive 'silent-kubeconfig'
            Set-Content -LiteralPath $kubeconfig -Value @"
apiVersion: v1
kind: Config
clusters: [{name: silent, cluster: {server: 'https://127.0.0.1:$($listener.LocalEndpoint.Port)', insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: silent, context: {cluster: silent, user: u}}]
current-context: silent
"@
            $root = New-SampleRoot 'sigterm'
            $run = Start-Agent '-Root', $root, '-MetricsPath', (Join-Path $TestDrive 'sigterm.prom'), '-Kubeconfig', $kubeconfig, '-TimeoutSec', '300', '-StopGraceSec', '60' `
                -Environment @{ NODE_NAME = 'node-1' }
            $accepted = $listener.AcceptTcpClientAsync()
            $accepted.Wait([TimeSpan]::FromSeconds(120)) | Should -BeTrue -Because 'the agent asks the API in its first cycle'
            Stop-Agent $run
            # Exit code 0, not the 143 of the grace deadline (60 s here), and far within the call's 300 s.
            Wait-AgentExit $run | Should -Be 0
            $lines = @(Get-AgentLine $run)
            @($lines | Where-Object event -EQ 'cycle').Count | Should -Be 0
            $lines[-1].event | Should -Be 'stop'
            $lines[-1].reason | Should -Be 'SIGTERM'
            $lines[-1].cycles | Should -Be 1
        }
        finally { $listener.Stop() }
    }
}

Describe 'podlogs-agent.ps1 when a cycle fails' {
    It 'a metrics file it cannot write is an error line every cycle, and the loop goes on' {
        $root = New-SampleRoot 'unwritable'
        $run = Start-Agent '-Root', $root, '-MetricsPath', (Join-Path $TestDrive 'no-such-dir/podlogs.prom'), '-IntervalSec', '1', '-MaxCycles', '2'
        Wait-AgentExit $run | Should -Be 0
        $lines = @(Get-AgentLine $run)
        $errors = @($lines | Where-Object event -EQ 'error')
        $errors.errorId | Should -Be 'MetricsWriteFailed', 'MetricsWriteFailed'
        $errors[0].level | Should -Be 'error'
        $errors[0].target | Should -Be (Join-Path $TestDrive 'no-such-dir/podlogs.prom')
        @($lines | Where-Object event -EQ 'cycle').errors | Should -Be 1, 1
    }

    It 'a root that is gone is an error line, not the end of the agent' {
        $run = Start-Agent '-Root', (Join-Path $TestDrive 'no-node'), '-MetricsPath', (Join-Path $TestDrive 'no-node.prom'), '-IntervalSec', '1', '-MaxCycles', '2'
        Wait-AgentExit $run | Should -Be 0
        @(Get-AgentLine $run | Where-Object event -EQ 'error').errorId | Should -Be 'RootNotFound', 'RootNotFound'
    }

    It 'refuses arguments that make no agent, before it starts: <Case>' -ForEach @(
        @{ Case = 'check without -MetricsPath'; Arguments = @('-Root', '/tmp') }
        @{ Case = '-Repair with -MetricsPath'; Arguments = @('-Root', '/tmp', '-Repair', '-MetricsPath', '/tmp/x.prom') }
        @{ Case = 'an interval of 0'; Arguments = @('-Root', '/tmp', '-MetricsPath', '/tmp/x.prom', '-IntervalSec', '0') }
    ) {
        $run = Start-Agent $Arguments
        Wait-AgentExit $run | Should -Not -Be 0
        @(Get-AgentLine $run | Where-Object event -EQ 'start').Count | Should -Be 0
        Get-Content -Raw -LiteralPath $run.ErrorOutput | Should -Not -BeNullOrEmpty
    }
}

Describe 'podlogs-agent.ps1 -Repair' {
    BeforeAll {
        $root = New-SampleRoot 'repair'
        # Regular files only (links to files are listed as files too, and the repair makes links).
        $files = @(Get-ChildItem -LiteralPath $root -Recurse -File | Where-Object { -not $_.LinkType } | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" })
        $run = Start-Agent '-Root', $root, '-Repair', '-IntervalSec', '1', '-MaxCycles', '2'
        $code = Wait-AgentExit $run
        $lines = @(Get-AgentLine $run)
    }

    It 'repairs what Repair-ContainerLogLink repairs, one repair line per link, in the first cycle only' {
        $code | Should -Be 0
        $lines[0].mode | Should -Be 'repair'
        $repairs = @($lines | Where-Object event -EQ 'repair')
        $repairs.Count | Should -BeGreaterThan 0
        $repairs.action | Should -BeIn 'Created', 'Replaced'
        @($lines | Where-Object event -EQ 'cycle').newFindings | Should -Be $repairs.Count, 0
        # What was Missing or Stale and could be repaired is Healthy now; the rest the repair refused (error lines).
        $now = Get-ContainerLogLink -Root $root
        foreach ($repair in $repairs) { ($now | Where-Object NodePath -EQ $repair.path).Status | Should -Be 'Healthy' }
        @($lines | Where-Object event -EQ 'error').errorId | Should -Not -BeNullOrEmpty
    }

    It 'writes no metrics and touches no regular file' {
        $lines[0].metricsPath | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath $root -Recurse -File | Where-Object { -not $_.LinkType } | ForEach-Object { "$($_.FullName) $($_.Length) $($_.LastWriteTimeUtc.Ticks)" }) | Should -Be $files
    }
}
