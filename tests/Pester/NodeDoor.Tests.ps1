# Issue #10 item 6, "one door to the node", through the cmdlets: a sample node whose /var/log/pods, /var/log/containers
# or docker data root is an ABSOLUTE link under the root (<root>/var/log/pods -> /tmp/podlogs-door-…/pods, the real
# directory at <root>/tmp/podlogs-door-…/pods) gives the same records, sizes and lines as the sample node without it.
# The host's own /tmp/podlogs-door-…/<name> is a decoy (the same directories, every file DECOY lines, no links): a
# path the host kernel resolves from its own '/' shows up as DECOY lines, wrong sizes or a missing entry.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PodLogs.TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PodLogs.TestHelpers.ps1')
    Import-PodLogsUnderTest

    function New-Decoy([string] $From, [string] $To) {
        New-Item -ItemType Directory -Path $To -Force | Out-Null
        foreach ($entry in Get-ChildItem -LiteralPath $From -Force) {
            if ($entry.LinkTarget) { continue }
            $dest = Join-Path $To $entry.Name
            if ($entry.PSIsContainer) { New-Decoy $entry.FullName $dest }
            else { Set-Content -LiteralPath $dest -Value (@('2026-03-01T08:00:00.000000000Z stdout F DECOY') * 1500) }
        }
    }

    function Test-RealPathUnderRoot([string] $Root, [string] $Local) {
        # Under the root with no link among its components: where the file really is.
        if (-not $Local.StartsWith("$Root/")) { return $false }
        $path = $Root
        foreach ($part in $Local.Substring($Root.Length + 1).Split('/')) {
            $path = "$path/$part"
            $item = Get-Item -LiteralPath $path -Force -ErrorAction Ignore
            if (-not $item -or $item.LinkTarget) { return $false }
        }
        $true
    }

    function Get-Answers([string] $Root, [string] $Outside) {
        # Where a chain ends is named where it resolved, and a directory's link is one more hop of the chain: both spelled back.
        function Unlinked([string] $Text) {
            $Text = $Text -replace '\bhop \d+:', 'hop N:'
            if ($Outside) { $Text.Replace("$Outside/pods", '/var/log/pods').Replace("$Outside/containers", '/var/log/containers').Replace("$Outside/docker", '/var/lib/docker') } else { $Text }
        }
        $errors = $null
        $links = @(Get-ContainerLogLink -Root $Root -ErrorVariable +errors)
        [pscustomobject]@{
            Links       = @($links | ForEach-Object { "$($_.Kind) $($_.NodePath) $($_.Status) $($_.TotalBytes) rotated:$($_.RotatedFiles.Count) $(Unlinked $_.Reason) $(Unlinked $_.ResolvedTarget)" } | Sort-Object)
            Rotated     = @($links | ForEach-Object RotatedFiles)
            Existing    = @($links | Where-Object Exists | ForEach-Object FullName)
            DirectoryFullNames = @(Get-PodLogDirectory -Root $Root | ForEach-Object FullName)
            Directories = @(Get-PodLogDirectory -Root $Root -ErrorVariable +errors | ForEach-Object { "$($_.NodePath) $($_.TotalBytes) $($_.Containers -join ',')" })
            Lines       = @(Get-ContainerLog -Root $Root -Namespace kube-system, default -ErrorVariable +errors -WarningAction SilentlyContinue | ForEach-Object { "$($_.PodName)/$($_.ContainerName) $($_.Message)" })
            Errors      = @($errors | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.TargetObject)".Replace($Root, '<root>') })
        }
    }

    $script:Plain = Get-Answers (New-SampleRoot 'plain')
}

Describe 'A sample node whose <Linked> is an absolute link under the root' -ForEach @(
    @{ Linked = '/var/log/pods' }
    @{ Linked = '/var/log/containers' }
    @{ Linked = '/var/lib/docker' }
) {
    BeforeAll {
        $script:Outside = "/tmp/podlogs-door-$([guid]::NewGuid().ToString('n').Substring(0, 12))"
        $script:Root = New-SampleRoot 'linked'
        $name = Split-Path -Leaf $Linked
        New-Item -ItemType Directory -Path (Get-Local $Root $Outside) | Out-Null
        Move-Item -LiteralPath (Get-Local $Root $Linked) -Destination (Get-Local $Root "$Outside/$name")
        New-Item -ItemType SymbolicLink -Path (Get-Local $Root $Linked) -Target "$Outside/$name" | Out-Null
        New-Decoy (Get-Local $Root "$Outside/$name") "$Outside/$name"
        $script:Answers = Get-Answers $Root $Outside
    }

    AfterAll {
        if (Test-Path -LiteralPath $Outside) { Remove-Item -LiteralPath $Outside -Recurse -Force }
    }

    It 'Get-ContainerLogLink gives the same records, sizes and rotated files' {
        $Answers.Links | Should -Be $Plain.Links
        $Answers.Rotated.Count | Should -BeGreaterThan 0
        foreach ($file in $Answers.Rotated) {
            Test-RealPathUnderRoot $Root $file | Should -BeTrue -Because "$file is where the rotated file is under the root"
        }
    }

    It 'Get-PodLogDirectory gives the same directories and sizes' {
        $Answers.Directories | Should -Be $Plain.Directories
        foreach ($path in $Answers.DirectoryFullNames) {
            Test-RealPathUnderRoot $Root $path | Should -BeTrue -Because "FullName $path is where the directory is under the root"
        }
    }

    It 'names each existing entry by where it is under the root (FullName), not by a path the host would follow' {
        $Answers.Existing.Count | Should -BeGreaterThan 10
        foreach ($path in $Answers.Existing) {
            Test-RealPathUnderRoot $Root (Split-Path -Parent $path) | Should -BeTrue -Because "FullName $path is in a directory reached without links"
            Test-Path -LiteralPath $path | Should -BeTrue
        }
    }

    It 'Get-ContainerLog reads the same lines, rotated files included, and none from the host' {
        $Answers.Lines.Count | Should -BeGreaterThan 10
        @($Answers.Lines | Where-Object { $_ -match 'DECOY' }) | Should -BeNullOrEmpty
        $Answers.Lines | Should -Be $Plain.Lines
    }

    It 'reports the same errors' {
        $Answers.Errors | Should -Be $Plain.Errors
    }
}
