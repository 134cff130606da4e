# Issue #13 item 4: Remove-ContainerLogLink on the embedded sample node (docker, its state read from its files),
# with real links, real gzip leftovers and a real process holding a leftover open. Each test writes its own node.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    $CorednsLogs = "$($Sample.CorednsDir)/coredns"
    $GoneUid = '0badc0de-1111-4222-8333-444455556666'
    $UnknownId = 'facade00' * 8

    function Write-Gzip([string] $Path, [byte[]] $Bytes) {
        $file = [IO.File]::Create($Path)
        try { $gz = [IO.Compression.GZipStream]::new($file, [IO.Compression.CompressionLevel]::Fastest); $gz.Write($Bytes, 0, $Bytes.Length); $gz.Dispose() } finally { $file.Dispose() }
    }

    # The sample node plus one of each dead entry the cleanup removes: a PodLogs temporary, kubelet's two leftovers, a
    # legacy link into a pod directory that is gone, an N.log link no container owns. All old enough for any grace period.
    function New-CleanupNode {
        $root = New-SampleRoot 'cleanup'
        $segment = [Text.Encoding]::UTF8.GetBytes((1..2000 | ForEach-Object { "2026-12-01T09:15:00.$('{0:D9}' -f $_)Z stdout F coredns line $_`n" }) -join '')
        [IO.File]::WriteAllBytes((Get-Local $root "$CorednsLogs/0.log.20261201-101500.tmp"), $segment[0..999])
        [IO.File]::WriteAllBytes((Get-Local $root "$CorednsLogs/0.log.20261201-091500"), $segment)
        Write-Gzip (Get-Local $root "$CorednsLogs/0.log.20261201-091500.gz") $segment
        $null = New-Item -ItemType SymbolicLink -Path (Get-Local $root "$CorednsLogs/.podlogs-0123456789abcdef.lnk") -Target "$CorednsLogs/0.log"
        $null = New-Item -ItemType SymbolicLink -Path (Get-Local $root "/var/log/containers/gone-7c9d_default_app-$('ab' * 32).log") -Target "/var/log/pods/default_gone-7c9d_$GoneUid/app/0.log"
        $null = New-Item -ItemType SymbolicLink -Path (Get-Local $root "$CorednsLogs/9.log") -Target (Get-DockerJsonLog $UnknownId)
        $root
    }

    $Dead = @("$CorednsLogs/.podlogs-0123456789abcdef.lnk", "$CorednsLogs/0.log.20261201-101500.tmp", "$CorednsLogs/0.log.20261201-091500",
        "/var/log/containers/gone-7c9d_default_app-$('ab' * 32).log", "$CorednsLogs/9.log")
    # The sample node's own leftovers (a .tmp of loki, a gunzip -k copy of loki-sc-rules), dated days ago.
    $SampleLeftovers = @("$($Sample.LokiDir)/loki/0.log.20261202-061500.tmp", "$($Sample.LokiDir)/loki-sc-rules/0.log.20261129-061500")
}

Describe 'Remove-ContainerLogLink (issue #13 item 4)' {
    It 'removes dead links and kubelet''s leftovers, and nothing else; a second run removes nothing' {
        $root = New-CleanupNode
        $before = Get-TreeSnapshot $root
        $removed = @(Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        ($removed.NodePath | Sort-Object) | Should -Be ($Dead + $SampleLeftovers | Sort-Object)
        ($removed | Where-Object Kind -EQ LeftoverFile).NodePath | Sort-Object | Should -Be (@("$CorednsLogs/0.log.20261201-091500", "$CorednsLogs/0.log.20261201-101500.tmp") + $SampleLeftovers | Sort-Object)
        ($removed | Where-Object Kind -EQ LeftoverFile).Bytes | ForEach-Object { $_ | Should -BeGreaterThan 0 }
        ($removed | Where-Object Kind -EQ Link).Bytes | ForEach-Object { $_ | Should -Be 0 }
        ($removed | Where-Object NodePath -Like '/var/log/containers/gone-*').Reason | Should -Match 'pod''s log directory .* is gone'
        $changed = Compare-TreeSnapshot $before (Get-TreeSnapshot $root)
        # Only the removed entries are gone (and their directories' mtimes moved); nothing new appeared.
        @($changed | Where-Object { $_ -like '=> *' -and $_ -notmatch '^=> D ' }) | Should -BeNullOrEmpty
        @($changed | Where-Object { $_ -like '<= *' -and $_ -notmatch '^<= D ' } | ForEach-Object { ($_ -split ' ')[2] } | Sort-Object) | Should -Be ($Dead + $SampleLeftovers | Sort-Object)
        Test-Path -LiteralPath (Get-Local $root "$CorednsLogs/0.log.20261201-091500.gz") | Should -BeTrue

        $again = Get-TreeSnapshot $root
        Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorAction Stop | Should -BeNullOrEmpty
        Compare-TreeSnapshot $again (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf, nor within the default grace period' {
        $root = New-CleanupNode
        & touch -h -d '2 hours ago' (Get-Local $root $Dead[3])
        $before = Get-TreeSnapshot $root
        Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -WhatIf | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
        $removed = @(Remove-ContainerLogLink -Root $root -Source DockerFiles -Confirm:$false -ErrorAction Stop)
        ($removed.NodePath | Sort-Object) | Should -Be (@($Dead[3]) + $SampleLeftovers | Sort-Object) -Because 'only the legacy link and the sample''s own leftovers are older than the default hour; the others were written just now'
    }

    It 'keeps a plain segment whose .gz is not a whole copy of it (NotALeftover), and the entries only the runtime can judge without it (RuntimeWordRequired)' {
        $root = New-CleanupNode
        Write-Gzip (Get-Local $root "$CorednsLogs/0.log.20261201-091500.gz") ([Text.Encoding]::UTF8.GetBytes('another segment'))
        $null = Remove-ContainerLogLink -Root $root -Source None -GracePeriod 0 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $notLeftover = $failures | Where-Object FullyQualifiedErrorId -Like 'NotALeftover,*'
        Assert-PodLogsError $notLeftover[0] -ErrorId NotALeftover -Category InvalidOperation
        Test-Path -LiteralPath (Get-Local $root "$CorednsLogs/0.log.20261201-091500") | Should -BeTrue
        Test-Path -LiteralPath (Get-Local $root "$CorednsLogs/9.log") | Should -BeTrue -Because 'without the runtime nobody says that no container owns it'

        $null = Get-ContainerLogLink -Root $root -Source None -Namespace kube-system -PodName coredns-* -RestartCount 9 | Remove-ContainerLogLink -Root $root -Source None -GracePeriod 0 -Confirm:$false -ErrorVariable named -ErrorAction SilentlyContinue
        Assert-PodLogsError $named[0] -ErrorId RuntimeWordRequired -Category ResourceUnavailable -TargetObject (Get-Local $root "$CorednsLogs/9.log")
    }

    It 'refuses named entries that are not dead: healthy links (EntryInUse) and a running container''s dangling legacy link (ContainerRunning)' {
        $root = New-CleanupNode
        $istio = Get-ContainerLogLink -Root $root -Source DockerFiles -Namespace istio-system | Where-Object { $_.Kind -eq 'Legacy' -and $_.RestartCount -eq 4 }
        Remove-Item -LiteralPath (Get-Local $root "$($Sample.IstioDir)/istio-proxy/4.log")
        $before = Get-TreeSnapshot $root
        $null = Get-ContainerLogLink -Root $root -Source DockerFiles -Status Healthy | Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorVariable healthy -ErrorAction SilentlyContinue
        $healthy.Count | Should -BeGreaterThan 3
        foreach ($e in $healthy) { Assert-PodLogsError $e -ErrorId EntryInUse -Category InvalidOperation }
        $null = $istio | Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorVariable running -ErrorAction SilentlyContinue
        Assert-PodLogsError $running[0] -ErrorId ContainerRunning -Category InvalidOperation -TargetObject $istio.FullName
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'names the process that still holds a removed leftover open, and warns that its disk is freed only when it closes it' {
        $root = New-CleanupNode
        $tmp = Get-Local $root "$CorednsLogs/0.log.20261201-101500.tmp"
        $start = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in '-c', 'exec 3<"$1"; exec sleep 60', 'sh', $tmp) { $start.ArgumentList.Add($a) }
        $holder = [Diagnostics.Process]::Start($start)
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            while ((Get-Content -Raw "/proc/$($holder.Id)/comm").Trim() -ne 'sleep' -or @(Get-ChildItem "/proc/$($holder.Id)/fd").Count -lt 4) {
                if ([DateTime]::UtcNow -gt $deadline) { throw 'the holder did not start' }
                Start-Sleep -Milliseconds 20
            }
            $removed = @(Remove-ContainerLogLink -Root $root -Source DockerFiles -ProcPath /proc -GracePeriod 0 -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop)
            $r = $removed | Where-Object NodePath -EQ "$CorednsLogs/0.log.20261201-101500.tmp"
            $r.HeldOpenBy | Should -Be @("sleep ($($holder.Id))")
            $r.HeldOpenBytes | Should -Be $r.Bytes
            ($warnings -join "`n") | Should -Match "sleep \($($holder.Id)\) still holds"
            (Get-Item "/proc/$($holder.Id)/fd/3").LinkTarget | Should -Match '\(deleted\)$'
        }
        finally { $holder.Kill(); $holder.WaitForExit() }
    }

    It 'takes Get-PodLogDirectory -Orphaned''s legacy links by path, also after Export-Clixml' {
        $root = New-CleanupNode
        $link = [pscustomobject]@{ PSTypeName = 'Deserialized.PodLogs.Core.OrphanedLegacyLink'; NodePath = $Dead[3]; Namespace = 'default'; PodName = 'gone-7c9d'; PodUid = $GoneUid; Root = $root }
        $file = Join-Path $TestDrive 'links.xml'
        $link | Export-Clixml -LiteralPath $file
        $removed = @(Import-Clixml -LiteralPath $file | Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorAction Stop)
        $removed.NodePath | Should -Be @($Dead[3])
    }
}
