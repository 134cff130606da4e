# Export-PodLogMetric (issue #14 item 1): the sample node's metrics pass the real promtool, and the real node-exporter's
# textfile collector serves the file -Path writes with the values the module's own records give.
BeforeAll {
    $ErrorActionPreference = 'Stop'
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'metrics'
    $links = @(Get-ContainerLogLink -Root $root)
    $usage = @(Measure-PodLog -Root $root)

    # name{labels} -> value, from an exposition; labels sorted by name (node-exporter serves them so), as Get-Series writes them.
    function ConvertFrom-Exposition([string] $Text) {
        $samples = @{}
        foreach ($line in $Text -split "`n" | Where-Object { $_ -and -not $_.StartsWith('#') }) {
            $at = $line.LastIndexOf(' ')
            $series = $line.Substring(0, $at)
            if ($series -match '^([^{]+)\{(.*)\}$') {
                $labels = [regex]::Matches($Matches[2], '(\w+)="((?:[^"\\]|\\.)*)"') | ForEach-Object { "$($_.Groups[1].Value)=`"$($_.Groups[2].Value)`"" }
                $series = "$($Matches[1]){$(($labels | Sort-Object -CaseSensitive) -join ',')}"
            }
            $samples[$series] = [double]$line.Substring($at + 1)
        }
        $samples
    }
    function Get-Series([string] $Name, [string] $Labels) { "$Name{$((($Labels -split ',') | Sort-Object -CaseSensitive) -join ',')}" }
    # The same text but for the two samples that say when the command ran and how long it took.
    function Remove-ScanTime([string] $Text) { $Text -replace '(?m)^podlogs_(last_scan_timestamp|scan_duration)_seconds .*$', '' }
    function Get-ContainerLabels($Record) { "namespace=`"$($Record.Namespace)`",pod=`"$($Record.PodName)`",uid=`"$($Record.PodUid)`",container=`"$($Record.ContainerName)`"" }
}

Describe 'Export-PodLogMetric on the sample node' {
    BeforeAll {
        $text = Export-PodLogMetric -Root $root
        $samples = ConvertFrom-Exposition $text
    }

    It 'writes one string that the real promtool accepts without a lint finding' {
        $text | Should -BeOfType [string]
        $out = $text | promtool check metrics 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out | Should -BeNullOrEmpty
    }

    It 'has HELP and TYPE once per family, families sorted, no timestamps, no node, path or container id' {
        $families = @($text -split "`n" | Where-Object { $_ -like '# TYPE *' } | ForEach-Object { ($_ -split ' ')[2] })
        $families | Should -Be @($families | Sort-Object -CaseSensitive -Unique)
        @($text -split "`n" | Where-Object { $_ -like '# HELP *' }).Count | Should -Be $families.Count
        foreach ($line in $text -split "`n" | Where-Object { $_ -and -not $_.StartsWith('#') }) {
            ($line -split ' ').Count | Should -Be 2 -Because "a sample has a value and no timestamp: $line"
        }
        $text | Should -Not -Match 'node=|instance=|/var/log|[0-9a-f]{64}'
    }

    It 'counts the link entries Get-ContainerLogLink returns, by kind and status' {
        foreach ($group in $links | Group-Object Kind, Status) {
            $kind = if ($group.Group[0].Kind -eq 'PodLog') { 'pod' } else { 'legacy' }
            $samples[(Get-Series podlogs_log_links "kind=`"$kind`",status=`"$($group.Group[0].Status.ToString().ToLowerInvariant())`"")] | Should -Be $group.Count
        }
        ($samples.Keys | Where-Object { $_ -like 'podlogs_log_links*' } | ForEach-Object { $samples[$_] } | Measure-Object -Sum).Sum | Should -Be $links.Count
    }

    It 'has Measure-PodLog''s bytes, files and rotation states per container' {
        foreach ($container in $usage | Group-Object Namespace, PodName, PodUid, ContainerName) {
            $labels = Get-ContainerLabels $container.Group[0]
            $samples[(Get-Series podlogs_container_log_bytes "$labels,state=`"active`"")] | Should -Be ($container.Group | Measure-Object ActiveBytes -Sum).Sum
            $samples[(Get-Series podlogs_container_log_bytes "$labels,state=`"leftover`"")] | Should -Be ($container.Group | Measure-Object LeftoverBytes -Sum).Sum
            $samples[(Get-Series podlogs_container_log_files "$labels")] | Should -Be ($container.Group | Measure-Object FileCount -Sum).Sum
        }
        $loki = $usage | Where-Object { $_.PodName -eq 'loki-0' -and $_.ContainerName -eq 'loki' }
        $loki.RotationState | Should -Be 'OverLimit'
        $samples[(Get-Series podlogs_container_log_rotation "$(Get-ContainerLabels $loki),state=`"over_limit`"")] | Should -Be 1
        $samples[(Get-Series podlogs_container_log_limit_bytes "$(Get-ContainerLabels $loki)")] | Should -Be $loki.MaxBytes
    }

    It 'leaves out what it did not measure: handles under another -Root without -ProcPath, orphans without -Cluster' {
        $text | Should -Not -Match 'podlogs_deleted_open_bytes|podlogs_orphaned_'
        $samples['podlogs_last_scan_timestamp_seconds'] | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddDays(-1).ToUnixTimeSeconds())
        $samples['podlogs_scan_duration_seconds'] | Should -BeGreaterOrEqual 0
    }

    It 'gives the same text from records piped in, and from their Export-Clixml/Import-Clixml copies' {
        $piped = @($links) + @($usage) | Export-PodLogMetric
        Remove-ScanTime $piped | Should -BeExactly (Remove-ScanTime $text)
        @($links) + @($usage) | Export-Clixml "$TestDrive/records.xml"
        $copies = Import-Clixml "$TestDrive/records.xml"
        $copies[0].PSObject.TypeNames[0] | Should -BeLike 'Deserialized.*'
        Remove-ScanTime ($copies | Export-PodLogMetric) | Should -BeExactly (Remove-ScanTime $text)
    }

    It 'counts an object it does not know as MetricInputNotRecognized in podlogs_errors, and writes the error' {
        $out = [pscustomobject]@{ Name = 'x' }, (Measure-PodLog -Root $root -By Node) | Export-PodLogMetric -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 2
        Assert-PodLogsError $errs[0] MetricInputNotRecognized InvalidArgument
        (ConvertFrom-Exposition $out)['podlogs_errors{error_id="MetricInputNotRecognized"}'] | Should -Be 2
    }

    It 'refuses records of two nodes with MetricInputFromManyNodes: the text has no node label' {
        $node1 = $links | Select-Object *, @{ Name = 'PSComputerName'; Expression = { 'node-1' } }
        $node2 = $links | Select-Object *, @{ Name = 'PSComputerName'; Expression = { 'node-2' } }
        Remove-ScanTime ($node1 | Export-PodLogMetric) | Should -BeExactly (Remove-ScanTime ($links | Export-PodLogMetric))
        $err = $null
        try { @($node1) + @($node2) | Export-PodLogMetric } catch { $err = $_ }
        Assert-PodLogsError $err MetricInputFromManyNodes InvalidArgument -TargetObject 'node-2'
    }

    It 'counts the errors of its own check in podlogs_errors' {
        $out = Export-PodLogMetric -Root $root -PodName no-such-pod -ErrorVariable errs -ErrorAction SilentlyContinue
        Assert-PodLogsError $errs[0] SelectionNotFound ObjectNotFound
        (ConvertFrom-Exposition $out)['podlogs_errors{error_id="SelectionNotFound"}'] | Should -Be 1
    }
}

Describe 'Export-PodLogMetric -Path' {
    It 'refuses a directory with MetricsPathIsDirectory before inspecting anything' {
        $dir = New-Item -ItemType Directory "$TestDrive/a-directory.prom"
        { Export-PodLogMetric -Root $root -Path $dir.FullName } | Should -Throw -ErrorId 'MetricsPathIsDirectory,PodLogs.Commands.ExportPodLogMetricCommand'
        @(Get-ChildItem -Force $dir.FullName).Count | Should -Be 0
    }

    It 'warns when the name does not end in .prom, and still writes it' {
        Export-PodLogMetric -Root $root -Path "$TestDrive/metrics.txt" -WarningVariable warnings 3>$null
        $warnings.Count | Should -Be 1
        "$TestDrive/metrics.txt" | Should -Exist
    }

    It 'replaces the file and leaves no temporary file beside it' {
        $dir = New-Item -ItemType Directory "$TestDrive/replace"
        Set-Content "$dir/podlogs.prom" 'old'
        Export-PodLogMetric -Root $root -Path "$dir/podlogs.prom" | Should -BeNullOrEmpty
        (Get-ChildItem -Force $dir).Name | Should -Be 'podlogs.prom'
        Get-Content -Raw "$dir/podlogs.prom" | Should -Match '^# HELP podlogs_'
    }

    It '-PassThru writes the records of its own check beside the file: those Get-ContainerLogLink and Measure-PodLog give' {
        $out = @(Export-PodLogMetric -Root $root -Path "$TestDrive/passthru.prom" -PassThru)
        $fromLinks = @($out | Where-Object { $_ -is [PodLogs.Core.ContainerLogLink] })
        @($fromLinks | ForEach-Object { "$($_.NodePath) $($_.Status)" }) | Should -Be @($links | ForEach-Object { "$($_.NodePath) $($_.Status)" })
        $fromUsage = @($out | Where-Object { $_ -is [PodLogs.Core.PodLogUsage] })
        @($fromUsage | ForEach-Object { "$($_.PodName)/$($_.ContainerName)/$($_.RestartCount) $($_.TotalBytes) $($_.RotationState)" }) |
            Should -Be @($usage | ForEach-Object { "$($_.PodName)/$($_.ContainerName)/$($_.RestartCount) $($_.TotalBytes) $($_.RotationState)" })
        $out.Count | Should -Be ($links.Count + $usage.Count) -Because 'no handles under this -Root without -ProcPath, no orphans without -Cluster'
        Remove-ScanTime (Get-Content -Raw "$TestDrive/passthru.prom") | Should -BeExactly (Remove-ScanTime (Export-PodLogMetric -Root $root))
    }

    It '-PassThru passes piped records on as they came' {
        $out = @($links | Export-PodLogMetric -Path "$TestDrive/piped.prom" -PassThru)
        $out.Count | Should -Be $links.Count
        for ($i = 0; $i -lt $links.Count; $i++) { [object]::ReferenceEquals($out[$i], $links[$i]) | Should -BeTrue }
    }

    It '-PassThru without -Path is PassThruWithoutPath, before anything is inspected' {
        $err = { Export-PodLogMetric -Root (Join-Path $TestDrive 'no-such-root') -PassThru } | Should -Throw -ErrorId 'PassThruWithoutPath,PodLogs.Commands.ExportPodLogMetricCommand' -PassThru
        Assert-PodLogsError $err -ErrorId PassThruWithoutPath -Category InvalidArgument
    }
}

Describe 'node-exporter serves the file -Path writes' {
    BeforeAll {
        $textfiles = New-Item -ItemType Directory "$TestDrive/textfile"
        Export-PodLogMetric -Root $root -Path "$textfiles/podlogs.prom"
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $exporter = Start-Process prometheus-node-exporter -PassThru -RedirectStandardError "$TestDrive/exporter.err" -RedirectStandardOutput "$TestDrive/exporter.out" -ArgumentList @(
            '--collector.disable-defaults', '--collector.textfile', "--collector.textfile.directory=$textfiles", "--web.listen-address=127.0.0.1:$port")
        # Startup, not an assertion: wait until it answers (or has exited), at most a minute.
        $served = $null
        foreach ($i in 1..120) {
            if ($exporter.HasExited) { break }
            try { $served = (Invoke-WebRequest "http://127.0.0.1:$port/metrics" -TimeoutSec 5).Content; break } catch { Start-Sleep -Milliseconds 500 }
        }
        $scraped = if ($served) { ConvertFrom-Exposition $served } else { @{} }
    }
    AfterAll {
        if ($exporter -and -not $exporter.HasExited) { $exporter.Kill(); $exporter.WaitForExit() }
    }

    It 'answers /metrics' {
        $served | Should -Not -BeNullOrEmpty -Because (Get-Content -Raw "$TestDrive/exporter.err")
    }

    It 'reads the file without a scrape error' {
        $scraped['node_textfile_scrape_error'] | Should -Be 0
        $scraped.Keys | Should -Contain "node_textfile_mtime_seconds{file=`"$textfiles/podlogs.prom`"}"
    }

    It 'serves the values of the module''s records' {
        $dangling = @($links | Where-Object { $_.Kind -eq 'Legacy' -and $_.Status -eq 'Dangling' }).Count
        $dangling | Should -BeGreaterThan 0
        $scraped[(Get-Series podlogs_log_links 'kind="legacy",status="dangling"')] | Should -Be $dangling
        $scraped[(Get-Series podlogs_log_links 'kind="pod",status="healthy"')] | Should -Be @($links | Where-Object { $_.Kind -eq 'PodLog' -and $_.Status -eq 'Healthy' }).Count
        foreach ($record in $usage | Where-Object RotationState -eq 'TooManyFiles') {
            $scraped[(Get-Series podlogs_container_log_rotation "$(Get-ContainerLabels $record),state=`"too_many_files`"")] | Should -Be 1
        }
        $grafana = $usage | Where-Object ContainerName -eq 'grafana'
        $scraped[(Get-Series podlogs_container_log_bytes "$(Get-ContainerLabels $grafana),state=`"rotated`"")] | Should -Be $grafana.RotatedBytes
    }
}

Describe 'The alert rules of docs/fleet.md' {
    It 'pass the real promtool check rules' {
        $doc = Get-Content -Raw "$PSScriptRoot/../../docs/fleet.md"
        $doc -match '(?s)## Metrics.*?```yaml\n(.*?)```' | Should -BeTrue
        Set-Content -LiteralPath "$TestDrive/rules.yml" -Value $Matches[1]
        $out = promtool check rules "$TestDrive/rules.yml" 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($out -join "`n")
        $out -join "`n" | Should -Match 'SUCCESS: 7 rules found'
    }
}

Describe 'Export-PodLogMetric -ProcPath: deleted logs still held open' {
    BeforeAll {
        # This process holds loki's active log open, and the log is deleted: its blocks stay allocated until the handle closes.
        $held = New-SampleRoot 'held'
        $log = Get-Local $held '/var/log/pods/observability_loki-0_5b6c7d8e-9fa0-4b1c-8d2e-3f405162a7b8/loki/0.log'
        $bytes = [long]((du --block-size=1 -- $log) -split "`t")[0]
        $handle = [IO.File]::Open($log, 'Open', 'Read', 'ReadWrite, Delete')
        Remove-Item -LiteralPath $log
    }
    AfterAll { $handle.Dispose() }

    It 'counts their bytes by the holder''s process name, as du counted the file' {
        $bytes | Should -BeGreaterThan 0
        $comm = (Get-Content -Raw "/proc/$PID/comm").Trim()
        $text = Export-PodLogMetric -Root $held -ProcPath /proc -ErrorAction Stop
        $text | Should -Match "(?m)^podlogs_deleted_open_bytes\{process=`"$([regex]::Escape($comm))`"\} $bytes$"
        ($text -split "`n" | Where-Object { $_ -like 'podlogs_deleted_open_bytes{*' }).Count | Should -Be 1
        (Get-ContainerLogHandle -Root $held -ProcPath /proc -Deleted | Export-PodLogMetric) | Should -Match "(?m)^podlogs_deleted_open_bytes\{process=`"$([regex]::Escape($comm))`"\} $bytes$"
    }
}
