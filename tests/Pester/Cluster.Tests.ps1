# Issue #4: the Kubernetes API beside the node's files. Every test talks to a real API server over TLS
# (tests/PodLogs.TestKubeApi, started by Start-TestKubeApi with its own CA in the kubeconfig); nothing
# of KubernetesClient is mocked. The node is the embedded sample node, with the API saying which of
# its pods still exist.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    $MachineId = '4c9e0b1a2d3f4e5a6b7c8d9e0f1a2b3c'
    $MirrorUid = '7d2a9f4e-1b3c-4d5e-8f60-718293a4b5c6'
    $NewPodUid = '0a0b0c0d-1e1f-4a2b-8c3d-4e5f60718293'
    $NewPodId = 'feedface' * 8

    function New-ApiContainerStatus([string] $Name, [string] $Id, [int] $RestartCount, [string] $State = 'running', [string] $LastId, [string] $Reason) {
        $status = [ordered]@{ name = $Name; image = "registry.k8s.io/$Name"; imageID = ''; restartCount = $RestartCount; ready = $State -eq 'running'; started = $State -eq 'running' }
        if ($Id) { $status.containerID = "docker://$Id" }
        $status.state = switch ($State) {
            'running' { @{ running = @{ startedAt = '2026-11-26T08:00:00Z' } } }
            'terminated' { @{ terminated = @{ exitCode = 0; reason = 'Completed'; containerID = "docker://$Id"; startedAt = '2026-11-26T08:00:00Z'; finishedAt = '2026-11-26T08:01:00Z' } } }
            'waiting' { @{ waiting = @{ reason = $Reason } } }
        }
        $status.lastState = if ($LastId) { @{ terminated = @{ exitCode = 1; reason = 'Error'; containerID = "docker://$LastId"; startedAt = '2026-11-26T07:00:00Z'; finishedAt = '2026-11-26T07:59:00Z' } } } else { @{} }
        $status
    }

    function New-ApiPod([string] $Namespace, [string] $Name, [string] $Uid, [object[]] $Statuses, [string] $MirrorHash, [string] $Node = 'node-1') {
        $metadata = [ordered]@{ name = $Name; namespace = $Namespace; uid = $Uid; creationTimestamp = '2026-11-26T07:00:00Z' }
        if ($MirrorHash) {
            $metadata.annotations = @{ 'kubernetes.io/config.mirror' = $MirrorHash; 'kubernetes.io/config.hash' = $MirrorHash; 'kubernetes.io/config.source' = 'file' }
            $metadata.ownerReferences = @(@{ apiVersion = 'v1'; kind = 'Node'; name = $Node; uid = '11111111-2222-4333-8444-555555555555'; controller = $true })
        }
        [ordered]@{
            metadata = $metadata
            spec     = @{ nodeName = $Node; restartPolicy = 'Always'; containers = @($Statuses | ForEach-Object { @{ name = $_.name; image = $_.image } }) }
            status   = @{ phase = 'Running'; containerStatuses = @($Statuses) }
        }
    }

    function New-ApiNode([string] $Name = 'node-1', [string] $Machine = $MachineId) {
        @{ metadata = @{ name = $Name; uid = '11111111-2222-4333-8444-555555555555' }; status = @{ nodeInfo = @{ machineID = $Machine; systemUUID = 'ec2a0b1c-0000-0000-0000-000000000000'; bootID = 'b0071d00-0000-0000-0000-000000000000'; kubeletVersion = 'v1.31.2'; containerRuntimeVersion = 'docker://27.3.1' } } }
    }

    # What the API says of the sample node: the reloader runs instance 7 after 6 died; coredns runs; the
    # static kube-apiserver is there through its mirror pod; a new pod has no directory yet. The istio,
    # monitoring, observability and log-forger pods are gone from the API: their directories are orphans (of those,
    # only the dead tsdb-backup pod's files are older than the default grace period).
    $State = @{
        nodes = @(New-ApiNode)
        pods  = @(
            New-ApiPod default $Sample.ReloaderPod $Sample.ReloaderUid @(New-ApiContainerStatus stakater-reloader $Sample.Reloader7 7 -LastId $Sample.Reloader6)
            New-ApiPod kube-system $Sample.CorednsPod $Sample.CorednsUid @(New-ApiContainerStatus coredns $Sample.CorednsId 0)
            New-ApiPod kube-system $Sample.ApiServerPod $MirrorUid @(New-ApiContainerStatus kube-apiserver $Sample.ApiServerId 0) -MirrorHash $Sample.ApiServerUid
            New-ApiPod default web-7f9c4d-abcde $NewPodUid @(New-ApiContainerStatus web $NewPodId 0)
            New-ApiPod default elsewhere-5d4c3b-zzzzz '99999999-8888-4777-8666-555555555555' @(New-ApiContainerStatus app ('ab' * 32) 0) -Node node-2
        )
    }

    function New-ClusterRoot([string] $Machine = $MachineId) {
        $root = New-SampleRoot 'cluster'
        Set-Content -LiteralPath (Join-Path $root 'etc/machine-id') -Value $Machine
        $root
    }

    $server = Start-TestKubeApi -State $State
    $root = New-ClusterRoot
    $common = @{ Root = $root; Kubeconfig = $server.Kubeconfig; NodeName = 'node-1'; Source = 'DockerFiles' }
    $dirCommon = @{ Root = $root; Kubeconfig = $server.Kubeconfig; NodeName = 'node-1' }
}

AfterAll {
    $server.Stop()
}

Describe 'Get-PodLogDirectory -Cluster' {
    BeforeAll { $pods = Get-PodLogDirectory @dirCommon -Cluster -ErrorAction Stop }

    It 'lists the pods the API binds to this node, asking with a field selector' {
        $pods.PodName | Should -Be @($Sample.ReloaderPod, 'web-7f9c4d-abcde', $Sample.CorednsPod, $Sample.ApiServerPod)
        $list = $server.GetRequests() | Where-Object path -EQ '/api/v1/pods'
        $list.query.fieldSelector | Should -Contain 'spec.nodeName=node-1'
    }

    It 'says which expected directories exist' {
        ($pods | Where-Object PodName -EQ 'web-7f9c4d-abcde').Exists | Should -BeFalse
        ($pods | Where-Object PodName -EQ $Sample.ReloaderPod).Exists | Should -BeTrue
        $pods.InCluster | Should -Not -Contain $false
        ($pods | Where-Object PodName -EQ $Sample.CorednsPod).Phase | Should -Be 'Running'
    }

    It 'finds a static pod''s directory by its mirror pod''s config hash, not the mirror pod''s uid' {
        $apiserver = $pods | Where-Object PodName -EQ $Sample.ApiServerPod
        $apiserver.PodUid | Should -Be $Sample.ApiServerUid
        $apiserver.ClusterPodUid | Should -Be $MirrorUid
        $apiserver.IsStaticPod | Should -BeTrue
        $apiserver.Exists | Should -BeTrue
    }

    It 'filters the API''s pods with -Namespace and -PodName wildcards' {
        (Get-PodLogDirectory @dirCommon -Cluster -Namespace kube-system -PodName 'core*').PodName | Should -Be $Sample.CorednsPod
    }

    It 'takes the node name from /etc/hostname under -Root, lowercased, when nothing else names it' {
        $named = New-ClusterRoot
        Set-Content -LiteralPath (Join-Path $named 'etc/hostname') -Value 'NODE-1'
        $env:NODE_NAME = $null
        (Get-PodLogDirectory -Root $named -Kubeconfig $server.Kubeconfig -Cluster -ErrorAction Stop).Count | Should -Be 4
    }
}

Describe 'Measure-PodLog -Orphaned (issue #13 item 2)' {
    It 'measures only the instances of directories and legacy links no pod owns, and removes nothing' {
        $before = Get-TreeSnapshot $root
        $orphanUids = @(Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] }).PodUid
        $usages = @(Measure-PodLog @dirCommon -Orphaned -GracePeriod 0 -ErrorAction Stop)
        $usages | Should -Not -BeNullOrEmpty
        @($usages.PodUid | Where-Object { $_ } | Sort-Object -Unique) | Should -Be @($orphanUids | Sort-Object -Unique)
        $all = (Measure-PodLog -Root $root -By Node).TotalBytes
        (Measure-PodLog @dirCommon -Orphaned -GracePeriod 0 -By Node).TotalBytes | Should -BeLessThan $all
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'with the default grace period, the dead pod''s directory: what a cleanup would free now' {
        $dead = @(Measure-PodLog @dirCommon -Orphaned -ErrorAction Stop)
        $dead.PodName | Should -Be @($Sample.BackupPod)
        $dead[0].ContainerName | Should -Be 'backup'
        $dead[0].TotalBytes | Should -BeGreaterThan 0
        $dead[0].TotalBytes | Should -Be ([long]((du --block-size=1 -- (Get-Local $root "$($Sample.BackupDir)/backup/0.log")) -split "`t")[0])
    }

    It 'a negative -GracePeriod is InvalidGracePeriod' {
        { Measure-PodLog @dirCommon -Orphaned -GracePeriod '-00:01:00' } | Should -Throw -ErrorId 'InvalidGracePeriod,*'
    }
}

Describe 'Get-PodLogDirectory -Orphaned' {
    It 'returns the directories no pod on this node owns, with their bytes, the target bytes and age, and removes nothing' {
        $before = Get-TreeSnapshot $root
        $orphans = @(Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 -ErrorAction Stop)
        $directories = @($orphans | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] })
        $directories.PodUid | Sort-Object | Should -Be (@($Sample.LongPodUid, $Sample.IstioUid, $Sample.ForgerUid, $Sample.LokiUid, $Sample.GrafanaUid, $Sample.BackupUid) | Sort-Object)
        $directories.IsOrphaned | Should -Not -Contain $false
        $directories.InCluster | Should -Not -Contain $true
        ($directories | Where-Object PodUid -EQ $Sample.IstioUid).TargetBytes | Should -BeGreaterThan 0
        $directories.Age | ForEach-Object { $_ | Should -BeOfType [timespan] }
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'reports the legacy links of gone pods as OrphanedLegacyLink records' {
        $links = @(Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 | Where-Object { $_ -is [PodLogs.Core.OrphanedLegacyLink] })
        $links.PodName | Sort-Object -Unique | Should -Be (@($Sample.IstioPod, $Sample.LokiPod, $Sample.GrafanaPod, ($links.PodName | Where-Object { $_ -like 'prometheus-*' } | Select-Object -First 1)) | Sort-Object)
        $links | ForEach-Object { $_.Reason | Should -Match 'no pod on node .node-1.|which no pod on node' }
        $links | ForEach-Object { $_.PSPath | Should -Not -BeNullOrEmpty }
    }

    It 'names the node on both record types (NodeName, issue #10 item 5)' {
        $orphans = @(Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 -ErrorAction Stop)
        ($orphans | ForEach-Object { $_.GetType().Name } | Sort-Object -Unique) | Should -Be @('OrphanedLegacyLink', 'PodLogDirectory')
        $orphans | ForEach-Object { $_.NodeName | Should -BeExactly 'node-1' }
    }

    It 'judges nothing that changed within the grace period before the list (the default is an hour)' {
        # Only the dead backup pod's directory: nothing in it changed for weeks; the other orphans were written just now.
        $old = @(Get-PodLogDirectory @dirCommon -Orphaned)
        $old.PodUid | Should -Be @($Sample.BackupUid)
        $old[0].LastWriteTime | Should -Be ([datetimeoffset]'2026-11-20T03:01:00Z')
        $old[0].Age | Should -BeGreaterThan ([timespan]::FromHours(1))
    }

    # Issue #10 item 2: a name is a miss only when neither the node's files nor the API have that pod.
    It 'names that exist are not misses, though not orphaned: a pod on disk, a pod only the API has; a pod nowhere is SelectionNotFound' {
        $found = @(Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 -PodName $Sample.CorednsPod, web-7f9c4d-abcde, nowhere-1 -ErrorVariable errors -ErrorAction SilentlyContinue)
        $found | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 1
        Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'nowhere-1'
    }

    It 'refuses a negative grace period' {
        { Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod '-00:01:00' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidGracePeriod,*'
    }
}

Describe 'Get-ContainerLogLink -Cluster' {
    BeforeAll { $links = Get-ContainerLogLink @common -Cluster -ErrorAction Stop }

    It 'reports the log of a pod the API has and the node does not as Missing, naming kubectl logs' {
        $missing = $links | Where-Object PodName -EQ 'web-7f9c4d-abcde'
        $missing.Status | Should -Be 'Missing'
        $missing.Source | Should -Be 'KubernetesApi'
        $missing.NodePath | Should -Be "/var/log/pods/default_web-7f9c4d-abcde_$NewPodUid/web/0.log"
        $missing.Reason | Should -Match '`kubectl logs` for default/web-7f9c4d-abcde container web will fail'
        $missing.NodeName | Should -BeExactly 'node-1'
    }

    It 'says that kubectl logs --previous will fail on the missing instance the API names in lastState' {
        $six = $links | Where-Object NodePath -EQ "$($Sample.ReloaderDir)/stakater-reloader/6.log"
        $six.Status | Should -Be 'Missing'
        $six.Reason | Should -Match '`kubectl logs --previous` will fail'
        @($links | Where-Object NodePath -EQ $six.NodePath).Count | Should -Be 1
    }

    It 'adds nothing for a pod whose expected logs exist, and nothing for a pod on another node' {
        $links | Where-Object { $_.PodName -eq $Sample.CorednsPod -and $_.Status -ne 'Healthy' } | Should -BeNullOrEmpty
        $links.PodName | Should -Not -Contain 'elsewhere-5d4c3b-zzzzz'
    }

    It 'checks only the piped pods with pipeline input' {
        $piped = Get-PodLogDirectory -Root $root -Namespace kube-system -PodName $Sample.CorednsPod | Get-ContainerLogLink @common -Cluster
        $piped.PodName | Sort-Object -Unique | Should -Be $Sample.CorednsPod
    }

    It 'a pod only the API has is no miss, and a name neither has is SelectionNotFound' {
        $null = Get-ContainerLogLink @common -PodName web-7f9c4d-abcde, nowhere-1 -ErrorVariable errors -ErrorAction SilentlyContinue
        @($errors.TargetObject) | Should -Be @('nowhere-1')
    }

    It 'checks only the piped instance with a copy of an instance''s record (issue #10 item 5)' {
        # Restart 1 is healthy; the API's lastState names restart 6, whose log is missing: that is not restart 1's.
        $one = Get-ContainerLogLink -Root $root -ContainerId $Sample.Reloader1 | Where-Object Kind -EQ PodLog | Select-Object *
        $one | Test-ContainerLogLink @common -Cluster | Should -BeTrue
        $one | Get-ContainerLogLink @common -Cluster | Where-Object Status -NE Healthy | Should -BeNullOrEmpty
        $six = $links | Where-Object NodePath -EQ "$($Sample.ReloaderDir)/stakater-reloader/6.log" | Select-Object *
        ($six | Get-ContainerLogLink @common -Cluster | Where-Object Kind -EQ PodLog).Status | Should -Be 'Missing'
    }

    It 'makes Test-ContainerLogLink -Cluster false for a pod whose log kubectl will not find' {
        Test-ContainerLogLink @common -Cluster -Namespace kube-system | Should -BeTrue
        Test-ContainerLogLink @common -Cluster -PodName 'web-*' | Should -BeFalse
    }
}

Describe 'Pods from the pipeline' {
    It 'takes kubectl get pods -o json items, a mirror pod by its config hash' {
        $json = @{ apiVersion = 'v1'; kind = 'List'; items = @($State.pods[1], $State.pods[2]) } | ConvertTo-Json -Depth 20
        $dirs = $json | ConvertFrom-Json | Get-PodLogDirectory -Root $root
        $dirs.PodUid | Should -Be @($Sample.CorednsUid, $Sample.ApiServerUid)
        $dirs.Exists | Should -Be @($true, $true)
    }

    It 'takes KubernetesClient V1Pod objects, which live in another load context, into every pod cmdlet' {
        $dependencies = Join-Path (Get-Module PodLogs).ModuleBase 'Dependencies'
        $podJson = $State.pods[2] | ConvertTo-Json -Depth 20
        $r = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module '$((Get-Module PodLogs).ModuleBase)'
# KubernetesClient in a load context of its own, as another module would have it.
`$context = [System.Runtime.Loader.AssemblyLoadContext]::new('other-module', `$false)
`$k8s = `$context.LoadFromAssemblyPath('$dependencies/KubernetesClient.dll')
`$null = `$context.LoadFromAssemblyPath('$dependencies/YamlDotNet.dll'); `$null = `$context.LoadFromAssemblyPath('$dependencies/Fractions.dll')
`$v1pod = `$k8s.GetType('k8s.Models.V1Pod')
`$json = `$k8s.GetType('k8s.KubernetesJson').GetMethods() | Where-Object { `$_.Name -eq 'Deserialize' -and `$_.GetParameters().Count -eq 2 -and `$_.GetParameters()[0].ParameterType -eq [string] }
`$pod = `$json.MakeGenericMethod(`$v1pod).Invoke(`$null, @('$($podJson -replace "'", "''")', `$null))
[pscustomobject]@{
    Namespace = `$pod.Metadata.NamespaceProperty
    Directory = (`$pod | Get-PodLogDirectory -Root '$root').PodUid
    Links     = @(`$pod | Get-ContainerLogLink -Root '$root' -Source DockerFiles).Count
} | ConvertTo-Json -Compress
"@
        $LASTEXITCODE | Should -Be 0
        $result = $r | ConvertFrom-Json
        $result.Namespace | Should -Be 'kube-system'
        $result.Directory | Should -Be $Sample.ApiServerUid
        $result.Links | Should -BeGreaterThan 0
    }
}

Describe 'Connection settings' {
    It 'uses KUBECONFIG when no -Kubeconfig is given' {
        $saved = $env:KUBECONFIG
        try {
            $env:KUBECONFIG = "$TestDrive/absent.conf:$($server.Kubeconfig)"
            (Get-PodLogDirectory -Root $root -NodeName node-1 -Cluster -ErrorAction Stop).Count | Should -Be 4
        }
        finally { $env:KUBECONFIG = $saved }
    }

    It 'falls back to the kubelet''s own kubeconfig under -Root, its certificate paths and its node name read there' {
        $node = New-ClusterRoot
        $pki = New-Item -ItemType Directory (Join-Path $node 'var/lib/kubelet/pki') -Force
        $null = New-Item -ItemType Directory (Join-Path $node 'etc/kubernetes/pki') -Force
        $kubelet = Start-TestKubeApi -State $State -Kubeconfig (Join-Path $node 'etc/kubernetes/kubelet.conf') -ClientCertCN 'system:node:node-1' -ClientCertOrganization 'system:nodes' -ClientCertOut $pki.FullName -CaOut (Join-Path $node 'etc/kubernetes/pki/ca.crt')
        try {
            # The kubeconfig names node paths; they must resolve under -Root, not on this machine.
            $text = Get-Content -Raw (Join-Path $node 'etc/kubernetes/kubelet.conf')
            $text = $text.Replace($node.TrimEnd('/'), '')
            Set-Content (Join-Path $node 'etc/kubernetes/kubelet.conf') $text
            $text | Should -Match 'client-certificate: /var/lib/kubelet/pki/kubelet-client-current.pem'
            $saved = $env:KUBECONFIG, $env:HOME, $env:NODE_NAME, $env:KUBERNETES_SERVICE_HOST
            try {
                $env:KUBECONFIG = $null; $env:HOME = "$TestDrive/empty-home"; $env:NODE_NAME = $null; $env:KUBERNETES_SERVICE_HOST = $null
                $pods = Get-PodLogDirectory -Root $node -Cluster -Verbose -ErrorAction Stop 4>&1
                ($pods | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] }).Count | Should -Be 4
                ($pods | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message |
                    Where-Object { $_ -like "Node name 'node-1' (from the kubelet client certificate /var/lib/kubelet/pki/kubelet-client-current.pem)*" } | Should -Not -BeNullOrEmpty
                ($kubelet.GetRequests() | Where-Object path -EQ '/api/v1/pods').user | Should -Contain 'system:node:node-1'
            }
            finally { $env:KUBECONFIG, $env:HOME, $env:NODE_NAME, $env:KUBERNETES_SERVICE_HOST = $saved }
        }
        finally { $kubelet.Stop() }
    }

    It 'uses -Context, and names the contexts there are when it is wrong' {
        (Get-PodLogDirectory @dirCommon -Context $server.Context -Cluster).Count | Should -Be 4
        $err = $null
        try { Get-PodLogDirectory @dirCommon -Context nope -Cluster -ErrorAction Stop } catch { $err = $_ }
        Assert-PodLogsError $err -ErrorId ClusterContextNotFound -Category ObjectNotFound
        $err.Exception.Message | Should -Match "'$($server.Context)'"
    }
}

Describe 'When the API cannot be asked' {
    It '<Case> is <ErrorId>, and Get-ContainerLogLink -Cluster still checks the files' -ForEach @(
        @{ Case = 'a bad token'; ErrorId = 'ClusterUnauthorized'; Category = 'SecurityError'; Setup = { Start-TestKubeApi -State $State -Token 'not-a-token-the-server-knows' -TokenUser '' } }
        @{ Case = 'a user who may not list pods'; ErrorId = 'ClusterForbidden'; Category = 'PermissionDenied'; Setup = { Start-TestKubeApi -State $State -Forbid 'list:pods' } }
        @{ Case = 'an unknown node'; ErrorId = 'NodeNotFound'; Category = 'ObjectNotFound'; Setup = { Start-TestKubeApi -State @{ nodes = @(New-ApiNode node-9); pods = @() } } }
        @{ Case = 'the Node of another machine'; ErrorId = 'NodeIdentityMismatch'; Category = 'SecurityError'; Setup = { Start-TestKubeApi -State @{ nodes = @(New-ApiNode node-1 ('f' * 32)); pods = $State.pods } } }
        @{ Case = 'a server answering 503'; ErrorId = 'ClusterRequestFailed'; Category = 'ResourceUnavailable'; Setup = { Start-TestKubeApi -State $State -Fault 'status=503,path=/api/v1/pods' } }
        @{ Case = 'a slow server'; ErrorId = 'ClusterTimeout'; Category = 'OperationTimeout'; Setup = { Start-TestKubeApi -State $State -DelayMs 20000 } }
    ) {
        $api = & $Setup
        try {
            if ($ErrorId -eq 'ClusterUnauthorized') {
                # Start-TestKubeApi registers -Token with the server; a kubeconfig with another token is what a stale one looks like.
                (Get-Content -Raw $api.Kubeconfig) -replace 'token: .*', 'token: expired-token' | Set-Content $api.Kubeconfig
            }
            $err = $null
            try { Get-PodLogDirectory -Root $root -Kubeconfig $api.Kubeconfig -NodeName node-1 -Cluster -TimeoutSec 2 -ErrorAction Stop } catch { $err = $_ }
            Assert-PodLogsError $err -ErrorId $ErrorId -Category $Category
            $links = Get-ContainerLogLink -Root $root -Source DockerFiles -Kubeconfig $api.Kubeconfig -NodeName node-1 -TimeoutSec 2 -ErrorVariable clusterErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $clusterErrors.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            @($links).Count | Should -Be $Sample.EntryCount
        }
        finally { $api.Stop() }
    }

    It 'without -TimeoutSec, an API request may take the API default (10 s) with every cmdlet, not the runtime daemons'' 5 s' {
        # Issue #12 item 5: one default per kind of call. Each request here takes 6 s: within the API's default, over the daemons'.
        $api = Start-TestKubeApi -State $State -DelayMs 6000
        try {
            @(Get-PodLogDirectory -Root $root -Kubeconfig $api.Kubeconfig -NodeName node-1 -Cluster -ErrorAction Stop).Count | Should -Be 4
            $links = Get-ContainerLogLink -Root $root -Source DockerFiles -Kubeconfig $api.Kubeconfig -NodeName node-1 -ErrorVariable clusterErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $clusterErrors | Should -BeNullOrEmpty
            @($links | Where-Object Source -EQ KubernetesApi).Count | Should -BeGreaterThan 0 -Because "the API was asked and answered"
        }
        finally { $api.Stop() }
    }

    It 'a closed port is ClusterUnreachable' {
        $api = Start-TestKubeApi -State $State
        $api.Stop()
        $err = $null
        try { Get-PodLogDirectory -Root $root -Kubeconfig $api.Kubeconfig -NodeName node-1 -Cluster -ErrorAction Stop } catch { $err = $_ }
        Assert-PodLogsError $err -ErrorId ClusterUnreachable -Category ResourceUnavailable
    }

    It 'a server whose certificate the kubeconfig''s CA did not sign is ClusterCertificateUntrusted' {
        $other = Start-TestKubeApi -State $State
        try {
            $otherCa = ((Get-Content -Raw $other.Kubeconfig) | Select-String 'certificate-authority-data: (\S+)').Matches[0].Groups[1].Value
            $wrong = Join-Path $TestDrive 'wrong-ca.conf'
            (Get-Content -Raw $server.Kubeconfig) -replace 'certificate-authority-data: \S+', "certificate-authority-data: $otherCa" | Set-Content $wrong
            $err = $null
            try { Get-PodLogDirectory -Root $root -Kubeconfig $wrong -NodeName node-1 -Cluster -ErrorAction Stop } catch { $err = $_ }
            Assert-PodLogsError $err -ErrorId ClusterCertificateUntrusted -Category SecurityError
        }
        finally { $other.Stop() }
    }

    It 'a kubeconfig that is <Case> is ClusterConfigInvalid' -ForEach @(
        @{ Case = 'not YAML'; Text = "clusters: [unclosed`n  : :`n" }
        @{ Case = 'empty'; Text = '' }
        @{ Case = 'a context naming no cluster'; Text = "apiVersion: v1`nkind: Config`ncurrent-context: x`ncontexts:`n- name: x`n  context:`n    cluster: nowhere`n    user: nobody`n" }
    ) {
        $bad = Join-Path $TestDrive "bad-$([guid]::NewGuid().ToString('n')).conf"
        Set-Content -LiteralPath $bad -Value $Text -NoNewline
        $err = $null
        try { Get-PodLogDirectory -Root $root -Kubeconfig $bad -NodeName node-1 -ErrorAction Stop } catch { $err = $_ }
        Assert-PodLogsError $err -ErrorId ClusterConfigInvalid -Category InvalidData
        $err.ErrorDetails.Message | Should -BeLike "Cannot use the Kubernetes API settings from $bad*"
    }

    It 'a kubeconfig that does not exist is ClusterConfigNotFound' {
        $err = $null
        try { Get-PodLogDirectory -Root $root -Kubeconfig "$TestDrive/none.conf" -NodeName node-1 -ErrorAction Stop } catch { $err = $_ }
        Assert-PodLogsError $err -ErrorId ClusterConfigNotFound -Category ObjectNotFound
    }
}

Describe 'Remove-PodLogDirectory (issue #13 item 4)' {
    BeforeAll {
        # What is outside the pod logs directory must stay byte for byte: docker's json logs, the legacy links, /etc.
        function Get-OutsidePodLogs([string] $Root) { $all = Get-TreeSnapshot $Root; [string[]]@($all -notmatch '^\S+ /var/log/pods') }
        $orphanDirs = @((Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] }).NodePath)
        # Of those, the pods docker has no container of: the sample's CRI pods (docker's silence is its word on them).
        $noContainer = @($Sample.LokiDir, $Sample.BackupDir)
    }

    It 'removes the directories no pod on this node owns in the API, on its word alone when no runtime answers, and nothing else' {
        $node = New-ClusterRoot
        $expected = @(Get-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Orphaned -GracePeriod 0 | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] })
        $outside = Get-OutsidePodLogs $node
        $removed = @(Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -GracePeriod 0 -Confirm:$false -ErrorVariable failures)
        $failures | Should -BeNullOrEmpty
        ($removed.NodePath | Sort-Object) | Should -Be ($expected.NodePath | Sort-Object)
        @($orphanDirs | Where-Object { $_ -in $Sample.IstioDir, $Sample.ForgerDir, $Sample.LokiDir, $Sample.BackupDir }).Count | Should -Be 4
        $removed.Kind | Should -Not -Contain 'Link'
        foreach ($r in $removed) {
            Test-Path -LiteralPath (Get-Local $node $r.NodePath) | Should -BeFalse
            $r.Bytes | Should -Be ($expected | Where-Object NodePath -EQ $r.NodePath).TotalBytes
            $r.Reason | Should -Match "no pod on node 'node-1' in the API owns it"
            $r.Root | Should -Be $node
        }
        Compare-TreeSnapshot $outside (Get-OutsidePodLogs $node) | Should -BeNullOrEmpty
        foreach ($kept in $Sample.ReloaderDir, $Sample.CorednsDir, $Sample.ApiServerDir) { Test-Path -LiteralPath (Get-Local $node $kept) | Should -BeTrue }

        $before = Get-TreeSnapshot $node
        Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -GracePeriod 0 -Confirm:$false -ErrorAction Stop | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty -Because 'a second run finds nothing more to remove'
    }

    It 'changes nothing with -WhatIf' {
        $node = New-ClusterRoot
        $before = Get-TreeSnapshot $node
        Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -GracePeriod 0 -WhatIf | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
    }

    It 'keeps a directory whose pod the runtime still has containers of (ContainerStillPresent), with an error when it was named' {
        $node = New-ClusterRoot
        $orphans = Get-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Orphaned -GracePeriod 0
        $removed = @($orphans | Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source DockerFiles -GracePeriod 0 -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue)
        ($removed.NodePath | Sort-Object) | Should -Be ($noContainer | Sort-Object)
        $failures.Count | Should -Be ($orphanDirs.Count - $noContainer.Count)
        foreach ($f in $failures) { Assert-PodLogsError $f -ErrorId ContainerStillPresent -Category InvalidOperation }
        foreach ($kept in $orphanDirs | Where-Object { $_ -notin $noContainer }) { Test-Path -LiteralPath (Get-Local $node $kept) | Should -BeTrue }
    }

    It 'takes Get-PodLogDirectory -Orphaned records that went through Export-Clixml, and leaves their legacy links to Remove-ContainerLogLink' {
        $node = New-ClusterRoot
        $file = Join-Path $TestDrive 'orphans.xml'
        Get-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Orphaned -GracePeriod 0 | Export-Clixml -LiteralPath $file
        $links = @(Get-ChildItem -LiteralPath (Get-Local $node '/var/log/containers')).Count
        $removed = @(Import-Clixml -LiteralPath $file | Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -GracePeriod 0 -Confirm:$false -ErrorAction Stop)
        ($removed.NodePath | Sort-Object) | Should -Be ($orphanDirs | Sort-Object)
        @(Get-ChildItem -LiteralPath (Get-Local $node '/var/log/containers')).Count | Should -Be $links
    }

    It 'refuses a named pod the API lists (PodInCluster), one changed within the grace period (WithinGracePeriod), and one with no directory' {
        $node = New-ClusterRoot
        $before = Get-TreeSnapshot $node
        $null = Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -Namespace kube-system -PodName $Sample.CorednsPod -PodUid $Sample.CorednsUid -GracePeriod 0 -Confirm:$false -ErrorVariable listed -ErrorAction SilentlyContinue
        Assert-PodLogsError $listed[0] -ErrorId PodInCluster -Category InvalidOperation -TargetObject (Get-Local $node $Sample.CorednsDir)
        $null = Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -Namespace istio-system -PodName $Sample.IstioPod -PodUid $Sample.IstioUid -GracePeriod 365.00:00:00 -Confirm:$false -ErrorVariable recent -ErrorAction SilentlyContinue
        Assert-PodLogsError $recent[0] -ErrorId WithinGracePeriod -Category ResourceUnavailable
        $null = Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-1 -Source None -Namespace default -PodName gone -PodUid '12345678-1234-4234-8234-123456789012' -GracePeriod 0 -Confirm:$false -ErrorVariable none -ErrorAction SilentlyContinue
        Assert-PodLogsError $none[0] -ErrorId LogEntryNotFound -Category ObjectNotFound
        Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
    }

    It 'stops with the API''s error when the API cannot be asked, and removes nothing' {
        $node = New-ClusterRoot
        $before = Get-TreeSnapshot $node
        { Remove-PodLogDirectory -Root $node -Kubeconfig $server.Kubeconfig -NodeName node-9 -Source None -GracePeriod 0 -Confirm:$false -ErrorAction Stop } | Should -Throw
        Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
    }

    It 'with -Force, decides on the runtime''s word: a pod with no container goes, without asking the API' {
        $node = New-ClusterRoot
        $requests = @($server.GetRequests()).Count
        $removed = @(Remove-PodLogDirectory -Root $node -Source DockerFiles -Force -GracePeriod 0 -Confirm:$false -ErrorAction Stop)
        ($removed.NodePath | Sort-Object) | Should -Be (@($Sample.CorednsDir) + $noContainer | Sort-Object) -Because 'docker has no container of the sample''s CRI pods'
        $removed.Reason | ForEach-Object { $_ | Should -Match 'DockerFiles has no container of this pod' }
        @($server.GetRequests()).Count | Should -Be $requests -Because '-Force alone does not ask the API'
        { Remove-PodLogDirectory -Root (New-ClusterRoot) -Source None -Force -Confirm:$false } | Should -Throw -ErrorId 'RuntimeWordRequired,*'
        { Remove-PodLogDirectory -Root (New-ClusterRoot) -Source None -Force -GracePeriod '-00:00:01' } | Should -Throw -ErrorId 'InvalidGracePeriod,*'
    }
}

Describe 'Export-PodLogMetric with the cluster (issue #14 item 1)' {
    BeforeAll {
        function Get-Sample([string] $Text, [string] $Series) {
            $line = $Text -split "`n" | Where-Object { $_.StartsWith("$Series ") }
            if ($line) { [double]($line -split ' ')[-1] }
        }
    }

    It 'counts the orphans Get-PodLogDirectory -Orphaned finds, and gives the same from its records piped in' {
        $orphans = @(Get-PodLogDirectory @dirCommon -Orphaned -GracePeriod 0 -ErrorAction Stop)
        $directories = @($orphans | Where-Object { $_ -is [PodLogs.Core.PodLogDirectory] })
        $legacy = @($orphans | Where-Object { $_ -is [PodLogs.Core.OrphanedLegacyLink] })
        $directories.Count | Should -BeGreaterThan 0
        $text = Export-PodLogMetric @dirCommon -GracePeriod 0 -ErrorAction Stop
        Get-Sample $text podlogs_orphaned_pod_directories | Should -Be $directories.Count
        Get-Sample $text podlogs_orphaned_legacy_links | Should -Be $legacy.Count
        Get-Sample $text podlogs_orphaned_bytes | Should -Be (($orphans | Measure-Object TotalBytes -Sum).Sum)
        $piped = $orphans | Export-PodLogMetric -ErrorAction Stop
        foreach ($series in 'podlogs_orphaned_pod_directories', 'podlogs_orphaned_legacy_links', 'podlogs_orphaned_bytes') {
            Get-Sample $piped $series | Should -Be (Get-Sample $text $series)
        }
    }

    It 'an API it cannot reach is ClusterUnreachable, written and counted, and the node''s own figures are still there' {
        $api = Start-TestKubeApi -State $State
        $api.Stop()
        $text = Export-PodLogMetric -Root $root -Kubeconfig $api.Kubeconfig -NodeName node-1 -ErrorVariable errs -ErrorAction SilentlyContinue
        Assert-PodLogsError $errs[0] -ErrorId ClusterUnreachable -Category ResourceUnavailable
        Get-Sample $text 'podlogs_errors{error_id="ClusterUnreachable"}' | Should -Be 1
        $text | Should -Not -Match 'podlogs_orphaned_'
        Get-Sample $text 'podlogs_log_links{kind="pod",status="healthy"}' | Should -BeGreaterThan 0
    }
}
