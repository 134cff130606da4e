<#
.SYNOPSIS
    Peak memory of Get-ContainerLog on hostile input (issue #11 item 1): -Tail 5 over ten million malformed lines and
    over gzip bombs, each in a fresh pwsh, as VmHWM above the same process after Import-Module.
.DESCRIPTION
    dotnet pwsh ./build.ps1 Benchmark -Name LogBounds   (or: pwsh -File benchmarks/LogBounds.ps1 -ModulePath out/PodLogs)
    Not a test: it prints a table, and exits 1 when a row is more than -LimitMiB above the process after import.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [long] $MalformedLines = 10000000,
    [int] $LimitMiB = 64,
    [string] $Directory = (Join-Path ([IO.Path]::GetTempPath()) "podlogs-bounds-$PID"),
    [switch] $Keep
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
$pwshExe = Join-Path $PSHOME 'pwsh'

function New-Gzip([string] $Path, [byte[]] $Block, [long] $Count) {
    # one gzip member, as kubelet writes it: $Block $Count times
    $fs = [IO.File]::Create($Path)
    $gz = [IO.Compression.GZipStream]::new($fs, [IO.Compression.CompressionLevel]::SmallestSize)
    try { for ($i = 0L; $i -lt $Count; $i++) { $gz.Write($Block, 0, $Block.Length) } } finally { $gz.Dispose(); $fs.Dispose() }
}

function New-GzipMembers([string] $Path, [byte[]] $Block, [long] $Count) {
    # one gzip member of $Block, written $Count times, so 10 GiB take seconds to write: gzip readers read concatenated members as one stream
    $member = [IO.MemoryStream]::new()
    $gz = [IO.Compression.GZipStream]::new($member, [IO.Compression.CompressionLevel]::SmallestSize, $true)
    $gz.Write($Block, 0, $Block.Length); $gz.Dispose()
    $one = $member.ToArray()
    $fs = [IO.File]::Create($Path)
    try { for ($i = 0L; $i -lt $Count; $i++) { $fs.Write($one, 0, $one.Length) } } finally { $fs.Dispose() }
}

function New-Case([string] $Name) {
    $dir = Join-Path $Directory $Name
    $null = New-Item -ItemType Directory -Force $dir
    $dir
}

$null = New-Item -ItemType Directory -Force $Directory
try {
    $lines = [Text.Encoding]::ASCII.GetBytes("x`n" * (512 * 1024))    # 1 MiB of malformed lines
    $good = "2026-03-01T01:00:00Z stdout F one`n2026-03-01T01:00:01Z stdout F two`n"
    $cases = [Collections.Generic.List[object]]::new()

    # 1. ten million malformed lines, nothing else: -Tail 5 reads back over all of them
    $dir = New-Case 'malformed'
    $file = Join-Path $dir '0.log'
    $fs = [IO.File]::Create($file)
    try {
        $whole = [long][math]::Floor($MalformedLines / (512 * 1024))
        for ($i = 0L; $i -lt $whole; $i++) { $fs.Write($lines, 0, $lines.Length) }
        $rest = ($MalformedLines - $whole * 512 * 1024) * 2
        $fs.Write($lines, 0, [int]$rest)
    }
    finally { $fs.Dispose() }
    $cases.Add([pscustomobject]@{ Case = "$MalformedLines malformed lines, -Tail 5"; File = $file; Tail = $true; Input = (Get-Item $file).Length })
    $cases.Add([pscustomobject]@{ Case = "$MalformedLines malformed lines, whole read"; File = $file; Tail = $false; Input = (Get-Item $file).Length })

    # 2. a 100 KB gzip bomb of malformed lines: 100 MiB of "x\n" (52 million lines) behind a live file of two lines
    $dir = New-Case 'bomb-lines'
    New-Gzip (Join-Path $dir '0.log.20260301-000000.gz') $lines 100
    [IO.File]::WriteAllText((Join-Path $dir '0.log'), $good)
    $cases.Add([pscustomobject]@{ Case = '100 KB .gz of 100 MiB of malformed lines, -Tail 5'; File = (Join-Path $dir '0.log'); Tail = $true; Input = (Get-Item (Join-Path $dir '0.log.20260301-000000.gz')).Length })

    # 3. a 10 MiB gzip bomb of 10 GiB of zeros (one line without a newline): stopped at the decompression cap
    $dir = New-Case 'bomb-zeros'
    New-GzipMembers (Join-Path $dir '0.log.20260301-000000.gz') ([byte[]]::new(1MB)) 10240
    [IO.File]::WriteAllText((Join-Path $dir '0.log'), $good)
    $cases.Add([pscustomobject]@{ Case = '10 MiB .gz of 10 GiB of zeros, -Tail 5'; File = (Join-Path $dir '0.log'); Tail = $true; Input = (Get-Item (Join-Path $dir '0.log.20260301-000000.gz')).Length })

    $child = Join-Path $Directory 'child.ps1'
    Set-Content $child @'
param($ModulePath, $File, [switch] $Tail)
function Hwm { [long]((@(Get-Content /proc/self/status) -match '^VmHWM')[0] -replace '\D', '') }
Import-Module $ModulePath
$before = Hwm
$sw = [Diagnostics.Stopwatch]::StartNew()
if ($Tail) { Get-ContainerLog -LiteralPath $File -Tail 5 -WarningAction SilentlyContinue -WarningVariable w | Out-Null }
else { Get-ContainerLog -LiteralPath $File -WarningAction SilentlyContinue -WarningVariable w | Out-Null }
"$before $(Hwm) $($sw.Elapsed.TotalSeconds) $($w.Count)"
'@

    $load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
    Write-Host "Get-ContainerLog on hostile input: peak RSS (VmHWM) of a fresh pwsh after the command, above the same process after Import-Module"
    Write-Host "$([Environment]::ProcessorCount) CPUs, load average $($load -join ' '), limit $LimitMiB MiB"
    $failed = $false
    $rows = foreach ($c in $cases) {
        $a = @($ModulePath, $c.File); if ($c.Tail) { $a += '-Tail' }
        $out = & $pwshExe -NoProfile -NonInteractive -File $child @a
        if ($LASTEXITCODE -ne 0) { throw "child pwsh failed on $($c.Case): $out" }
        $before, $after, $seconds, $warnings = ($out | Select-Object -Last 1) -split ' '
        $delta = ([long]$after - [long]$before) / 1024
        if ($delta -gt $LimitMiB) { $failed = $true }
        [pscustomobject]@{
            Case = $c.Case
            'Input MB' = '{0:N1}' -f ($c.Input / 1e6)
            'After import MiB' = '{0:N1}' -f ([long]$before / 1024)
            'Peak MiB' = '{0:N1}' -f ([long]$after / 1024)
            'Above import MiB' = '{0:N1}' -f $delta
            Seconds = '{0:N1}' -f [double]$seconds
            Warnings = $warnings
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    if ($failed) { Write-Host "A row is more than $LimitMiB MiB above the process after import."; exit 1 }
}
finally {
    if (-not $Keep) { Remove-Item -Recurse -Force $Directory -ErrorAction SilentlyContinue }
}
