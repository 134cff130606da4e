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
        $text | Should -Match '(?m)^STATUS\s+POD\s+CONTAINER\s+N\s+REASON\s*$'
    }

    It 'shows STATUS, POD, CONTAINER, N and the start of REASON at 80 columns, what is wrong first (issue #10 item 10)' {
        $lines = (Get-ContainerLogLink -Root $root -Namespace default | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^STATUS\s+POD\s+CONTAINER\s+N\s+REASON\s*$'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        @($lines | Where-Object { $_ -match '^Missing\s+stakater-reloader-598f958…\s+stakater-reloa…\s+6 no 6\.log link' }).Count | Should -Be 1
        @($lines | Where-Object { $_ -match '^Dangling\s+stakater-reloader-598f958…\s+stakater-reloa…\s+6 its target 6\.log is' }).Count | Should -Be 1
        @($lines | Where-Object { $_ -match '^Missing\s+stakater-reloader-598f958…\s+stakater-reloa…\s+7 no legacy link; Repa' }).Count | Should -Be 1
    }

    It 'gives REASON the remaining width at 200 columns' {
        $lines = (Get-ContainerLogLink -Root $root -Namespace default | Out-String -Width 200) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^STATUS\s+POD\s+CONTAINER\s+N\s+REASON\s*$'
        $missing = $lines | Where-Object { $_ -match '^Missing .* 6 no 6\.log link' }
        $missing | Should -Match 'no 6\.log link to the json log; Repair-ContainerLogLink creates it: container e9bc97e0cdd1 \(stakater-reloader, restart 6, exited\)'
        ($lines | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 190 -Because 'long reasons run to the edge of a wide terminal'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 200 }
    }

    It 'Format-Table -View Wide adds KIND, NAMESPACE and a 12-digit ID' {
        $text = Get-ContainerLogLink -Root $root | Format-Table -View Wide | Out-String -Width 250
        $text | Should -Match 'STATUS\s+KIND\s+NAMESPACE\s+POD\s+CONTAINER\s+N\s+ID\s+REASON'
        $text | Should -Match 'Dangling\s+Legacy\s+default\s+stakater-reloader-598f958967-ddkl7\s+stakater-reloader\s+6\s+e9bc97e0cdd1\s' -Because 'the ID column shows 12 characters'
    }

    It 'cuts the long pod name to the POD column in the link view' {
        $text = Get-ContainerLogLink -Root $root -Namespace monitoring | Out-String -Width 250
        $text | Should -Match ([regex]::Escape('prometheus-kube-prometheu') + '…')
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

    It 'Repair-ContainerLogLink results format as ACTION KIND POD CONTAINER N TARGET, at 80 and at 200 columns' {
        $node = New-SampleRoot 'format-repair'
        $results = @(Repair-ContainerLogLink -Root $node -ErrorAction SilentlyContinue)
        $wide = $results | Out-String -Width 200
        $wide | Should -Match '(?m)^ACTION\s+KIND\s+POD\s+CONTAINER\s+N\s+TARGET\s*$'
        $wide | Should -Match "Replaced\s+PodLog\s+istio-ingressgateway-c694…\s+istio-proxy\s+4\s+$([regex]::Escape("/var/lib/docker/containers/$($Sample.Istio4)/"))" -Because 'TARGET takes the remaining width'
        $narrow = ($results | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $narrow[0] | Should -Match '^ACTION\s+KIND\s+POD\s+CONTAINER\s+N\s+TARGET\s*$'
        @($narrow | Where-Object { $_ -match '^Created\s+PodLog\s+stakater-reloader-598f958…\s+stakater-reloa…\s+6 /var/' }).Count | Should -Be 1
        $narrow | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
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

Describe 'Get-PodLogDirectory -Orphaned: one table for directories and legacy links (issue #10 item 10)' {
    BeforeAll {
        # The API says only the reloader is on node-1: every other sample pod's directory and legacy links are orphans.
        $machineId = '4c9e0b1a2d3f4e5a6b7c8d9e0f1a2b3c'
        $status = @{ name = 'stakater-reloader'; image = 'reloader'; imageID = ''; restartCount = 7; ready = $true; started = $true
            containerID = "docker://$($Sample.Reloader7)"; state = @{ running = @{ startedAt = '2026-11-26T08:00:00Z' } }; lastState = @{} }
        $server = Start-TestKubeApi -State @{
            nodes = @(@{ metadata = @{ name = 'node-1'; uid = '11111111-2222-4333-8444-555555555555' }; status = @{ nodeInfo = @{ machineID = $machineId } } })
            pods  = @(@{ metadata = @{ name = $Sample.ReloaderPod; namespace = 'default'; uid = $Sample.ReloaderUid; creationTimestamp = '2026-11-26T07:00:00Z' }
                    spec = @{ nodeName = 'node-1'; containers = @(@{ name = 'stakater-reloader'; image = 'reloader' }) }; status = @{ phase = 'Running'; containerStatuses = @($status) } })
        }
        $node = New-SampleRoot 'format-orphans'
        Set-Content -LiteralPath (Join-Path $node 'etc/machine-id') -Value $machineId
        $orphans = @(Get-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Orphaned -GracePeriod 0 -ErrorAction Stop)
    }
    AfterAll { if ($server) { $server.Stop() } }

    It 'emits both record types' {
        @($orphans | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] }).Count | Should -BeGreaterThan 0
        @($orphans | Where-Object { $_ -is [PodLogs.Core.OrphanedLegacyLink] }).Count | Should -BeGreaterThan 0
    }

    It 'renders one table with SIZE, TARGET SIZE and AGE at <Width> columns, no list blocks' -ForEach @(@{ Width = 80 }, @{ Width = 200 }) {
        $lines = ($orphans | Out-String -Width $Width) -split "`n" | Where-Object { $_.Trim() }
        @($lines | Where-Object { $_ -match '^KIND\s+NAMESPACE\s+AGE\s+SIZE\s+TARGET SIZE\s+POD\s*$' }).Count | Should -Be 1 -Because 'directories and links share one table'
        $lines | Should -Not -Match '^\w+\s+: ' -Because 'no record falls back to a list'
        $lines.Count | Should -Be ($orphans.Count + 2)
        $lines | Where-Object { $_ -match '^Directory\s+istio-system\s+\d+[mhd]\s+\S+\s+\S+\s+istio-ingressgateway' } | Should -Not -BeNullOrEmpty
        $lines | Where-Object { $_ -match '^Link\s+istio-system\s+\d+[mhd]\s+0\s+\S+\s+istio-ingressgateway-c694cfd-' } | Should -Not -BeNullOrEmpty
        if ($Width -ge 200) { $lines | Where-Object { $_ -match '^Link .* istio-ingressgateway-c694cfd-cgk2n/istio-proxy$' } | Should -Not -BeNullOrEmpty -Because 'a link shows pod/container' }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual $Width }
    }

    It 'renders deserialized copies (as Invoke-Command returns them) as the records (issue #14 item 5)' {
        $copies = $orphans | ForEach-Object { [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($_)) }
        $copies[0].PSObject.TypeNames[0] | Should -BeLike 'Deserialized.PodLogs.Core.*'
        $copies | Out-String -Width 200 | Should -BeExactly ($orphans | Out-String -Width 200)
    }

    It 'says the same thing with TotalBytes on both types: the regular files of the entry, never a link''s target' {
        foreach ($link in $orphans | Where-Object { $_ -is [PodLogs.Core.OrphanedLegacyLink] }) {
            $link.TotalBytes | Should -Be 0
            $link.TargetBytes | Should -BeGreaterThan 0
        }
        $istio = $orphans | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] -and $_.PodUid -eq $Sample.IstioUid }
        $links = Get-ContainerLogLink -Root $node -Namespace istio-system -Source DockerFiles | Where-Object Kind -EQ PodLog
        $istio.TotalBytes | Should -Be ($links | Measure-Object TotalBytes -Sum).Sum
    }
}

# Issue #14 item 5: records that come back from Invoke-Command (or a job, or Import-Clixml) are property bags named
# Deserialized.PodLogs.Core.<Type>; they keep the module's views. PSSerializer serializes as remoting does (depth 1).
Describe 'Deserialized records keep their views' {
    It 'every view that selects a PodLogs type also selects its Deserialized. name' {
        $views = ([xml](Get-Content -Raw (Join-Path (Get-Module PodLogs).ModuleBase 'PodLogs.format.ps1xml'))).Configuration.ViewDefinitions.View
        foreach ($view in $views) {
            $names = @($view.ViewSelectedBy.TypeName)
            foreach ($name in $names | Where-Object { $_ -like 'PodLogs.Core.*' }) {
                $names | Should -Contain "Deserialized.$name" -Because "view $($view.Name) selects $name"
            }
        }
    }

    It 'a deserialized copy formats as the record (<Name>)' -ForEach @(
        @{ Name = 'links'; Produce = { param($r) Get-ContainerLogLink -Root $r }; Format = { $input | Format-Table } }
        @{ Name = 'links, -View Wide'; Produce = { param($r) Get-ContainerLogLink -Root $r }; Format = { $input | Format-Table -View Wide } }
        @{ Name = 'pod directories'; Produce = { param($r) Get-PodLogDirectory -Root $r } }
        @{ Name = 'usage per instance'; Produce = { param($r) Measure-PodLog -Root $r } }
        @{ Name = 'usage by pod'; Produce = { param($r) Measure-PodLog -Root $r -By Pod } }
        @{ Name = 'log lines'; Produce = { param($r) Get-ContainerLog -Root $r -Namespace kube-system } }
        @{ Name = 'log lines, -View Containers'; Produce = { param($r) Get-ContainerLog -Root $r -Namespace kube-system }; Format = { $input | Format-Table -View Containers } }
        @{ Name = 'repair results'; Produce = { param($r) Repair-ContainerLogLink -Root $r -ErrorAction SilentlyContinue } }
    ) {
        $records = @(& $Produce (New-SampleRoot 'format-copies'))
        $records.Count | Should -BeGreaterThan 0
        $copies = @($records | ForEach-Object { [Management.Automation.PSSerializer]::Deserialize([Management.Automation.PSSerializer]::Serialize($_)) })
        $copies | ForEach-Object { $_.PSObject.TypeNames[0] | Should -BeLike 'Deserialized.PodLogs.Core.*' }
        $show = if ($Format) { $Format } else { { $input } }
        $copies | & $show | Out-String -Width 250 | Should -BeExactly ($records | & $show | Out-String -Width 250)
    }
}
