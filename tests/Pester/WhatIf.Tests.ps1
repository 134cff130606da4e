BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
}

Describe 'The tree snapshot used by these tests' {
    It 'sees every kind of change a repair makes (so an unchanged snapshot means something)' {
        $root = New-SampleRoot 'snapshot'
        $before = Get-TreeSnapshot $root
        $before | Should -Contain "L $($Sample.IstioDir)/istio-proxy/4.log -> $(Get-DockerJsonLog $Sample.Istio3)"
        ($before | Where-Object { $_ -like 'F *' }).Count | Should -BeGreaterThan 20
        $null = Repair-ContainerLogLink -Root $root -ErrorAction SilentlyContinue
        $diff = Compare-TreeSnapshot $before (Get-TreeSnapshot $root)
        $diff | Should -Contain "=> L $($Sample.IstioDir)/istio-proxy/4.log -> $(Get-DockerJsonLog $Sample.Istio4)"
        $diff | Should -Contain "<= L $($Sample.IstioDir)/istio-proxy/4.log -> $(Get-DockerJsonLog $Sample.Istio3)"
        $diff | Should -Contain "=> L $($Sample.ExpectedRepairs[0].NodePath) -> $($Sample.ExpectedRepairs[0].Target)"
    }

    It 'sees a file''s bytes change' {
        $root = New-SampleRoot 'snapshot-bytes'
        $before = Get-TreeSnapshot $root
        Add-Content -LiteralPath (Get-Local $root "$($Sample.CorednsDir)/coredns/0.log") -Value 'x'
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -Not -BeNullOrEmpty
    }
}

Describe 'Repair-ContainerLogLink -WhatIf leaves the tree byte-for-byte unchanged' {
    It '<Name>' -ForEach @(
        @{ Name = 'whole node'; Repair = { param($r) Repair-ContainerLogLink -Root $r -WhatIf -ErrorAction SilentlyContinue } }
        @{ Name = 'whole node with -Force'; Repair = { param($r) Repair-ContainerLogLink -Root $r -WhatIf -Force -ErrorAction SilentlyContinue } }
        @{ Name = 'by name'; Repair = { param($r) Repair-ContainerLogLink -Root $r -Namespace default, istio-system -WhatIf -ErrorAction SilentlyContinue } }
        @{ Name = 'by -ContainerId'; Repair = { param($r) Repair-ContainerLogLink -Root $r -ContainerId e9bc97e0 -WhatIf -ErrorAction SilentlyContinue } }
        @{ Name = 'Get-ContainerLogLink -Status | Repair -WhatIf'; Repair = { param($r) Get-ContainerLogLink -Root $r -Status Dangling, Missing, Stale | Repair-ContainerLogLink -Root $r -WhatIf -ErrorAction SilentlyContinue } }
        @{ Name = 'Get-PodLogDirectory | Get-ContainerLogLink | Repair -WhatIf'; Repair = { param($r) Get-PodLogDirectory -Root $r | Get-ContainerLogLink -Root $r | Repair-ContainerLogLink -Root $r -WhatIf -ErrorAction SilentlyContinue } }
    ) {
        $root = New-SampleRoot 'whatif'
        $before = Get-TreeSnapshot $root
        $output = & $Repair $root
        $output | Should -BeNullOrEmpty -Because '-WhatIf reports through ShouldProcess, not with result objects'
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'with -Force does not recreate a removed pod directory' {
        $root = New-SampleRoot 'whatif-force'
        Remove-Item -LiteralPath (Get-Local $root $Sample.ApiServerDir) -Recurse -Force
        $before = Get-TreeSnapshot $root
        $null = Repair-ContainerLogLink -Root $root -Namespace kube-system -Force -WhatIf
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Get-Local $root $Sample.ApiServerDir) | Should -BeFalse
    }

    It 'still reports the refusals it would make' {
        $root = New-SampleRoot 'whatif-refusals'
        $null = Repair-ContainerLogLink -Root $root -WhatIf -ErrorVariable refusals -ErrorAction SilentlyContinue
        [string[]]($refusals | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Sort-Object | Should -Be @('LabelPathMismatch', 'LinkTargetMissing')
    }

    It 'honours $WhatIfPreference' {
        $root = New-SampleRoot 'whatif-pref'
        $before = Get-TreeSnapshot $root
        $WhatIfPreference = $true
        try { $null = Repair-ContainerLogLink -Root $root -ErrorAction SilentlyContinue }
        finally { $WhatIfPreference = $false }
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }
}

Describe 'The read-only cmdlets change nothing' {
    It 'Get-PodLogDirectory, Get-ContainerLogLink and Test-ContainerLogLink leave the tree unchanged' {
        $root = New-SampleRoot 'readonly'
        $before = Get-TreeSnapshot $root
        $null = Get-PodLogDirectory -Root $root
        $null = Get-PodLogDirectory -Root $root -Namespace default -PodName not-here-1 -PodUid 11111111-2222-4333-8444-555555555555
        $null = Get-ContainerLogLink -Root $root
        $null = Test-ContainerLogLink -Root $root
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }
}
