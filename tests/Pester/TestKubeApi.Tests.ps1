# The Pester side of the test Kubernetes API server: Start-TestKubeApi starts it from a state, writes a
# kubeconfig that trusts its CA, and Stop() ends it. The client here pins the CA as a careful client does.
BeforeAll {
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    function New-PinnedClient([string] $CaFile, [string] $ClientCertFile) {
        $policy = [Security.Cryptography.X509Certificates.X509ChainPolicy]::new()
        $policy.TrustMode = [Security.Cryptography.X509Certificates.X509ChainTrustMode]::CustomRootTrust
        $policy.RevocationMode = [Security.Cryptography.X509Certificates.X509RevocationMode]::NoCheck
        [void]$policy.CustomTrustStore.Add([Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadCertificateFromFile($CaFile))
        $handler = [Net.Http.SocketsHttpHandler]::new()
        $handler.SslOptions.CertificateChainPolicy = $policy
        if ($ClientCertFile) {
            $handler.SslOptions.ClientCertificates = [Security.Cryptography.X509Certificates.X509CertificateCollection]::new()
            [void]$handler.SslOptions.ClientCertificates.Add([Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($ClientCertFile, $ClientCertFile))
        }
        [Net.Http.HttpClient]::new($handler)
    }

    function Get-Answer([Net.Http.HttpClient] $Client, [string] $Url) {
        $response = $Client.GetAsync($Url).GetAwaiter().GetResult()
        [pscustomobject]@{ Status = [int]$response.StatusCode; Body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json }
    }

    $state = @{
        nodes = @(@{ metadata = @{ name = 'node-1' }; status = @{ nodeInfo = @{ machineID = '4c4c4544004d3510804cb4c04f4e3332' } } })
        pods  = @(
            @{ metadata = @{ name = 'web-0'; namespace = 'default'; uid = '0b7ac6a4-3d3c-4a8e-9a59-3b8d2f0e6c11' }; spec = @{ nodeName = 'node-1' } }
            @{ metadata = @{ name = 'web-1'; namespace = 'default'; uid = '5e2f4c1d-8b7a-4e6f-9d3c-2a1b0c9d8e7f' }; spec = @{ nodeName = 'node-2' } }
        )
    }
}

Describe 'Start-TestKubeApi' {
    It 'serves its state over TLS to a kubelet-style client certificate named in the kubeconfig, logs requests, and stops' {
        $server = Start-TestKubeApi -State $state -ClientCertCN 'system:node:node-1' -ClientCertOrganization 'system:nodes' `
            -ClientCertOut (Join-Path $TestDrive 'pki') -CaOut (Join-Path $TestDrive 'ca.crt')
        try {
            $kubeconfig = Get-Content -LiteralPath $server.Kubeconfig -Raw
            $kubeconfig | Should -Match "(?m)^current-context: podlogs-test$"
            $kubeconfig | Should -Match "(?m)^    server: $([regex]::Escape($server.Url))$"
            $kubeconfig | Should -Match "(?m)^    client-key: $([regex]::Escape($server.ClientCertFile))$"
            $client = New-PinnedClient -CaFile $server.CaFile -ClientCertFile $server.ClientCertFile

            $pods = Get-Answer $client "$($server.Url)/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-1"
            $pods.Status | Should -Be 200
            $pods.Body.kind | Should -Be 'PodList'
            @($pods.Body.items.metadata.name) | Should -Be @('web-0')
            (Get-Answer $client "$($server.Url)/api/v1/nodes/node-1").Body.status.nodeInfo.machineID | Should -Be '4c4c4544004d3510804cb4c04f4e3332'

            $requests = @($server.GetRequests())
            $requests.user | Should -Be @('system:node:node-1', 'system:node:node-1')
            $requests[0].query.fieldSelector | Should -Be 'spec.nodeName=node-1'
        }
        finally { $server.Stop() }
        $server.Process.HasExited | Should -BeTrue
        $server.Process.ExitCode | Should -Be 0
    }

    It 'answers 401 without credentials, 403 for what -Forbid denies, and injected faults' {
        $server = Start-TestKubeApi -State ($state | ConvertTo-Json -Depth 10) -Token 'node-token' -TokenUser 'system:node:node-1' `
            -CaOut (Join-Path $TestDrive 'ca2.crt') -Forbid 'list:nodes' -Fault 'status=503,path=/api/v1/namespaces,times=1'
        try {
            $client = New-PinnedClient -CaFile $server.CaFile
            (Get-Answer $client "$($server.Url)/api/v1/pods").Body.reason | Should -Be 'Unauthorized'
            $client.DefaultRequestHeaders.Authorization = [Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', 'node-token')
            $forbidden = Get-Answer $client "$($server.Url)/api/v1/nodes"
            $forbidden.Status | Should -Be 403
            $forbidden.Body.message | Should -BeExactly 'nodes is forbidden: User "system:node:node-1" cannot list resource "nodes" in API group "" at the cluster scope'
            (Get-Answer $client "$($server.Url)/api/v1/namespaces/default/pods").Status | Should -Be 503
            (Get-Answer $client "$($server.Url)/api/v1/namespaces/default/pods").Body.items.Count | Should -Be 2
        }
        finally { Stop-TestKubeApi $server }
    }
}
