BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'getlog'
    $corednsLocal = Get-Local $root "$($Sample.CorednsDir)/coredns"
    $corednsMessages = @(
        0..2 | ForEach-Object { "[INFO] plugin/reload: Running configuration SHA512 $_" }
        0..2 | ForEach-Object { "[INFO] 10.244.0.1:53 - A IN kubernetes.default.svc $_" }
        0..4 | ForEach-Object { "[INFO] 10.244.0.7:41234 - AAAA IN api.example.com $_" }
    )
    function New-CriFile([string] $Path, [string[]] $Lines) {
        $null = New-Item -ItemType Directory -Force (Split-Path $Path)
        [IO.File]::WriteAllText($Path, (($Lines | ForEach-Object { "$_`n" }) -join ''))
        $Path
    }
    function Stamp([DateTimeOffset] $t) { $t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'") }
}

Describe 'Get-ContainerLog parameters' {
    BeforeAll { $command = Get-Command Get-ContainerLog }

    It 'has ByName as the default set, ByInputObject for the pipeline and ByLiteralPath' {
        $command.DefaultParameterSet | Should -Be 'ByName'
        $command.ParameterSets.Name | Sort-Object | Should -Be @('ByInputObject', 'ByLiteralPath', 'ByName')
        $command.Parameters['InputObject'].ParameterSets['ByInputObject'].ValueFromPipeline | Should -BeTrue
    }

    It '-LiteralPath has the alias LP and not PSPath (a ContainerLogLink''s PSPath must bind as InputObject)' {
        $command.Parameters['LiteralPath'].Aliases | Should -Be @('LP')
    }

    It 'declares ContainerLogLine and string as its output types' {
        $command.OutputType.Type | Should -Contain ([PodLogs.Core.ContainerLogLine])
        $command.OutputType.Type | Should -Contain ([string])
    }

    It 'has -Follow in every set' {
        $command.Parameters['Follow'].ParameterSets.Keys | Sort-Object | Should -Be @('__AllParameterSets')
    }
}

Describe 'Reading one container' {
    It 'reads a docker json-file log through the N.log link, with identity and streams' {
        $lines = @(Get-ContainerLog -Root $root -Namespace kube-system -PodName $Sample.ApiServerPod)
        $lines.Message | Should -Be @('kube-apiserver restart 0: line 0', 'kube-apiserver restart 0: line 1', 'kube-apiserver restart 0: line 2')
        $lines.Stream | Should -Be @('Stdout', 'Stdout', 'Stderr')
        $lines[0].Timestamp | Should -Be ([DateTimeOffset]'2026-11-01T00:00:05Z')
        $lines[0].TimestampText | Should -Be '2026-11-01T00:00:05.0000000Z'
        $lines | ForEach-Object {
            $_.Namespace | Should -Be 'kube-system'
            $_.PodName | Should -Be $Sample.ApiServerPod
            $_.ContainerName | Should -Be 'kube-apiserver'
            $_.RestartCount | Should -Be 0
            $_.File | Should -Be (Get-Local $root (Get-DockerJsonLog $Sample.ApiServerId))
        }
        $lines[0] | Should -BeOfType ([PodLogs.Core.ContainerLogLine])
    }

    It 'reads a CRI log with its .gz and plain rotated siblings, oldest first' {
        $lines = @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod)
        $lines.Message | Should -Be $corednsMessages
        $lines[0].File | Should -Be "$corednsLocal/0.log.20261126-091500.gz"
        $lines[3].File | Should -Be "$corednsLocal/0.log.20261126-101500"
        $lines[6].File | Should -Be "$corednsLocal/0.log"
        $lines[0].TimestampText | Should -Be '2026-11-26T09:00:00.000000001Z'
        $lines[-1].TimestampText | Should -Be '2026-11-26T11:00:00.123456789+00:00'
        $lines[-1].Timestamp | Should -Be ([DateTimeOffset]'2026-11-26T11:00:00.1234567Z')
        $lines[1].Stream | Should -Be 'Stderr'
    }

    It 'prints like kubectl logs --timestamps by default' {
        $text = Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Tail 1 | Out-String
        $text.Trim() | Should -Be '2026-11-26T11:00:00.123456789+00:00 [INFO] 10.244.0.7:41234 - AAAA IN api.example.com 4'
    }

    It 'has a Containers table view naming each line''s container' {
        $text = Get-ContainerLog -Root $root -Namespace kube-system -Tail 1 | Format-Table -View Containers | Out-String -Width 250
        $text | Should -Match 'NAMESPACE\s+POD\s+CONTAINER'
        $text | Should -Match 'coredns'
        $text | Should -Match 'kube-apiserver'
    }

    It '-AsString writes the messages only' {
        $strings = @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -AsString)
        $strings | Should -Be $corednsMessages
        $strings[0] | Should -BeOfType ([string])
    }
}

Describe 'Filters' {
    It '-Tail counts logical lines after -Match and -Stream' {
        (Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Match 'aaaa' -Stream Stderr -Tail 1).Message |
            Should -Be '[INFO] 10.244.0.7:41234 - AAAA IN api.example.com 3'
        (Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Match ' IN ' -Tail 4).Message | Should -Be $corednsMessages[-4..-1]
    }

    It '-Tail crosses into rotated segments when the live file has too few lines' {
        $lines = @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Stream stdout -Tail 5)
        $lines.Message | Should -Be @($corednsMessages[3], $corednsMessages[5], $corednsMessages[6], $corednsMessages[8], $corednsMessages[10])
    }

    It '-Tail 0 returns nothing' {
        Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Tail 0 | Should -BeNullOrEmpty
    }

    It '-Since and -Until take dates (inclusive) as DateTimeOffset and as strings' {
        $lines = @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Since ([DateTimeOffset]'2026-11-26T10:00:00.5Z') -Until '2026-11-26T10:59:59Z')
        $lines.Message | Should -Be $corednsMessages[3..5]
        @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Since '2026-11-26T11:00:00.1234567Z').Count | Should -Be 5
    }

    It 'a DateTime of unspecified kind is local time' {
        $instant = [DateTimeOffset]'2026-11-26T10:00:00.5Z'
        $unspecified = [datetime]::SpecifyKind($instant.LocalDateTime, 'Unspecified')
        @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Since $unspecified).Count | Should -Be 8
        @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Until $unspecified).Count | Should -Be 6
    }

    Context 'durations count back from now' {
        BeforeAll {
            $now = [DateTimeOffset]::UtcNow
            $file = New-CriFile (Join-Path $TestDrive 'recent/0.log') @(
                "$(Stamp $now.AddHours(-3)) stdout F three hours ago"
                "$(Stamp $now.AddMinutes(-80)) stdout F eighty minutes ago"
                "$(Stamp $now.AddMinutes(-30)) stdout F half an hour ago"
                "$(Stamp $now.AddSeconds(-30)) stdout F just now"
            )
        }

        It '-Since <Since> returns <Count> lines' -ForEach @(
            @{ Since = '1h'; Count = 2 }
            @{ Since = '1h30m'; Count = 3 }
            @{ Since = '90s'; Count = 1 }
            @{ Since = '2h45m30.5s'; Count = 3 }
            @{ Since = [timespan]::FromMinutes(45); Count = 2 }
        ) {
            @(Get-ContainerLog -LiteralPath $file -Since $Since).Count | Should -Be $Count
        }

        It '-Until 1h keeps the older lines' {
            (Get-ContainerLog -LiteralPath $file -Until 1h).Message | Should -Be @('three hours ago', 'eighty minutes ago')
        }

        It 'refuses a value that is neither (InvalidTimeBound, terminating)' -ForEach @(
            @{ Value = '5 minutes' }, @{ Value = '5' }, @{ Value = '-5m' }
        ) {
            { Get-ContainerLog -LiteralPath $file -Since $Value -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'InvalidTimeBound,PodLogs.Commands.GetContainerLogCommand'
        }
    }

    It 'refuses an invalid -Match (InvalidMatchPattern, terminating)' {
        { Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Match '([' } | Should -Throw -ErrorId 'InvalidMatchPattern,PodLogs.Commands.GetContainerLogCommand'
    }

    It '-LimitBytes stops before the first line that would pass the limit' {
        # 52 bytes + newline per message of the .gz segment
        @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -LimitBytes 106).Count | Should -Be 2
        @(Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -LimitBytes 105).Count | Should -Be 1
    }

    Context 'partial records' {
        BeforeAll {
            $file = New-CriFile (Join-Path $TestDrive 'partial/0.log') @(
                '2026-11-26T10:00:00Z stdout P hello, '
                '2026-11-26T10:00:01Z stdout F world'
                '2026-11-26T10:00:02Z stdout F 0123456789012345678901234567890123456789'
            )
        }

        It 'merges P...F into one line by default' {
            (Get-ContainerLog -LiteralPath $file).Message | Select-Object -First 1 | Should -Be 'hello, world'
        }

        It '-NoMerge returns the physical records, flagged Partial' {
            $records = @(Get-ContainerLog -LiteralPath $file -NoMerge)
            $records.Count | Should -Be 3
            $records[0].Message | Should -Be 'hello, '
            $records[0].Flags | Should -Be 'Partial'
        }

        It '-MaxLineBytes splits a longer line with a warning' {
            $lines = @(Get-ContainerLog -LiteralPath $file -MaxLineBytes 16 -WarningVariable warned -WarningAction SilentlyContinue)
            ($lines | Where-Object { $_.Flags -band [PodLogs.Core.Logs.LogLineFlags]::Split }).Count | Should -BeGreaterThan 1
            ($lines | Where-Object Timestamp -EQ ([DateTimeOffset]'2026-11-26T10:00:02Z')).Message -join '' | Should -Be '0123456789012345678901234567890123456789'
            $warned | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Several containers' {
    It 'merges containers in time order, each line saying where it came from' {
        $lines = @(Get-ContainerLog -Root $root -Namespace kube-system)
        $lines.Count | Should -Be 14
        $ticks = $lines.Timestamp.UtcTicks
        $ticks | Should -Be ($ticks | Sort-Object)
        ($lines.ContainerName | Sort-Object -Unique) | Should -Be @('coredns', 'kube-apiserver')
    }

    It 'applies -Tail per container before merging' {
        $lines = @(Get-ContainerLog -Root $root -Namespace kube-system -Tail 2)
        $lines.ContainerName | Should -Be @('kube-apiserver', 'kube-apiserver', 'coredns', 'coredns')
    }

    # Issue #10 item 2: the ErrorId every selecting cmdlet shares (this test expected ContainerLogNotFound before).
    It 'reports a name that matches nothing (SelectionNotFound), naming the value' {
        $out = Get-ContainerLog -Root $root -PodName 'no-such-pod' -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        @($err).Count | Should -Be 1
        Assert-PodLogsError $err[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'no-such-pod'
    }

    It 'is silent for a wildcard that matches nothing, as Get-Process -Name nosuch* is' {
        Get-ContainerLog -Root $root -PodName 'no-such-*' -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }
}

Describe '-Previous' {
    It 'takes the previous instance by container id from the runtime state, reading docker''s log when 6.log is missing' {
        $lines = @(Get-ContainerLog -Root $root -PodName $Sample.ReloaderPod -Previous -Source DockerFiles -WarningVariable warned -WarningAction SilentlyContinue)
        $lines.Message | Should -Be @(0..2 | ForEach-Object { "stakater-reloader restart 6: line $_" })
        $lines[0].RestartCount | Should -Be 6
        "$warned" | Should -Match 'Missing'
    }

    It 'without runtime state takes the newest instance below the current one on the node, never blindly N-1' {
        $lines = @(Get-ContainerLog -Root $root -PodName $Sample.ReloaderPod -Previous -Source None)
        $lines.Message | Should -Be @(0..2 | ForEach-Object { "stakater-reloader restart 1: line $_" })
    }

    It 'reads the current instance without it' {
        (Get-ContainerLog -Root $root -PodName $Sample.ReloaderPod -Source None -Tail 1).Message | Should -Be 'stakater-reloader restart 7: line 2'
    }

    It 'is ContainerLogNotFound when there is no previous instance' {
        Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Previous -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-PodLogsError $err[0] -ErrorId ContainerLogNotFound -Category ObjectNotFound -TargetObject "$corednsLocal/0.log"
    }
}

Describe 'Pipeline input' {
    It 'a ContainerLogLink record reads that entry''s instance' {
        $link = Get-ContainerLogLink -Root $root -PodName $Sample.ReloaderPod | Where-Object { $_.Kind -eq 'PodLog' -and $_.RestartCount -eq 1 }
        $link | Should -HaveCount 1
        $lines = @($link | Get-ContainerLog -Root $root)
        $lines.Message | Should -Be @(0..2 | ForEach-Object { "stakater-reloader restart 1: line $_" })
    }

    It 'several link records of one pod are each read and merged in time order' {
        $links = Get-ContainerLogLink -Root $root -PodName $Sample.ReloaderPod | Where-Object { $_.Kind -eq 'PodLog' -and $_.Exists }
        $lines = @($links | Get-ContainerLog -Root $root)
        ($lines.RestartCount | Select-Object -Unique) | Should -Be @(1, 7)
    }

    It 'a PodLogDirectory record reads every container of the pod' {
        $lines = @(Get-PodLogDirectory -Root $root -PodName $Sample.CorednsPod | Get-ContainerLog -Root $root)
        $lines.Message | Should -Be $corednsMessages
    }

    It 'a kubectl-shaped pod object reads the pod''s containers' {
        $pod = [pscustomobject]@{ metadata = [pscustomobject]@{ namespace = 'kube-system'; name = $Sample.ApiServerPod; uid = $Sample.ApiServerUid } }
        @($pod | Get-ContainerLog -Root $root).Count | Should -Be 3
    }

    It 'refuses an object that is not a pod (InputObjectNotAPod) and goes on' {
        $dir = Get-PodLogDirectory -Root $root -PodName $Sample.CorednsPod
        $lines = @([pscustomobject]@{ Foo = 1 }, $dir | Get-ContainerLog -Root $root -ErrorVariable err -ErrorAction SilentlyContinue)
        $lines.Count | Should -Be 11
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectNotAPod,*'
    }
}

Describe '-LiteralPath' {
    It 'reads a kubelet file with its rotated siblings and the identity its path carries' {
        $lines = @(Get-ContainerLog -LiteralPath "$corednsLocal/0.log")
        $lines.Message | Should -Be $corednsMessages
        $lines[0].PodName | Should -Be $Sample.CorednsPod
        $lines[0].ContainerName | Should -Be 'coredns'
        $lines[0].RestartCount | Should -Be 0
    }

    It 'reads a file anywhere, with the alias LP, following a link the OS way' {
        $copy = Join-Path $TestDrive 'copied.log'
        Copy-Item (Get-Local $root (Get-DockerJsonLog $Sample.ApiServerId)) $copy
        $link = Join-Path $TestDrive 'copied-link.log'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $copy
        $lines = @(Get-ContainerLog -LP $link)
        $lines.Count | Should -Be 3
        $lines[0].PodName | Should -BeNullOrEmpty
        $lines[0].File | Should -Be $copy
    }

    It 'a missing file is ContainerLogNotFound with the path as TargetObject' {
        $missing = Join-Path $TestDrive 'nothing-here.log'
        Get-ContainerLog -LiteralPath $missing -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-PodLogsError $err[0] -ErrorId ContainerLogNotFound -Category ObjectNotFound -TargetObject $missing
    }
}

Describe 'Safety' {
    BeforeAll {
        $escape = New-SampleRoot 'escape'
        $secret = New-CriFile (Get-Local $escape '/etc/podlogs-secret') @('2026-11-26T12:00:00Z stdout F root:$6$secret-hash:19000:0:99999:7:::')
        $planted = Get-Local $escape "$($Sample.CorednsDir)/coredns/1.log"
        $null = New-Item -ItemType SymbolicLink -Path $planted -Target '/etc/podlogs-secret'
    }

    It 'refuses a link that resolves outside the log and runtime roots (LogTargetOutsideRoots)' {
        $lines = @(Get-ContainerLog -Root $escape -PodName $Sample.CorednsPod -ErrorVariable err -ErrorAction SilentlyContinue)
        ($lines.Message -join "`n") | Should -Not -Match 'secret'
        $refusal = $err | Where-Object { $_.FullyQualifiedErrorId -like 'LogTargetOutsideRoots,*' }
        $refusal | Should -Not -BeNullOrEmpty
        Assert-PodLogsError $refusal[0] -ErrorId LogTargetOutsideRoots -Category SecurityError -TargetObject $planted
    }

    It 'refuses it through the pipeline too' {
        $link = Get-ContainerLogLink -Root $escape -PodName $Sample.CorednsPod | Where-Object NodePath -Like '*/1.log'
        $link.Status | Should -Be 'Unsafe'
        $lines = @($link | Get-ContainerLog -Root $escape -ErrorVariable err -ErrorAction SilentlyContinue)
        $lines | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'LogTargetOutsideRoots,*'
    }

    It 'reads it with -Force, still under -Root' {
        $lines = @(Get-ContainerLog -Root $escape -PodName $Sample.CorednsPod -Force -WarningAction SilentlyContinue)
        $lines.Message | Should -Be @('root:$6$secret-hash:19000:0:99999:7:::')
        $lines[0].File | Should -Be $secret
    }

    It 'does not read another container''s json log that a container''s LogPath names (LogTargetNotOwnLog, issue #11)' {
        # Restart 6's N.log is missing, so the reader asks docker's state for its log; that state is rewritten to
        # name restart 1's json log. The repair refuses to link to it; the reader refuses to read it as restart 6's.
        $forged = New-SampleRoot 'forged-logpath'
        $config = Get-Local $forged "/var/lib/docker/containers/$($Sample.Reloader6)/config.v2.json"
        $state = Get-Content -Raw $config | ConvertFrom-Json
        $state.LogPath = Get-DockerJsonLog $Sample.Reloader1
        $state | ConvertTo-Json -Depth 20 -Compress | Set-Content -NoNewline $config
        $lines = @(Get-ContainerLog -Root $forged -ContainerId $Sample.Reloader6 -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)
        $lines | Should -BeNullOrEmpty
        $refusal = @($err | Where-Object { $_.FullyQualifiedErrorId -like 'LogTargetNotOwnLog,*' })
        $refusal.Count | Should -Be 1
        $refusal[0].Exception.Message | Should -BeLike "*$($Sample.Reloader1)*it is not read*"
    }

    It 'a FIFO in place of a segment is LogFileNotRegular and the other segments are still read' {
        $fifoRoot = New-SampleRoot 'fifo'
        $segment = Get-Local $fifoRoot "$($Sample.CorednsDir)/coredns/0.log.20261126-101500"
        Remove-Item $segment
        & mkfifo $segment
        $lines = @(Get-ContainerLog -Root $fifoRoot -PodName $Sample.CorednsPod -ErrorVariable err -ErrorAction SilentlyContinue)
        $lines.Count | Should -Be 8
        Assert-PodLogsError $err[0] -ErrorId LogFileNotRegular -Category InvalidData -TargetObject $segment
    }
}

Describe 'Errors and stopping' {
    It 'a dangling N.log is ContainerLogNotFound naming the entry, and the other containers are still read' {
        $dangling = New-SampleRoot 'dangling'
        Remove-Item (Get-Local $dangling (Get-DockerJsonLog $Sample.ApiServerId))
        $lines = @(Get-ContainerLog -Root $dangling -Namespace kube-system -Source None -ErrorVariable err -ErrorAction SilentlyContinue)
        $lines.Count | Should -Be 11
        Assert-PodLogsError $err[0] -ErrorId ContainerLogNotFound -Category ObjectNotFound -TargetObject (Get-Local $dangling "$($Sample.ApiServerDir)/kube-apiserver/0.log")
        $err[0].Exception.Message | Should -Match 'Dangling'
    }

    It 'stops at once when the pipeline is stopped (Ctrl+C)' {
        $big = Join-Path $TestDrive 'big/0.log'
        $null = New-Item -ItemType Directory -Force (Split-Path $big)
        $line = "2026-11-26T10:00:00.000000001Z stdout F $('x' * 200)`n"
        [IO.File]::WriteAllText($big, $line * 200000)
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript("Import-Module '$((Get-Module PodLogs).Path)'; Get-ContainerLog -LiteralPath '$big' | ForEach-Object { `$n++ }")
        $async = $ps.BeginInvoke()
        Start-Sleep -Milliseconds 300
        $ps.Stop()
        $async.IsCompleted | Should -BeTrue
        $ps.InvocationStateInfo.State | Should -Be 'Stopped' -Because 'the read was stopped, it did not run to its end'
        $ps.Dispose()
    }
}

Describe '-Follow' {
    BeforeAll {
        $modulePath = (Get-Module PodLogs).Path
        # Get-ContainerLog -Follow with these parameters in its own runspace, output collected as it comes.
        function Start-Follow([hashtable] $Parameters) {
            $Parameters.Follow = $true
            $ps = [PowerShell]::Create()
            $null = $ps.AddScript('param($module, $parameters) Import-Module $module; Get-ContainerLog @parameters').AddArgument($modulePath).AddArgument($Parameters)
            $noInput = [Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $output = [Management.Automation.PSDataCollection[psobject]]::new()
            $async = $ps.BeginInvoke($noInput, $output)
            [pscustomobject]@{ PowerShell = $ps; Output = $output; Async = $async }
        }
        # Waits on a state, never on a sleep: the generous limit only turns a hang into a failure.
        function Wait-Until([scriptblock] $Condition, [string] $What) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            while (-not (& $Condition)) {
                if ($watch.Elapsed.TotalSeconds -gt 60) { throw "Never happened: $What (output: $($follow.Output -join ' | '); errors: $($follow.PowerShell.Streams.Error -join ' | '))" }
                Start-Sleep -Milliseconds 20
            }
        }
        function Line([int] $n, [string] $stream = 'stdout') { "$(Stamp ([DateTimeOffset]'2026-11-26T10:00:00Z').AddMilliseconds($n)) $stream F line $n`n" }
        # A runtime's writer: one descriptor, kept open across kubelet's rename until it reopens the name.
        function Open-Writer([string] $Path) { [IO.FileStream]::new($Path, 'Append', 'Write', 'ReadWrite, Delete') }
        function Write-Lines([IO.FileStream] $Writer, [int[]] $Numbers) {
            $bytes = [Text.Encoding]::UTF8.GetBytes((($Numbers | ForEach-Object { Line $_ }) -join ''))
            $Writer.Write($bytes, 0, $bytes.Length)
            $Writer.Flush()
        }
        function New-ContainerDir([string] $Container) {
            $dir = Join-Path $TestDrive "follow-$([guid]::NewGuid().ToString('n').Substring(0, 6))/default_web-0_2681cb7f-daa4-4620-bb60-1d449709181c/$Container"
            (New-Item -ItemType Directory -Force $dir).FullName
        }
    }

    It '-Tail 5 prints the last 5, then follows kubelet''s rotations until stopped, every line once and in order' {
        $dir = New-ContainerDir 'app'
        $live = Join-Path $dir '0.log'
        [IO.File]::WriteAllText("$live.20261126-090000", ((0..9 | ForEach-Object { Line $_ }) -join ''))
        $writer = Open-Writer $live
        Write-Lines $writer (10..19)
        $follow = Start-Follow @{ LiteralPath = $live; Tail = 5; AsString = $true }
        try {
            Wait-Until { $follow.Output.Count -ge 5 } 'the tail'
            $next = 20
            foreach ($rotation in 1..3) {
                Write-Lines $writer ($next..($next + 99)); $next += 100
                # the follower holds this file before it is renamed (a file at the name for less than one poll can be missed)
                Wait-Until { $follow.Output.Count -ge $next - 15 } "the lines before rotation $rotation"
                Move-Item $live "$live.20261126-1$rotation'0000"
                Write-Lines $writer ($next..($next + 9)); $next += 10     # the runtime still writes to the renamed file
                $writer.Dispose()
                $writer = Open-Writer $live                                   # ReopenContainerLog
            }
            Write-Lines $writer ($next..($next + 49)); $next += 50
            Wait-Until { $follow.Output.Count -ge $next - 15 } 'every line'
            $follow.PowerShell.Stop()
            $follow.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
            @($follow.Output) | Should -Be @(15..($next - 1) | ForEach-Object { "line $_" })
        }
        finally { $writer.Dispose(); $follow.PowerShell.Dispose() }
    }

    It 'follows two containers at once: what they hold merged by time, then each line as it comes, one never waiting for the other' {
        $app = Join-Path (New-ContainerDir 'app') '0.log'
        $sidecar = Join-Path (Split-Path (Split-Path $app)) 'sidecar/0.log'
        $null = New-Item -ItemType Directory (Split-Path $sidecar)
        $appWriter = Open-Writer $app; $sidecarWriter = Open-Writer $sidecar
        Write-Lines $appWriter 1, 3; Write-Lines $sidecarWriter 2, 4
        $follow = Start-Follow @{ LiteralPath = $app, $sidecar; Stream = 'Stdout'; Match = 'line [0-9]+$' }
        try {
            Wait-Until { $follow.Output.Count -ge 4 } 'what they hold'
            Write-Lines $sidecarWriter 6, 8                                    # the app container writes nothing
            Wait-Until { $follow.Output.Count -ge 6 } 'the sidecar''s new lines'
            $bytes = [Text.Encoding]::UTF8.GetBytes((Line 9 'stderr') + (Line 10))
            $appWriter.Write($bytes, 0, $bytes.Length); $appWriter.Flush()
            Wait-Until { $follow.Output.Count -ge 7 } 'the app''s new line'
            $follow.PowerShell.Stop()
            $follow.Output.Message | Should -Be @('line 1', 'line 2', 'line 3', 'line 4', 'line 6', 'line 8', 'line 10')
            $follow.Output.ContainerName | Should -Be @('app', 'sidecar', 'app', 'sidecar', 'sidecar', 'sidecar', 'app')
            $follow.Output[0] | Should -BeOfType ([PodLogs.Core.ContainerLogLine])
        }
        finally { $appWriter.Dispose(); $sidecarWriter.Dispose(); $follow.PowerShell.Dispose() }
    }

    It 'ends by itself when the runtime state says the container stopped, with what it wrote last' {
        $node = New-SampleRoot 'follow-stop'
        $json = Get-Local $node (Get-DockerJsonLog $Sample.ApiServerId)
        $config = Join-Path (Split-Path $json) 'config.v2.json'
        $follow = Start-Follow @{ Root = $node; PodName = $Sample.ApiServerPod; Source = 'DockerFiles'; AsString = $true }
        try {
            Wait-Until { $follow.Output.Count -ge 3 } 'what the log holds'
            Add-Content $json '{"log":"last words\n","stream":"stdout","time":"2026-11-01T00:01:00Z"}'
            # docker rewrites its state atomically: a temporary file renamed over config.v2.json
            (Get-Content $config -Raw).Replace('"Running":true', '"Running":false') | Set-Content "$config.tmp" -NoNewline
            Move-Item "$config.tmp" $config -Force
            Wait-Until { $follow.Async.IsCompleted } 'the follow to end'
            $follow.PowerShell.InvocationStateInfo.State | Should -Be 'Completed'
            @($follow.Output) | Should -Be (@(0..2 | ForEach-Object { "kube-apiserver restart 0: line $_" }) + 'last words')
            $follow.PowerShell.Streams.Error | Should -BeNullOrEmpty
        }
        finally { $follow.PowerShell.Dispose() }
    }

    It 'ends by itself when -LimitBytes is spent' {
        $live = Join-Path (New-ContainerDir 'app') '0.log'
        $writer = Open-Writer $live
        Write-Lines $writer 1, 2
        # 'line N' and its newline are 7 bytes: two lines held, two more written, then the limit
        $follow = Start-Follow @{ LiteralPath = $live; LimitBytes = 28; AsString = $true }
        try {
            Wait-Until { $follow.Output.Count -ge 2 } 'what the log holds'
            Write-Lines $writer 3, 4, 5
            Wait-Until { $follow.Async.IsCompleted } 'the follow to end'
            @($follow.Output) | Should -Be @('line 1', 'line 2', 'line 3', 'line 4')
        }
        finally { $writer.Dispose(); $follow.PowerShell.Dispose() }
    }

    It 'ends by itself once -Until has passed (no later line can be stamped before it)' {
        $live = Join-Path (New-ContainerDir 'app') '0.log'
        $now = [DateTimeOffset]::UtcNow
        [IO.File]::WriteAllText($live, "$(Stamp $now.AddHours(-1)) stdout F an hour ago`n$(Stamp $now) stdout F now`n")
        $follow = Start-Follow @{ LiteralPath = $live; Until = '30m'; AsString = $true }
        try {
            Wait-Until { $follow.Async.IsCompleted } 'the follow to end'
            @($follow.Output) | Should -Be @('an hour ago')
        }
        finally { $follow.PowerShell.Dispose() }
    }

    It 'a FIFO in place of the live file is LogFileNotRegular, the rotated segments are still read, and nothing hangs' {
        $node = Join-Path $TestDrive "fifo-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $dir = (New-Item -ItemType Directory -Force "$node/var/log/pods/default_web-0_2681cb7f-daa4-4620-bb60-1d449709181c/app").FullName
        [IO.File]::WriteAllText((Join-Path $dir '0.log.20261126-090000'), (Line 1))
        & mkfifo (Join-Path $dir '0.log')
        $follow = Start-Follow @{ Root = $node; PodName = 'web-0'; Source = 'None'; AsString = $true }
        try {
            Wait-Until { $follow.Output.Count -ge 1 -and $follow.PowerShell.Streams.Error.Count -ge 1 } 'the rotated line and the error'
            @($follow.Output) | Should -Be @('line 1')
            Assert-PodLogsError $follow.PowerShell.Streams.Error[0] -ErrorId LogFileNotRegular -Category InvalidData -TargetObject (Join-Path $dir '0.log')
            $follow.PowerShell.Stop()
        }
        finally { $follow.PowerShell.Dispose() }
    }

    It 'refuses -Previous (FollowWithPrevious, terminating), as kubectl logs does' {
        { Get-ContainerLog -Root $root -PodName $Sample.ReloaderPod -Previous -Follow } |
            Should -Throw -ErrorId 'FollowWithPrevious,PodLogs.Commands.GetContainerLogCommand'
    }
}

Describe 'Kubelet''s edge cases' {
    BeforeAll {
        $edge = Join-Path $TestDrive 'kubelet-edge'
        $null = New-Item -ItemType Directory -Force $edge
        function Write-Gz([string] $Path, [string] $Text) {
            $fs = [IO.File]::Create($Path)
            try {
                $gz = [IO.Compression.GZipStream]::new($fs, [IO.Compression.CompressionLevel]::Fastest)
                $bytes = [Text.Encoding]::UTF8.GetBytes($Text)
                $gz.Write($bytes, 0, $bytes.Length)
                $gz.Dispose()
            }
            finally { $fs.Dispose() }
        }
    }

    # k8s.io/cri-client/pkg/logs/logs.go parseCRILog: "Keep this forward compatible" (only P is partial).
    It 'reads lines with a tag other than P, and lines written before the tag existed, whole' {
        $file = New-CriFile (Join-Path $edge 'untagged/0.log') @(
            '2016-10-06T00:17:09.1Z stdout log content 1'
            '2016-10-06T00:17:09.2Z stderr X a future tag'
            '2016-10-06T00:17:09.3Z stdout F tagged'
        )
        $lines = @(Get-ContainerLog -LiteralPath $file -WarningVariable warned)
        $lines.Message | Should -Be @('log content 1', 'a future tag', 'tagged')
        $warned | Should -BeNullOrEmpty
    }

    # k8s.io/cri-client/pkg/logs/tail.go findTailLineStartIndex: "if the last line is incomplete (no end-of-line),
    # it will not be counted as one line".
    It '-Tail N does not count a last line without its newline and returns it after the N, flagged Incomplete' {
        $file = Join-Path $edge 'unterminated/0.log'
        $null = New-Item -ItemType Directory -Force (Split-Path $file)
        [IO.File]::WriteAllText($file, "2026-03-01T00:00:01Z stdout F one`n2026-03-01T00:00:02Z stdout F two`n2026-03-01T00:00:03Z stdout F three`n2026-03-01T00:00:04Z stdout F still writ")
        $tail = @(Get-ContainerLog -LiteralPath $file -Tail 2)
        $tail.Message | Should -Be @('two', 'three', 'still writ')
        $tail.Incomplete | Should -Be @($false, $false, $true)
        (Get-ContainerLog -LiteralPath $file)[-1].Incomplete | Should -BeTrue
    }

    # pkg/kubelet/logs/container_log_manager.go cleanupUnusedLogs/isInUse: a .tmp, and a plain rotated file whose .gz
    # exists, are kubelet's leftovers (removed before its next rotation).
    It 'reads a rotated file left beside its .gz once, skips .tmp, and names both with -Verbose' {
        $dir = Join-Path $edge 'leftovers'
        $null = New-Item -ItemType Directory -Force $dir
        $old = "2026-03-01T00:00:01Z stdout F rotated`n"
        Write-Gz "$dir/0.log.20260301-000000.gz" $old
        [IO.File]::WriteAllText("$dir/0.log.20260301-000000", $old)
        [IO.File]::WriteAllText("$dir/0.log.20260301-010000.gz.tmp", 'half a gzip')
        $live = New-CriFile "$dir/0.log" @('2026-03-01T00:00:02Z stdout F live')
        $out = @(Get-ContainerLog -LiteralPath $live -Verbose 4>&1)
        $lines = @($out | Where-Object { $_ -is [PodLogs.Core.ContainerLogLine] })
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $lines.Message | Should -Be @('rotated', 'live')
        $verbose | Where-Object { $_ -like "*$dir/0.log.20260301-000000'*cleanupUnusedLogs*" } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_ -like "*$dir/0.log.20260301-010000.gz.tmp*" } | Should -Not -BeNullOrEmpty
    }
}

Describe 'kubectl habits (issue #10 item 9)' {
    BeforeAll {
        $command = Get-Command Get-ContainerLog
        # Every name and alias -x could complete to, per parameter: an alias that is exactly -x resolves to its
        # parameter alone; otherwise PowerShell resolves -x by prefix and several candidates are ambiguous.
        function Resolve-Short([string] $Short) {
            $exact = @($command.Parameters.Values | Where-Object { $_.Name -eq $Short -or $_.Aliases -contains $Short })
            if ($exact.Count) { return @($exact.Name) }
            @($command.Parameters.Values | Where-Object { $_.Name -like "$Short*" -or ($_.Aliases | Where-Object { $_ -like "$Short*" }) }).Name
        }
    }

    It '-<Short> names exactly -<Parameter>' -ForEach @(
        @{ Short = 'c'; Parameter = 'ContainerName' }
        @{ Short = 'n'; Parameter = 'Namespace' }
        @{ Short = 'p'; Parameter = 'Previous' }
        @{ Short = 'f'; Parameter = 'Follow' }
    ) {
        $command.Parameters[$Parameter].Aliases | Should -Contain $Short
        Resolve-Short $Short | Should -Be @($Parameter)
    }

    It 'binds -n, -c, -p as kubectl does' {
        (Get-ContainerLog -Root $root -n kube-system -c coredns -Tail 1).Message | Should -Be $corednsMessages[-1]
        $previous = @(Get-ContainerLog -Root $root -n default $Sample.ReloaderPod -c stakater-reloader -p -WarningAction SilentlyContinue)
        $previous.RestartCount | Sort-Object -Unique | Should -Be 6
    }

    It '-f is -Follow, not ambiguous with -Force: -f -p is FollowWithPrevious' {
        { Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -f -p -ErrorAction Stop } | Should -Throw -ErrorId 'FollowWithPrevious,*'
    }

    It 'marks each line [pod/container] in the default view when more than one container is read' {
        $lines = @(Get-ContainerLog -Root $root -Namespace kube-system -Tail 1)
        $lines.Count | Should -Be 2
        $lines.Prefix | Should -Be @("[$($Sample.ApiServerPod)/kube-apiserver]", "[$($Sample.CorednsPod)/coredns]") -Because "the lines are merged by time"
        $text = ($lines | Out-String -Width 250) -split "`r?`n" | Where-Object { $_ }
        $text | Should -Be @(
            "[$($Sample.ApiServerPod)/kube-apiserver] 2026-11-01T00:00:07.0000000Z kube-apiserver restart 0: line 2"
            "[$($Sample.CorednsPod)/coredns] 2026-11-26T11:00:00.123456789+00:00 $($corednsMessages[-1])"
        )
    }

    It 'does not mark the lines of one container, unless -Prefix' {
        (Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Tail 1).Prefix | Should -BeNullOrEmpty
        (Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Tail 1 | Out-String).Trim() | Should -BeLike '2026-11-26T11:00:00.123456789+00:00 *'
        (Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Tail 1 -Prefix | Out-String).Trim() |
            Should -Be "[$($Sample.CorednsPod)/coredns] 2026-11-26T11:00:00.123456789+00:00 $($corednsMessages[-1])"
    }

    It '-Prefix puts the mark into -AsString output; without it -AsString stays the messages' {
        Get-ContainerLog -Root $root -Namespace kube-system -Tail 1 -AsString -Prefix |
            Should -Be @("[$($Sample.ApiServerPod)/kube-apiserver] kube-apiserver restart 0: line 2", "[$($Sample.CorednsPod)/coredns] $($corednsMessages[-1])")
        Get-ContainerLog -Root $root -Namespace kube-system -Tail 1 -AsString |
            Should -Be @('kube-apiserver restart 0: line 2', $corednsMessages[-1])
        Get-ContainerLog -Root $root -PodName $Sample.CorednsPod -Tail 1 -AsString -Prefix | Should -Be "[$($Sample.CorednsPod)/coredns] $($corednsMessages[-1])"
    }

    It 'marks the lines of a file read by -LiteralPath with its pod and container when its path names them' {
        Get-ContainerLog -LiteralPath "$corednsLocal/0.log" -Tail 1 -AsString -Prefix | Should -Be "[$($Sample.CorednsPod)/coredns] $($corednsMessages[-1])"
    }
}

Describe 'Hostile input: memory and time stay bounded' {
    BeforeAll {
        $hostile = Join-Path $TestDrive 'hostile'
        $null = New-Item -ItemType Directory -Force $hostile
    }

    It 'reports 100,000 malformed lines as one warning with the count and the first offsets, also under -Tail' {
        $file = Join-Path $hostile 'malformed/0.log'
        $null = New-Item -ItemType Directory -Force (Split-Path $file)
        [IO.File]::WriteAllText($file, "2026-03-01T00:00:01Z stdout F good`n" + ("x`n" * 100000))
        $lines = @(Get-ContainerLog -LiteralPath $file -Tail 5 -WarningVariable warned -WarningAction SilentlyContinue)
        $lines.Message | Should -Be @('good')
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -BeLike "100000 malformed CRI lines in '$file' were skipped; the first at bytes 35 (no timestamp delimiter), 37, 39, 41, 43, *"
        @(Get-ContainerLog -LiteralPath $file -WarningVariable whole -WarningAction SilentlyContinue).Message | Should -Be @('good')
        $whole.Count | Should -Be 1
    }

    It '-Tail 5 over a gzip bomb stops at the decompression cap with a warning naming the file' {
        $dir = Join-Path $hostile 'bomb'
        $null = New-Item -ItemType Directory -Force $dir
        # 10 GiB of zeros in about 10 MiB: one gzip member of 1 MiB of zeros, repeated (gzip readers read concatenated members)
        $member = [IO.MemoryStream]::new()
        $gz = [IO.Compression.GZipStream]::new($member, [IO.Compression.CompressionLevel]::SmallestSize, $true)
        $gz.Write([byte[]]::new(1MB), 0, 1MB); $gz.Dispose()
        $one = $member.ToArray()
        $bomb = Join-Path $dir '0.log.20260301-000000.gz'
        $fs = [IO.File]::Create($bomb)
        try { for ($i = 0; $i -lt 10240; $i++) { $fs.Write($one, 0, $one.Length) } } finally { $fs.Dispose() }
        $live = New-CriFile (Join-Path $dir '0.log') @('2026-03-01T01:00:00Z stdout F one', '2026-03-01T01:00:01Z stdout F two')
        $lines = @(Get-ContainerLog -LiteralPath $live -Tail 5 -WarningVariable warned -WarningAction SilentlyContinue)
        $lines.Message | Should -Be @('one', 'two')
        # the zeros are also one malformed line (no timestamp), said once
        $capped = @($warned.Message | Where-Object { $_ -like "Compressed log '$bomb'*" })
        $capped | Should -HaveCount 1
        $capped[0] | Should -BeLike "Compressed log '$bomb' expands to more than * bytes from * compressed bytes; reading it stops there*"
    }

    It '-Match runs in time linear in the line for a pattern that backtracks catastrophically' {
        $file = New-CriFile (Join-Path $hostile 'redos/0.log') @("2026-03-01T00:00:01Z stdout F $('a' * 5000)!", '2026-03-01T00:00:02Z stdout F aaaa')
        @(Get-ContainerLog -LiteralPath $file -Match '^(a+)+$').Message | Should -Be @('aaaa')
    }

    It '-Match with a pattern only the backtracking engine runs stops with MatchTimedOut on a hostile line' {
        $file = New-CriFile (Join-Path $hostile 'redos2/0.log') @('2026-03-01T00:00:01Z stdout F aaaa', "2026-03-01T00:00:02Z stdout F $('a' * 40)!")
        { Get-ContainerLog -LiteralPath $file -Match '^(?=(a+)+$)' -ErrorAction Stop } |
            Should -Throw -ErrorId 'MatchTimedOut,PodLogs.Commands.GetContainerLogCommand'
    }

    It 'refuses <Name> cleanly (<ErrorId>)' -ForEach @(
        @{ Name = '-MaxLineBytes [int]::MaxValue'; Splat = @{ MaxLineBytes = [int]::MaxValue }; ErrorId = 'ParameterArgumentValidationError' }
        @{ Name = '-Since 99999999h'; Splat = @{ Since = '99999999h' }; ErrorId = 'InvalidTimeBound' }
        @{ Name = '-Since [timespan]::MaxValue'; Splat = @{ Since = [timespan]::MaxValue }; ErrorId = 'InvalidTimeBound' }
        @{ Name = '-Since [timespan]::MinValue'; Splat = @{ Since = [timespan]::MinValue }; ErrorId = 'InvalidTimeBound' }
        @{ Name = '-Until -99999999h as a TimeSpan'; Splat = @{ Until = [timespan]::FromHours(-99999999) }; ErrorId = 'InvalidTimeBound' }
    ) {
        $file = New-CriFile (Join-Path $hostile 'range/0.log') @('2026-03-01T00:00:01Z stdout F one')
        { Get-ContainerLog -LiteralPath $file @Splat -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,PodLogs.Commands.GetContainerLogCommand"
    }

    It 'reads with <Name> (the edge of the range is a bound, not an error)' -ForEach @(
        @{ Name = '-Until [datetimeoffset]::MaxValue'; Splat = @{ Until = [datetimeoffset]::MaxValue } }
        @{ Name = '-Until [datetime]::MaxValue'; Splat = @{ Until = [datetime]::MaxValue } }
        @{ Name = '-Since [datetime]::MinValue'; Splat = @{ Since = [datetime]::MinValue } }
        @{ Name = '-Tail [int]::MaxValue'; Splat = @{ Tail = [int]::MaxValue } }
        @{ Name = '-LimitBytes [long]::MaxValue'; Splat = @{ LimitBytes = [long]::MaxValue } }
        @{ Name = '-MaxLineBytes 1GB'; Splat = @{ MaxLineBytes = 1GB } }
    ) {
        $file = New-CriFile (Join-Path $hostile 'range/0.log') @('2026-03-01T00:00:01Z stdout F one')
        @(Get-ContainerLog -LiteralPath $file @Splat -ErrorAction Stop).Message | Should -Be @('one')
    }
}
