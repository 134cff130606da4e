<#
.SYNOPSIS
    The PodLogs agent the DaemonSets in deploy/kubernetes run on every node: checks (or repairs) the node under -Root every
    -IntervalSec seconds until SIGTERM.

.DESCRIPTION
    Check (daemonset.yaml): every cycle one Export-PodLogMetric -PassThru writes node-exporter's textfile (-MetricsPath,
    atomically) from the standard node check (log links, usage and rotation per container, deleted-but-open log files when a
    procfs is at hand, orphans when the Kubernetes API is asked), and the same records give the log lines.
    Repair (daemonset-repair.yaml, -Repair): every cycle Repair-ContainerLogLink recreates the links it can repair safely.

    Standard output is one JSON object per line, each with time (UTC, ISO 8601), level (info, warning, error) and event:
      start    once: version, root, mode, metricsPath, intervalSeconds, cluster, procPath
      finding  once per finding, in the cycle that first finds it: kind link (an entry not Healthy), rotation (OverLimit,
               TooManyFiles, NotRotated), deletedOpen (a deleted log file a process holds), orphanDirectory, orphanLink
      resolved once per finding a later cycle no longer finds (the same fields); a kind the cycle could not measure (the
               API unreachable for orphans) resolves nothing
      repair   per link created or replaced (repair mode)
      error    per error a cycle wrote (errorId, category, message, target); the loop goes on
      warning  a warning the first time it is seen
      cycle    per cycle: cycle, durationSeconds, records, findings (open now), newFindings, resolvedFindings, errors,
               cpuSeconds (this cycle's CPU time),
               memoryBytes and peakMemoryBytes (the process's working set now and its peak so far)
      stop     last, on SIGTERM (exit code 0) or after -MaxCycles

    Findings are logged when they appear and when they go, not again every cycle: a node with thousands of broken links
    would otherwise log thousands of lines a minute; the cycle line and the metrics file say how many are open.

    Nothing stops the loop but SIGTERM: an API server or runtime that cannot be reached is an error line and a podlogs_errors
    series, and the next cycle tries again. SIGTERM between cycles ends the agent at once; during a cycle it stops the
    command that is running; if something still holds the process after -StopGraceSec, it exits with 143.

.EXAMPLE
    pwsh -File /opt/podlogs/podlogs-agent.ps1 -Root /host -MetricsPath /var/lib/node-exporter/textfile/podlogs.prom
#>
[CmdletBinding(DefaultParameterSetName = 'Check')]
param(
    # The node's '/' as this process sees it: /host in the DaemonSets.
    [ValidateNotNullOrEmpty()]
    [string] $Root = '/host',

    # The .prom file to write every cycle, in node-exporter's --collector.textfile.directory.
    [Parameter(Mandatory, ParameterSetName = 'Check')]
    [ValidateNotNullOrEmpty()]
    [string] $MetricsPath,

    # Repair broken links instead of checking (the opt-in DaemonSet); writes no metrics.
    [Parameter(Mandatory, ParameterSetName = 'Repair')]
    [switch] $Repair,

    [ValidateRange(1, 86400)]
    [int] $IntervalSec = 60,

    # The node's procfs, for deleted-but-open log files; by default <Root>/proc when it is one (hostPID), else none.
    [Parameter(ParameterSetName = 'Check')]
    [ValidateNotNullOrEmpty()]
    [string] $ProcPath,

    # Ask the Kubernetes API for orphans; implied in a pod (KUBERNETES_SERVICE_HOST) and by KUBECONFIG or -Kubeconfig.
    [Parameter(ParameterSetName = 'Check')]
    [switch] $Cluster,

    [Parameter(ParameterSetName = 'Check')]
    [ValidateNotNullOrEmpty()]
    [string] $Kubeconfig,

    # How long one runtime or API call may take.
    [ValidateRange(1, 300)]
    [int] $TimeoutSec = 10,

    # Stop after this many cycles (0: run until SIGTERM).
    [ValidateRange(0, [int]::MaxValue)]
    [int] $MaxCycles = 0,

    [ValidateRange(1, 300)]
    [int] $StopGraceSec = 5
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

function Write-AgentLine([string] $Level, [string] $Event, [System.Collections.IDictionary] $Fields = @{}) {
    $line = [ordered]@{ time = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ'); level = $Level; event = $Event }
    foreach ($key in $Fields.Keys) { $line[$key] = $Fields[$key] }
    [Console]::Out.WriteLine(($line | ConvertTo-Json -Compress -Depth 3))
}

function Get-ContainerFields($Record) {
    [ordered]@{
        namespace = $Record.Namespace; pod = $Record.PodName; uid = $Record.PodUid
        container = $Record.ContainerName; restartCount = $Record.RestartCount
    }
}

# A finding and its key: what makes it the same finding in the next cycle (a changed status or state is a new finding).
function Get-Finding($Record) {
    switch ($Record) {
        { $_ -is [PodLogs.Core.ContainerLogLink] -and $_.Status -ne 'Healthy' } {
            $f = Get-ContainerFields $_
            $f.kind = 'link'; $f.entry = "$($_.Kind)"; $f.status = "$($_.Status)"; $f.path = $_.NodePath; $f.target = $_.Target; $f.reason = $_.Reason
            return @{ Key = "link $($f.path) $($f.status)"; Fields = $f }
        }
        { $_ -is [PodLogs.Core.PodLogUsage] -and [PodLogs.Core.RotationStateRules]::IsStuck($_.RotationState) } {
            $f = Get-ContainerFields $_
            $f.kind = 'rotation'; $f.state = "$($_.RotationState)"; $f.rotatedBy = "$($_.RotatedBy)"; $f.totalBytes = $_.TotalBytes
            $f.activeBytes = $_.ActiveBytes; $f.maxBytes = $_.MaxBytes; $f.maxFiles = $_.MaxFiles; $f.fileCount = $_.FileCount
            $f.overLimitBytes = $_.OverLimitBytes
            return @{ Key = "rotation $($f.uid) $($f.container) $($f.restartCount) $($f.state)"; Fields = $f }
        }
        { $_ -is [PodLogs.Core.LogHandle] -and $_.Deleted } {
            $f = Get-ContainerFields $_
            $f.kind = 'deletedOpen'; $f.processId = $_.ProcessId; $f.processName = $_.ProcessName; $f.holderNamespace = $_.HolderNamespace
            $f.holderPod = $_.HolderPodName; $f.path = $_.Path; $f.bytes = $_.Bytes
            return @{ Key = "deletedOpen $($f.processId) $($_.FileDescriptor) $($f.path)"; Fields = $f }
        }
        { $_ -is [PodLogs.Core.PodLogDirectory] -and $_.IsOrphaned } {
            $f = [ordered]@{ kind = 'orphanDirectory'; namespace = $_.Namespace; pod = $_.PodName; uid = $_.PodUid; path = $_.NodePath; bytes = $_.TotalBytes; age = "$($_.Age)" }
            return @{ Key = "orphanDirectory $($f.path)"; Fields = $f }
        }
        { $_ -is [PodLogs.Core.OrphanedLegacyLink] } {
            $f = Get-ContainerFields $_
            $f.kind = 'orphanLink'; $f.path = $_.NodePath; $f.bytes = $_.TotalBytes; $f.reason = $_.Reason
            return @{ Key = "orphanLink $($f.path)"; Fields = $f }
        }
    }
}

function Write-ErrorLines([System.Collections.IList] $Errors) {
    foreach ($e in $Errors) {
        Write-AgentLine error error ([ordered]@{
                errorId = ($e.FullyQualifiedErrorId -split ',')[0]; category = "$($e.CategoryInfo.Category)"
                message = if ($e.ErrorDetails) { $e.ErrorDetails.Message } else { $e.Exception.Message }; target = "$($e.TargetObject)"
            })
    }
}

function Invoke-CheckCycle {
    $records = Export-PodLogMetric -Root $Root -Path $MetricsPath -PassThru -TimeoutSec $TimeoutSec @checkArgs `
        -ErrorAction SilentlyContinue -ErrorVariable cycleErrors -WarningAction SilentlyContinue -WarningVariable cycleWarnings
    $current = [System.Collections.Generic.Dictionary[string, object]]::new()
    $new = 0
    foreach ($record in $records) {
        if (-not ($finding = Get-Finding $record) -or $current.ContainsKey($finding.Key)) { continue }
        $current[$finding.Key] = $finding.Fields
        if (-not $openFindings.ContainsKey($finding.Key)) { Write-AgentLine warning finding $finding.Fields; $new++ }
    }
    # What this cycle could not measure stays open as it was: orphans when the API did not answer, handles without a procfs.
    $apiFailed = @($cycleErrors | Where-Object { ($_.FullyQualifiedErrorId -split ',')[0] -in $clusterErrorIds }).Count -gt 0
    $unmeasured = @(if (-not $checkArgs.ContainsKey('Cluster') -or $apiFailed) { 'orphanDirectory', 'orphanLink' }; if (-not $ProcPath) { 'deletedOpen' })
    $resolved = 0
    foreach ($key in @($openFindings.Keys)) {
        if ($current.ContainsKey($key)) { continue }
        if ($openFindings[$key].kind -in $unmeasured) { $current[$key] = $openFindings[$key]; continue }
        Write-AgentLine info resolved $openFindings[$key]
        $resolved++
    }
    $script:openFindings = $current
    @{ Records = @($records).Count; Findings = $current.Count; New = $new; Resolved = $resolved; Errors = $cycleErrors; Warnings = $cycleWarnings }
}

function Invoke-RepairCycle {
    $results = Repair-ContainerLogLink -Root $Root -Confirm:$false -TimeoutSec $TimeoutSec `
        -ErrorAction SilentlyContinue -ErrorVariable cycleErrors -WarningAction SilentlyContinue -WarningVariable cycleWarnings
    foreach ($result in $results) {
        $f = Get-ContainerFields $result
        $f.action = "$($result.Action)"; $f.entry = "$($result.Kind)"; $f.path = $result.NodePath; $f.target = $result.Target
        $f.previousTarget = $result.PreviousTarget; $f.source = $result.Source
        Write-AgentLine info repair $f
    }
    @{ Records = @($results).Count; Findings = @($results).Count; New = @($results).Count; Resolved = 0; Errors = $cycleErrors; Warnings = $cycleWarnings }
}

try {
    Import-Module PodLogs
}
catch {
    Write-AgentLine error error ([ordered]@{ errorId = 'ModuleNotFound'; message = "Cannot import the PodLogs module: $($_.Exception.Message)" })
    exit 2
}

# From here SIGTERM sets $stopped and stops a running PodLogs command (PodLogs.Commands.TerminationSignal).
$stopped = [PodLogs.Commands.TerminationSignal]::Register([TimeSpan]::FromSeconds($StopGraceSec))
$mode = if ($Repair) { 'repair' } else { 'check' }
$checkArgs = @{}
if (-not $Repair) {
    if (-not $ProcPath -and (Test-Path -LiteralPath (Join-Path $Root 'proc/self/fd'))) { $ProcPath = Join-Path $Root 'proc' }
    if ($ProcPath) { $checkArgs.ProcPath = $ProcPath }
    if ($Cluster -or $Kubeconfig -or $env:KUBERNETES_SERVICE_HOST -or $env:KUBECONFIG) { $checkArgs.Cluster = $true }
    if ($Kubeconfig) { $checkArgs.Kubeconfig = $Kubeconfig }
}
Write-AgentLine info start ([ordered]@{
        version = "$((Get-Module PodLogs).Version)"; mode = $mode; root = $Root; metricsPath = $MetricsPath ? $MetricsPath : $null
        intervalSeconds = $IntervalSec; cluster = $checkArgs.ContainsKey('Cluster'); procPath = $ProcPath ? $ProcPath : $null; processId = $PID
    })
if (-not $Repair -and -not $ProcPath) {
    Write-AgentLine warning warning ([ordered]@{ message = "No procfs at $(Join-Path $Root 'proc'): deleted-but-open log files are not measured; give -ProcPath (in the DaemonSet, the node's / at -Root brings its /proc)." })
}

$process = [System.Diagnostics.Process]::GetCurrentProcess()
$warningsSeen = [System.Collections.Generic.HashSet[string]]::new()
# Findings logged and not yet resolved, by key (Get-Finding).
$openFindings = [System.Collections.Generic.Dictionary[string, object]]::new()
$clusterErrorIds = @([PodLogs.Core.ErrorIds+Cluster].GetFields() | ForEach-Object { $_.GetValue($null) })
$cycle = 0
$reason = 'SIGTERM'
try {
    while (-not [PodLogs.Commands.TerminationSignal]::Requested) {
        $cycle++
        $process.Refresh()
        $cpuBefore = $process.TotalProcessorTime
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        try {
            $outcome = if ($Repair) { Invoke-RepairCycle } else { Invoke-CheckCycle }
        }
        catch {
            # A terminating error (the root gone, the metrics file unwritable) ends this cycle, not the agent. (A stop by
            # SIGTERM is not caught here: PowerShell unwinds it to the finally below.)
            $outcome = @{ Records = 0; Findings = $openFindings.Count; New = 0; Resolved = 0; Errors = @($_); Warnings = @() }
        }
        Write-ErrorLines $outcome.Errors
        foreach ($w in $outcome.Warnings) {
            if ($warningsSeen.Add("$w")) { Write-AgentLine warning warning ([ordered]@{ message = "$w" }) }
        }
        $process.Refresh()
        Write-AgentLine info cycle ([ordered]@{
                cycle = $cycle; durationSeconds = [Math]::Round($clock.Elapsed.TotalSeconds, 3); records = $outcome.Records
                findings = $outcome.Findings; newFindings = $outcome.New; resolvedFindings = $outcome.Resolved; errors = @($outcome.Errors).Count
                cpuSeconds = [Math]::Round(($process.TotalProcessorTime - $cpuBefore).TotalSeconds, 3)
                memoryBytes = $process.WorkingSet64; peakMemoryBytes = $process.PeakWorkingSet64
            })
        if ($MaxCycles -gt 0 -and $cycle -ge $MaxCycles) { $reason = 'MaxCycles'; break }
        if ($stopped.WaitOne([TimeSpan]::FromSeconds($IntervalSec))) { break }
    }
}
finally {
    # Also when SIGTERM stopped a command mid-cycle: the stop unwinds the script to here.
    Write-AgentLine info stop ([ordered]@{ reason = $reason; cycles = $cycle })
}
exit 0
