BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'format'
    $PSStyle.OutputRendering = 'PlainText'
}

Describe 'Default formatting' {
    It 'Get-ContainerLogLink -Root $r | Out-String does not throw and reads like a table' {
        { Get-ContainerLogLink -Root $root | Out-String } | Should -Not -Throw
        $text = Get-ContainerLogLink -Root $root | Out-String -Width 250
        $text | Should -Match 'STATUS\s+KIND\s+NAMESPACE\s+POD\s+CONTAINER\s+N\s+ID\s+REASON'
        $text | Should -Match 'Dangling\s+Legacy\s+default\s+stakater-reloader-598f958967-ddkl7\s+stakater-reloader\s+6\s+e9bc97e0cdd1\s' -Because 'the ID column shows 12 characters'
    }

    It 'cuts the long pod name to the POD column in the link view' {
        $text = Get-ContainerLogLink -Root $root -Namespace monitoring | Out-String -Width 250
        $text | Should -Match ([regex]::Escape('prometheus-kube-prometheus-stack-pr') + '…')
        $text | Should -Not -Match 'legacy-link-abc12'
    }

    It 'Get-PodLogDirectory | Out-String shows the pod table' {
        $text = Get-PodLogDirectory -Root $root | Out-String -Width 250
        $text | Should -Match 'NAMESPACE\s+POD\s+UID\s+CONTAINERS\s+SIZE\s+EXISTS'
        $text | Should -Match 'kube-apiserver-node-1 \(static\)'
        $text | Should -Match '12Ki'
    }

    It 'shows a computed, absent pod directory' {
        $text = Get-PodLogDirectory -Root $root -Namespace default -PodName web-1 -PodUid 11111111-2222-4333-8444-555555555555 | Out-String -Width 250
        $text | Should -Match 'default\s+web-1\s+11111111-2222-4333-8444-555555555555\s+0\s+False'
    }

    It 'Repair-ContainerLogLink results format as ACTION KIND PATH TARGET' {
        $node = New-SampleRoot 'format-repair'
        $text = Repair-ContainerLogLink -Root $node -ErrorAction SilentlyContinue | Out-String -Width 400
        $text | Should -Match 'ACTION\s+KIND\s+PATH\s+TARGET'
        $text | Should -Match "Replaced\s+PodLog\s+$([regex]::Escape("$($Sample.IstioDir)/istio-proxy/4.log"))\s+$([regex]::Escape((Get-DockerJsonLog $Sample.Istio4)))"
    }

    It 'no view cell errors (<Name>)' -ForEach @(
        @{ Name = 'links'; Produce = { param($r) Get-ContainerLogLink -Root $r } }
        @{ Name = 'pod directories'; Produce = { param($r) Get-PodLogDirectory -Root $r } }
        @{ Name = 'links after docker rm'; Produce = { param($r) Remove-Item -LiteralPath (Get-Local $r "/var/lib/docker/containers/$($Sample.Reloader1)") -Recurse -Force; Get-ContainerLogLink -Root $r } }
    ) {
        $node = New-SampleRoot 'format-cells'
        $text = & $Produce $node | Format-Table -DisplayError | Out-String -Width 400
        $text | Should -Not -BeNullOrEmpty
        $text | Should -Not -Match '#ERR'
    }

    It 'Format-List shows the whole record behind the view' {
        $text = Get-ContainerLogLink -Root $root -ContainerId $Sample.Istio4 | Where-Object Kind -EQ PodLog | Format-List * | Out-String -Width 400
        foreach ($property in 'ResolvedTarget', 'Chain', 'RotatedFiles', 'IsTruncated', 'IsTransient', 'Source', 'PSPath') {
            $text | Should -Match "(?m)^$property\s+:"
        }
    }
}
