# Issue #13 items 4 and 5: Remove-PodLogDirectory on the runtime's word (-Force; the API's word is tested in
# Cluster.Tests.ps1) on the embedded sample node: log roots that are links under -Root, and a race that swaps the pod
# directory for a link to a canary directory outside the node while the removal runs.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    function New-Canary {
        $canary = (New-Item -ItemType Directory -Path (Join-Path $TestDrive "canary-$(Get-Random)")).FullName
        Set-Content -LiteralPath (Join-Path $canary 'keep.log') -Value 'must stay'
        $null = New-Item -ItemType Directory -Path (Join-Path $canary 'coredns')
        Set-Content -LiteralPath (Join-Path $canary 'coredns/0.log') -Value 'must stay too'
        $canary
    }
    function Get-CanaryState([string] $Canary) { (Get-ChildItem -LiteralPath $Canary -Recurse -Force | ForEach-Object { "$($_.FullName) $(if (-not $_.PSIsContainer) { Get-Content -Raw -LiteralPath $_.FullName })" }) -join "`n" }
}

Describe 'Remove-PodLogDirectory -Force' {
    It 'removes the directory of a pod the runtime has no container of, where the log roots are links under -Root' {
        $root = New-SampleRoot 'linked'
        foreach ($dir in 'pods', 'containers') {
            $real = Get-Local $root "/data/$dir"
            $null = New-Item -ItemType Directory -Path (Split-Path $real) -Force
            Move-Item -LiteralPath (Get-Local $root "/var/log/$dir") -Destination $real
            $null = New-Item -ItemType SymbolicLink -Path (Get-Local $root "/var/log/$dir") -Target "/data/$dir"
        }
        $removed = @(Remove-PodLogDirectory -Root $root -Source DockerFiles -Force -GracePeriod 0 -Confirm:$false -ErrorAction Stop)
        # The pods docker has no container of: coredns and the sample's CRI pods.
        ($removed.NodePath | Sort-Object) | Should -Be (@($Sample.CorednsDir, $Sample.LokiDir, $Sample.BackupDir) | Sort-Object)
        ($removed | Where-Object NodePath -EQ $Sample.CorednsDir).FullName | Should -Be (Get-Local $root $Sample.CorednsDir)
        Test-Path -LiteralPath (Get-Local $root ($Sample.CorednsDir -replace '^/var/log', '/data')) | Should -BeFalse
        (Get-Item -LiteralPath (Get-Local $root '/var/log/pods')).LinkTarget | Should -Be '/data/pods' -Because 'the root''s link itself stays'
        @(Get-ChildItem -LiteralPath (Get-Local $root '/data/pods')).Count | Should -Be 6
    }

    It 'never acts outside the node while the pod directory is swapped for a link to a canary directory, again and again' {
        $root = New-SampleRoot 'race'
        $canary = New-Canary
        $canaryBefore = Get-CanaryState $canary
        # Twenty dead pods of namespace batch (no container in the runtime), each directory with a container directory and a log.
        $dirs = foreach ($i in 1..20) {
            $nodePath = "/var/log/pods/batch_job-$i-x7k2p_$('{0:x8}-1111-4222-8333-444455556666' -f $i)"
            $null = New-Item -ItemType Directory -Path (Get-Local $root "$nodePath/worker") -Force
            Set-Content -LiteralPath (Get-Local $root "$nodePath/worker/0.log") -Value "job $i"
            Get-Local $root $nodePath
        }
        # The swapper, over and over: a directory moves aside, a link to the canary takes its name, then the directory comes back.
        $start = [Diagnostics.ProcessStartInfo]::new('/bin/sh')
        foreach ($a in @('-c', 'c="$1"; shift; while :; do for d in "$@"; do mv "$d" "$d.x" 2>/dev/null && { ln -s "$c" "$d"; rm -f "$d"; mv "$d.x" "$d"; }; done; done', 'sh', $canary) + $dirs) { $start.ArgumentList.Add($a) }
        $swapper = [Diagnostics.Process]::Start($start)
        $ids = [Collections.Generic.List[string]]::new()
        $removed = [Collections.Generic.List[object]]::new()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($removed.Count -lt 20 -and [DateTime]::UtcNow -lt $deadline) {
                foreach ($r in @(Remove-PodLogDirectory -Root $root -Source DockerFiles -Force -GracePeriod 0 -Namespace batch -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue)) { $removed.Add($r) }
                foreach ($f in $failures) { $ids.Add($f.FullyQualifiedErrorId.Split(',')[0]) }
                Get-CanaryState $canary | Should -Be $canaryBefore
            }
        }
        finally { $swapper.Kill(); $swapper.WaitForExit() }
        Get-CanaryState $canary | Should -Be $canaryBefore
        $removed.Count | Should -Be 20 -Because 'every dead directory is removed between swaps'
        @($removed.NodePath | Select-Object -Unique).Count | Should -Be 20
        @($dirs | Where-Object { Test-Path -LiteralPath $_ }).Count | Should -Be 0
        @($dirs | Where-Object { Test-Path -LiteralPath "$_.x" }).Count | Should -Be 0
        @($ids | Where-Object { $_ -notin 'LogEntryNotFound', 'EntryChanged', 'ParentIsLink', 'ParentNotFound', 'EntryInTheWay', 'SelectionNotFound', 'DirectoryUnreadable' }) | Should -BeNullOrEmpty -Because 'a swap makes the removal refuse, never act elsewhere'
        Write-Host "race: $($removed.Count) removals, refusals: $(($ids | Group-Object | ForEach-Object { "$($_.Name) x$($_.Count)" }) -join ', ')"
    }
}
