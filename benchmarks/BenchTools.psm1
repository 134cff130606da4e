# What the script benchmarks (LinkScan.ps1, MeasurePodLog.ps1, LogHandles.ps1) share: the machine's description, the
# load average, CPU time from /proc/self/stat, medians, and timing a program as its own process. A module, not a .ps1:
# build.ps1 Benchmark runs every benchmarks/*.ps1 as a benchmark.

function Get-LoadAverage { ((Get-Content /proc/loadavg) -split ' ')[0..2] -join ' ' }

# CPU time (user + system) in ms from /proc/self/stat, in clock ticks (10 ms): this process with all its
# threads, or its waited-for children. Read from /proc so the measuring process loads nothing extra.
$script:TickMs = 1000.0 / [double](& getconf CLK_TCK)
function Get-CpuMs([switch] $Children) {
    $fields = ((Get-Content -LiteralPath /proc/self/stat -Raw) -replace '^.*\) ', '') -split ' '
    # After the ')' that ends comm, field 3 (state) is index 0: utime 14, stime 15, cutime 16, cstime 17.
    $i = if ($Children) { 13 } else { 11 }
    ([double]$fields[$i] + [double]$fields[$i + 1]) * $script:TickMs
}

function Get-Median([double[]] $values) {
    $sorted = [double[]]($values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

# Times one call in this process, its output collected into an array (so a pipeline is fully enumerated): wall and CPU
# milliseconds, and the output. Give the command -ErrorAction Stop: an error then fails the benchmark.
function Measure-Call([scriptblock] $Call) {
    $cpu = Get-CpuMs
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $output = @(& $Call)
    $sw.Stop()
    [pscustomobject]@{ Wall = $sw.Elapsed.TotalMilliseconds; Cpu = (Get-CpuMs) - $cpu; Output = $output }
}

# Runs a program as its own process with stdout (and with -QuietErrors stderr) on /dev/null; returns wall and CPU
# milliseconds (spawn included). An exit code not in -AllowedExitCodes throws.
function Measure-Process([string[]] $argv, [int[]] $AllowedExitCodes = @(0), [switch] $QuietErrors) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    # sh sets up the redirection, then exec replaces it with the program itself.
    $psi.ArgumentList.Add('-c')
    $psi.ArgumentList.Add($(if ($QuietErrors) { 'exec "$@" >/dev/null 2>/dev/null' } else { 'exec "$@" >/dev/null' }))
    $psi.ArgumentList.Add('sh')
    foreach ($a in $argv) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $cpu = Get-CpuMs -Children
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    $p.WaitForExit()
    $sw.Stop()
    $cpu = (Get-CpuMs -Children) - $cpu
    if ($p.ExitCode -notin $AllowedExitCodes) { throw "'$($argv -join ' ')' exited with $($p.ExitCode)." }
    [pscustomobject]@{ Wall = $sw.Elapsed.TotalMilliseconds; Cpu = $cpu }
}

# Before anything is written: root (the benchmarks mount in a private mount namespace) and the programs they run.
function Assert-BenchHost([string[]] $Tools) {
    if ((& id -u) -ne '0') { throw 'The benchmark needs root: it bind-mounts the tree in a private mount namespace (unshare --mount).' }
    foreach ($tool in @('unshare', 'mount') + $Tools) {
        if (-not (Get-Command $tool -CommandType Application -ErrorAction Ignore)) { throw "'$tool' is not installed." }
    }
}

# The published module directory, resolved, with its manifest.
function Resolve-BenchModule([string] $ModulePath) {
    $resolved = (Resolve-Path -LiteralPath $ModulePath).ProviderPath
    if (-not (Test-Path -LiteralPath (Join-Path $resolved 'PodLogs.psd1'))) { throw "No PodLogs.psd1 in '$resolved' (run build.ps1 Build first)." }
    $resolved
}

# A new temporary directory name for a generated node tree.
function New-BenchTreePath { Join-Path ([System.IO.Path]::GetTempPath()) "podlogs-bench-$([Guid]::NewGuid().ToString('N').Substring(0, 8))" }

# What a benchmark's catch does: the error and where; the caller exits 1.
function Write-BenchFailure([System.Management.Automation.ErrorRecord] $ErrorRecord) {
    Write-Host "Benchmark failed: $ErrorRecord" -ForegroundColor Red
    Write-Host $ErrorRecord.ScriptStackTrace
}

# What a benchmark's finally does: the generated tree deleted, or kept and named.
function Remove-BenchTree([string] $Tree, [switch] $Keep) {
    if (-not (Test-Path -LiteralPath $Tree)) { return }
    if ($Keep) { Write-Host "Tree kept at $Tree" }
    else { [System.IO.Directory]::Delete($Tree, $true) }
}

# The benchmark's header: what the figures were taken on (the load average moves every wall time on a shared machine).
function Write-MachineInfo([string] $Title, [string] $ModulePath, [string[]] $Tools) {
    $cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
    Write-Host $Title
    Write-Host "  kernel  : $(& uname -srm)"
    Write-Host "  cpu     : $([Environment]::ProcessorCount) cores available$(if ($cpu) { ", $cpu" })"
    Write-Host "  memory  : $(((Get-Content /proc/meminfo -TotalCount 1) -replace '^MemTotal:\s*', ''))"
    Write-Host "  pwsh    : $($PSVersionTable.PSVersion) on .NET $([Environment]::Version)"
    foreach ($tool in $Tools) { Write-Host ("  {0,-8}: {1}" -f $tool.Split(' ')[0], "$(& sh -c "$tool 2>&1" | Select-Object -First 1)".Trim()) }
    Write-Host "  module  : $ModulePath"
    Write-Host "  load    : $(Get-LoadAverage) (1/5/15 min) at start"
}

# The host's /var/log and /var/lib must be plain directories: Invoke-OnNodeTree mounts over them in its namespace. Files in
# /etc that the module reads under -Root / (the namespace does not hide /etc) are named as a warning.
function Assert-NodeMountPoints([string] $Command) {
    foreach ($dir in '/var/log', '/var/lib') {
        $item = Get-Item -LiteralPath $dir -Force
        if ($item.LinkType -or -not $item.PSIsContainer) { throw "$dir is not a plain directory on this host; the benchmark mounts over it." }
    }
    foreach ($file in '/etc/docker/daemon.json', '/etc/default/kubelet', '/etc/sysconfig/kubelet') {
        if (Test-Path -LiteralPath $file) { Write-Host "  warning : $file exists on this host and may change what $Command -Root / scans." }
    }
}

# Runs $Argv in a new private mount namespace (unshare --mount --propagation private) where the node tree $Tree is at its node
# paths: $Tree/var/log bind-mounted on /var/log, and on /var/lib a namespace-private tmpfs holding only the mount point
# /var/lib/docker, a bind of $Tree/var/lib/docker. So nothing is created on the host, another process creating or removing the
# host's /var/lib/docker meanwhile (which would silently detach a bind mount on it) cannot disturb the run, and the host's
# /var/lib/kubelet is hidden. -PidNamespace also gives it its own pid namespace with its own /proc (unshare --pid --fork
# --mount-proc): the first process of $Argv is its pid 1, and every process left in it is killed when that one exits.
# Returns the exit code.
function Invoke-OnNodeTree([string] $Tree, [string[]] $Argv, [switch] $PidNamespace) {
    $setup = @'
set -e
tree=$1; shift
mount --bind "$tree/var/log" /var/log
mount -t tmpfs -o mode=0755 podlogs-bench /var/lib
mkdir /var/lib/docker
mount --bind "$tree/var/lib/docker" /var/lib/docker
exec "$@"
'@
    $pidArgs = if ($PidNamespace) { @('--pid', '--fork', '--mount-proc') } else { @() }
    & unshare --mount --propagation private @pidArgs -- /bin/sh -c $setup sh $Tree @Argv | Out-Host
    $LASTEXITCODE
}

# LinkScan's docker node with docker's rotations, as MeasurePodLog.ps1 and Agent.ps1 measure it (BenchNode.cs, fixed seed): the
# logs and links, docker's state for every container (LogConfig max-file = $Rotations + 1) and $Rotations rotated files beside
# each json log. Returns the plan's containers and how many rotated files were written.
function Write-BenchDockerNode([string] $Tree, [int] $Pods, [int] $ContainersPerPod, [int] $Restarts, [int] $Rotations) {
    Add-Type -Path (Join-Path $PSScriptRoot 'BenchNode.cs')
    $containers = [PodLogsBench.BenchNode]::Plan($Pods, $ContainersPerPod, $Restarts, 20261126)
    [PodLogsBench.BenchNode]::WriteLogs($Tree, $containers)
    $null = [PodLogsBench.BenchNode]::WriteDockerState($Tree, $containers, $Rotations + 1)
    [pscustomobject]@{ Containers = $containers; Rotated = [PodLogsBench.BenchNode]::WriteDockerRotations($Tree, $containers, $Rotations) }
}

# "12.3, 14.0, …": each run's figure, for the per-run lines.
function Format-Runs([double[]] $values) { ($values | ForEach-Object { $_.ToString('0.0') }) -join ', ' }

Export-ModuleMember -Function Write-BenchDockerNode, Get-LoadAverage, Get-CpuMs, Get-Median, Measure-Call, Measure-Process, Write-MachineInfo, Format-Runs, Assert-NodeMountPoints, Invoke-OnNodeTree,
    Assert-BenchHost, Resolve-BenchModule, New-BenchTreePath, Write-BenchFailure, Remove-BenchTree
