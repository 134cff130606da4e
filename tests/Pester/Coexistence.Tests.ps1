# Issue #4 Deliver 9: another module's older YamlDotNet (16.x) and PodLogs' KubernetesClient (with
# YamlDotNet 18.x in PodLogs' private load context) work in one session, whichever loads first. Each
# order runs in a fresh child pwsh, since an assembly, once loaded, stays for the process's life.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $packages = if ($env:PODLOGS_TEST_PACKAGES) { $env:PODLOGS_TEST_PACKAGES } else { Join-Path $PSScriptRoot '../../out/packages' }
    $olderYaml = Join-Path $packages 'yamldotnet/16.3.0/lib/net8.0/YamlDotNet.dll'
    $modulePath = (Get-Module PodLogs).ModuleBase

    $machineId = '0b5e7c1d2a3f4b6c8d9e0f1a2b3c4d5e'
    $server = Start-TestKubeApi -State @{
        nodes = @(@{ metadata = @{ name = 'node-1' }; status = @{ nodeInfo = @{ machineID = $machineId } } })
        pods  = @(@{
                metadata = @{ name = $Sample.CorednsPod; namespace = 'kube-system'; uid = $Sample.CorednsUid }
                spec     = @{ nodeName = 'node-1'; containers = @(@{ name = 'coredns'; image = 'registry.k8s.io/coredns' }) }
                status   = @{ phase = 'Running'; containerStatuses = @(@{ name = 'coredns'; containerID = "docker://$($Sample.CorednsId)"; restartCount = 0; ready = $true; image = 'coredns'; imageID = ''; state = @{ running = @{ startedAt = '2026-11-26T08:00:00Z' } }; lastState = @{} }) }
            })
    }
    $root = New-SampleRoot 'coexist'
    Set-Content -LiteralPath (Join-Path $root 'etc/machine-id') -Value $machineId

    # The other module's work: its YamlDotNet 16 API, a round trip through serializer and deserializer.
    $useOlderYaml = @'
$yaml = [YamlDotNet.Serialization.SerializerBuilder]::new().Build().Serialize(@{ answer = 42 })
$back = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build().Deserialize([string]$yaml)
$yamlWorks = $back['answer'] -eq '42'
'@
    $clusterCall = @"
`$pods = @(Get-PodLogDirectory -Root '$root' -Kubeconfig '$($server.Kubeconfig)' -NodeName node-1 -Cluster -ErrorAction Stop)
`$clusterWorks = `$pods.Count -eq 1 -and `$pods[0].Exists
"@
    $report = @'
$private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'PodLogs.Dependencies'
[pscustomobject]@{
    YamlWorks    = $yamlWorks
    ClusterWorks = $clusterWorks
    DefaultYaml  = @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | Where-Object { $_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { $_.GetName().Version.Major })
    PrivateYaml  = @($private.Assemblies | Where-Object { $_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { $_.GetName().Version.Major })
} | ConvertTo-Json -Compress
'@
    function Invoke-Session([string] $body) {
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'`n$body`n$report"
        if ($LASTEXITCODE -ne 0) { throw "the child session failed: $output" }
        $output | ConvertFrom-Json
    }
}

AfterAll { $server.Stop() }

Describe 'A session with an older YamlDotNet' {
    It 'the older YamlDotNet 16 is there to load' {
        $olderYaml | Should -Exist
        [Reflection.AssemblyName]::GetAssemblyName($olderYaml).Version.Major | Should -Be 16
    }

    It 'loaded before PodLogs: both it and PodLogs'' cluster calls work' {
        $r = Invoke-Session @"
Add-Type -LiteralPath '$olderYaml'
$useOlderYaml
Import-Module '$modulePath'
$clusterCall
$useOlderYaml
"@
        $r.YamlWorks | Should -BeTrue
        $r.ClusterWorks | Should -BeTrue
        $r.DefaultYaml | Should -Be @(16)
        $r.PrivateYaml | Should -Be @(18)
    }

    It 'loaded after PodLogs made a cluster call: both still work' {
        $r = Invoke-Session @"
Import-Module '$modulePath'
$clusterCall
Add-Type -LiteralPath '$olderYaml'
$useOlderYaml
$clusterCall
"@
        $r.YamlWorks | Should -BeTrue
        $r.ClusterWorks | Should -BeTrue
        $r.DefaultYaml | Should -Be @(16)
        $r.PrivateYaml | Should -Be @(18)
    }
}
