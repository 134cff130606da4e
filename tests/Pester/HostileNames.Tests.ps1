BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    # An OSC sequence (sets a terminal's title), a bell and DEL; no '[' so that wildcards in Pester's cleanup hold.
    $hostile = "x`n`e]0;FORGED`a`u{7f}"
    $shown = 'x\n\x1b]0;FORGED\x07\x7f'
    function Test-Printable([string] $Text) { -not ($Text.ToCharArray() | Where-Object { [char]::IsControl($_) }) }
}

# Issue #11 item 8: names, labels and targets from the node never reach the console raw.
Describe 'Hostile names in messages' {
    It 'escapes a root name in a warning' {
        $root = Join-Path $TestDrive "root-$hostile"
        New-Item -ItemType Directory -Path $root | Out-Null
        $null = Get-ContainerLogLink -Root $root -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -BeGreaterThan 0
        $w | ForEach-Object { Test-Printable $_.Message | Should -BeTrue }
        $w[0].Message.Contains($shown) | Should -BeTrue
    }

    It 'escapes a link target in Reason and keeps it in Target' {
        $root = New-SampleRoot 'hostile'
        $link = Get-Local $root "/var/log/containers/evil_default_nginx-$('ab' * 32).log"
        $null = New-Item -ItemType SymbolicLink -Path $link -Target "/var/log/pods/$hostile"
        $r = Get-ContainerLogLink -Root $root | Where-Object FullName -EQ $link
        $r.Target | Should -BeExactly "/var/log/pods/$hostile"
        Test-Printable $r.Reason | Should -BeTrue
        $r.Reason.Contains($shown) | Should -BeTrue
    }

    It 'escapes a pod directory name in an error and keeps it in TargetObject' {
        $root = New-SampleRoot 'hostile'
        $dir = Get-Local $root "/var/log/pods/default_$($hostile)_1234"
        New-Item -ItemType Directory -Path $dir | Out-Null
        $null = Get-ContainerLogLink -Root $root -ErrorAction SilentlyContinue -ErrorVariable e
        $err = $e | Where-Object { $_.FullyQualifiedErrorId -like 'PodDirectoryNotRecognized*' }
        $err | Should -HaveCount 1
        $err.TargetObject | Should -BeExactly $dir
        Test-Printable $err.ToString() | Should -BeTrue
        $err.ToString().Contains($shown) | Should -BeTrue
    }

    It 'removes a dead link with a hostile target, which stays raw in Target and never reaches a message raw' {
        $root = New-SampleRoot 'hostile'
        $link = Get-Local $root "/var/log/containers/evil_default_nginx-$('ab' * 32).log"
        $null = New-Item -ItemType SymbolicLink -Path $link -Target "/var/log/pods/$hostile"
        $r = Remove-ContainerLogLink -Root $root -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorAction Stop -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -is [PodLogs.Core.LogRemovalResult] -and $_.NodePath -like '/var/log/containers/evil_*' }
        $r.FullName | Should -BeExactly $link
        $r.Target | Should -BeExactly "/var/log/pods/$hostile"
        Test-Path -LiteralPath $link | Should -BeFalse
        $all | Where-Object { $_ -is [Management.Automation.VerboseRecord] } | ForEach-Object { Test-Printable $_.Message | Should -BeTrue }
        Test-Printable $r.Reason | Should -BeTrue
        ($r | Format-Table | Out-String).Contains([char]27) | Should -BeFalse -Because "the table view shows no raw escape"
    }
}
