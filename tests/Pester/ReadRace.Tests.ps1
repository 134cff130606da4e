BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $modulePath = (Get-Module PodLogs).Path
    # What a PSDataCollection holds now (enumerating one that is still open blocks until it completes).
    function Get-Snapshot($collection) { for ($i = 0; $i -lt $collection.Count; $i++) { $collection[$i] } }
    function Line([string] $text, [int] $n) { "2026-11-26T10:00:0$($n % 10).000000000Z stdout F $text $n`n" }
    # A node with one container log (and a rotated sibling), and a canary directory outside it that mirrors the
    # container directory with files of CANARY lines.
    function New-RaceNode {
        $node = Join-Path $TestDrive "race-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $dir = (New-Item -ItemType Directory -Force "$node/var/log/pods/default_web-0_2681cb7f-daa4-4620-bb60-1d449709181c/app").FullName
        [IO.File]::WriteAllText("$dir/0.log.20261126-090000", (Line 'good old' 1))
        [IO.File]::WriteAllText("$dir/0.log", (Line 'good live' 2))
        $canary = (New-Item -ItemType Directory -Force "$node-canary").FullName
        [IO.File]::WriteAllText("$canary/0.log.20261126-090000", (Line 'CANARY' 1))
        [IO.File]::WriteAllText("$canary/0.log", (Line 'CANARY' 2))
        [pscustomobject]@{ Node = $node; Dir = $dir; Canary = $canary }
    }
    # In its own runspace, for $Seconds: the container directory moved aside and a link to the canary put at its name,
    # then put back; with -Rotate, kubelet's rotation happens in the real directory while the link is there.
    function Start-Swapper($race, [double] $Seconds, [switch] $Rotate) {
        $ps = [PowerShell]::Create()
        $null = $ps.AddScript({
            param($dir, $canary, $seconds, $rotate)
            $aside = "$dir-aside"
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $cycles = 0
            while ($watch.Elapsed.TotalSeconds -lt $seconds) {
                [IO.Directory]::Move($dir, $aside)
                if ($rotate) {
                    [IO.File]::Move("$aside/0.log", "$aside/0.log.20261126-1000$('{0:d2}' -f ($cycles % 60))-$cycles")
                    [IO.File]::WriteAllText("$aside/0.log", "2026-11-26T10:00:00.000000000Z stdout F good rotated $cycles`n")
                }
                $null = [IO.Directory]::CreateSymbolicLink($dir, $canary)
                # as long with the link as with the real directory, so a check and the open after it land on different ones
                Start-Sleep -Milliseconds $(if ($rotate) { 40 } else { 3 })
                [IO.File]::Delete($dir)
                [IO.Directory]::Move($aside, $dir)
                Start-Sleep -Milliseconds $(if ($rotate) { 40 } else { 3 })
                $cycles++
            }
            $cycles
        }).AddArgument($race.Dir).AddArgument($race.Canary).AddArgument($Seconds).AddArgument([bool] $Rotate)
        [pscustomobject]@{ PowerShell = $ps; Async = $ps.BeginInvoke() }
    }
}

Describe 'Reading and following through the node''s door (issue #11 item 2)' {
    It 'a container directory swapped for a link to a canary in a loop while Get-ContainerLog reads never shows a CANARY line' {
        $race = New-RaceNode
        $swapper = Start-Swapper $race 3
        $lines = [Collections.Generic.List[string]]::new()
        $reads = 0
        try {
            while (-not $swapper.Async.IsCompleted) {
                foreach ($l in @(Get-ContainerLog -Root $race.Node -PodName web-0 -Source None -AsString -ErrorAction SilentlyContinue -WarningAction SilentlyContinue)) { $lines.Add($l) }
                $reads++
            }
            $cycles = $swapper.PowerShell.EndInvoke($swapper.Async)
        }
        finally { $swapper.PowerShell.Dispose() }
        $lines | Where-Object { $_ -match 'CANARY' } | Should -BeNullOrEmpty
        $lines | Should -Contain 'good live 2'
        $reads | Should -BeGreaterThan 5
        $cycles[0] | Should -BeGreaterThan 10
    }

    It 'a container directory swapped for a link to a canary at every rotation while -Follow follows never shows a CANARY line' {
        $race = New-RaceNode
        $ps = [PowerShell]::Create()
        $parameters = @{ Root = $race.Node; PodName = 'web-0'; Source = 'None'; AsString = $true; Follow = $true }
        $null = $ps.AddScript('param($module, $parameters) Import-Module $module; Get-ContainerLog @parameters').AddArgument($modulePath).AddArgument($parameters)
        $noInput = [Management.Automation.PSDataCollection[psobject]]::new()
        $noInput.Complete()
        $output = [Management.Automation.PSDataCollection[psobject]]::new()
        $async = $ps.BeginInvoke($noInput, $output)
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            while ($output.Count -lt 2 -and $watch.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 20 }
            $swapper = Start-Swapper $race 3 -Rotate
            try { $cycles = $swapper.PowerShell.EndInvoke($swapper.Async) }
            finally { $swapper.PowerShell.Dispose() }
            # the last rotated file is followed before stopping
            while (@(Get-Snapshot $output) -notcontains "good rotated $($cycles[0] - 1)" -and $watch.Elapsed.TotalSeconds -lt 60) { Start-Sleep -Milliseconds 20 }
            $ps.Stop()
            $lines = @(Get-Snapshot $output)
            $errors = @(Get-Snapshot $ps.Streams.Error)
        }
        finally { $ps.Dispose() }
        $lines | Where-Object { $_ -match 'CANARY' } | Should -BeNullOrEmpty
        $lines[0..1] | Should -Be @('good old 1', 'good live 2')
        $lines | Should -Contain "good rotated $($cycles[0] - 1)"
        $cycles[0] | Should -BeGreaterThan 10
        # the swap is said (once per swap, never as a line)
        @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'LogFileNotRegular,*' }).Count | Should -BeGreaterThan 0
    }
}
