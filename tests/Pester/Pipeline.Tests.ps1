BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    function Assert-SampleRepaired($Results, [string] $Root, $Refusals) {
        # The same three actions as a whole-node repair, and the same two refusals (the forger).
        ($Results | ForEach-Object { "$($_.Action) $($_.NodePath) -> $($_.Target)" } | Sort-Object) |
            Should -Be ($Sample.ExpectedRepairs | ForEach-Object { "$($_.Action) $($_.NodePath) -> $($_.Target)" } | Sort-Object)
        [string[]]($Refusals | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Sort-Object | Should -Be @('LabelPathMismatch', 'LinkTargetMissing')
        Test-ContainerLogLink -Root $Root -Namespace istio-system, kube-system, monitoring | Should -BeTrue
        Test-ContainerLogLink -Root $Root -Namespace default -PodName 'stakater-*' | Should -BeTrue
    }
}

Describe 'Get-PodLogDirectory | Get-ContainerLogLink | Repair-ContainerLogLink' {
    It 'repairs what a whole-node repair repairs' {
        $root = New-SampleRoot 'chain'
        $results = Get-PodLogDirectory -Root $root | Get-ContainerLogLink -Root $root | Repair-ContainerLogLink -Root $root -ErrorVariable refusals -ErrorAction SilentlyContinue
        Assert-SampleRepaired $results $root $refusals
    }

    It 'changes nothing on a second pass' {
        $root = New-SampleRoot 'chain2'
        $null = Get-PodLogDirectory -Root $root | Get-ContainerLogLink -Root $root | Repair-ContainerLogLink -Root $root -ErrorAction SilentlyContinue
        $before = Get-TreeSnapshot $root
        Get-PodLogDirectory -Root $root | Get-ContainerLogLink -Root $root | Repair-ContainerLogLink -Root $root -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }
}

Describe 'Get-ContainerLogLink -Status Dangling,Missing,Stale | Repair-ContainerLogLink' {
    It 'repairs the selected entries' {
        $root = New-SampleRoot 'status'
        $results = Get-ContainerLogLink -Root $root -Status Dangling, Missing, Stale | Repair-ContainerLogLink -Root $root -ErrorVariable refusals -ErrorAction SilentlyContinue
        Assert-SampleRepaired $results $root $refusals
        Get-ContainerLogLink -Root $root -Status Dangling, Stale | Should -BeNullOrEmpty
        [string[]](Get-ContainerLogLink -Root $root -Status Missing).PodName | Sort-Object -Unique | Should -Be @($Sample.ForgerPod)
    }
}

Describe 'kubectl get pods -o json | ConvertFrom-Json' {
    BeforeAll {
        # What 'kubectl get pods -A -o json' prints, trimmed: the article's pod (with its ReplicaSet's uid in
        # ownerReferences, which must never name the directory), the coredns pod, and a pod on another node.
        $kubectlJson = @'
{
    "apiVersion": "v1",
    "kind": "List",
    "metadata": { "resourceVersion": "" },
    "items": [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "creationTimestamp": "2026-07-31T18:23:51Z",
                "generateName": "stakater-reloader-598f958967-",
                "labels": { "app": "stakater-reloader", "pod-template-hash": "598f958967" },
                "name": "stakater-reloader-598f958967-ddkl7",
                "namespace": "default",
                "ownerReferences": [
                    {
                        "apiVersion": "apps/v1",
                        "blockOwnerDeletion": true,
                        "controller": true,
                        "kind": "ReplicaSet",
                        "name": "stakater-reloader-598f958967",
                        "uid": "ea8b9161-bee3-4bf6-a4e3-65fe256e3771"
                    }
                ],
                "resourceVersion": "81413",
                "uid": "2681cb7f-daa4-4620-bb60-1d449709181c"
            },
            "spec": {
                "containers": [ { "image": "stakater/reloader:v1.0.69", "name": "stakater-reloader" } ],
                "nodeName": "node-1"
            },
            "status": {
                "containerStatuses": [
                    {
                        "containerID": "docker://c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332",
                        "lastState": { "terminated": { "containerID": "docker://e9bc97e0cdd1e4258f17bb18db976ac371860103b861529cb690005ada97d153", "exitCode": 2 } },
                        "name": "stakater-reloader",
                        "ready": true,
                        "restartCount": 7,
                        "state": { "running": { "startedAt": "2026-11-06T16:08:12Z" } }
                    }
                ],
                "phase": "Running"
            }
        },
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "coredns-5d78c9869d-x7k2p",
                "namespace": "kube-system",
                "ownerReferences": [ { "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "coredns-5d78c9869d", "uid": "77aa55bb-1c2d-4e3f-8a9b-0c1d2e3f4a5b", "controller": true } ],
                "uid": "8f14e45f-ceea-467f-a0e6-cb4b4b31c0b5"
            },
            "spec": { "containers": [ { "name": "coredns" } ], "nodeName": "node-1" },
            "status": { "containerStatuses": [ { "containerID": "containerd://a3f9c1e2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081", "name": "coredns", "restartCount": 0 } ] }
        },
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": { "name": "web-7d9f8b6c5-abcde", "namespace": "shop", "uid": "0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e" },
            "spec": { "containers": [ { "name": "web" } ], "nodeName": "node-2" },
            "status": {}
        }
    ]
}
'@
        $list = $kubectlJson | ConvertFrom-Json
        $pods = $list.items
        $ownerUid = 'ea8b9161-bee3-4bf6-a4e3-65fe256e3771'
    }

    It 'gives Get-PodLogDirectory each pod''s directory from metadata.uid' {
        $dirs = $pods | Get-PodLogDirectory -Root (New-SampleRoot 'kubectl-dir')
        $dirs.Count | Should -Be 3
        $dirs[0].NodePath | Should -BeExactly $Sample.ReloaderDir
        $dirs[0].Exists | Should -BeTrue
        $dirs[1].NodePath | Should -BeExactly $Sample.CorednsDir
        $dirs[1].Exists | Should -BeTrue
        $dirs[2].NodePath | Should -BeExactly '/var/log/pods/shop_web-7d9f8b6c5-abcde_0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e'
        $dirs[2].Exists | Should -BeFalse -Because 'that pod runs on another node'
    }

    It 'never takes the owner''s uid (ownerReferences)' {
        $root = New-SampleRoot 'kubectl-owner'
        $dirs = $pods | Get-PodLogDirectory -Root $root
        $links = $pods | Get-ContainerLogLink -Root $root
        $dirs.PodUid | Should -Not -Contain $ownerUid
        $links.PodUid | Should -Not -Contain $ownerUid
        $dirs.NodePath + $links.NodePath | Where-Object { $_ -like "*$ownerUid*" } | Should -BeNullOrEmpty
    }

    It 'refuses an item whose only uid is the owner''s (InputObjectNotAPod), rather than use it' {
        $ownerOnly = '{"metadata":{"name":"stakater-reloader-598f958967-ddkl7","namespace":"default","ownerReferences":[{"kind":"ReplicaSet","uid":"ea8b9161-bee3-4bf6-a4e3-65fe256e3771"}]}}' | ConvertFrom-Json
        $dir = $ownerOnly | Get-PodLogDirectory -Root (New-SampleRoot 'kubectl-owneronly') -ErrorVariable errors -ErrorAction SilentlyContinue
        $dir | Should -BeNullOrEmpty
        Assert-PodLogsError $errors[0] -ErrorId InputObjectNotAPod -Category InvalidArgument -TargetObject $ownerOnly
    }

    It 'takes the List object itself as its items' {
        $fromList = $list | Get-PodLogDirectory -Root (New-SampleRoot 'kubectl-list')
        $fromItems = $pods | Get-PodLogDirectory -Root (New-SampleRoot 'kubectl-items')
        @($fromList).Count | Should -BeGreaterThan 0
        [string[]]$fromList.PodUid | Should -Be ([string[]]$fromItems.PodUid)
    }

    It 'gives Get-ContainerLogLink the pods'' entries' {
        $links = $pods | Get-ContainerLogLink -Root (New-SampleRoot 'kubectl-links')
        ($links | Where-Object PodName -EQ 'stakater-reloader-598f958967-ddkl7').Count | Should -Be 6
        ($links | Where-Object PodName -EQ 'coredns-5d78c9869d-x7k2p').Count | Should -Be 2
        $links | Where-Object Namespace -EQ 'shop' | Should -BeNullOrEmpty
        [string[]]$links.PodUid | Sort-Object -Unique | Should -Be @($Sample.ReloaderUid, $Sample.CorednsUid)
    }

    It 'repairs the pods and then tests healthy' {
        $root = New-SampleRoot 'kubectl-repair'
        $pods | Test-ContainerLogLink -Root $root | Should -BeFalse
        $results = $pods | Repair-ContainerLogLink -Root $root
        [string[]]$results.NodePath | Should -Be @($Sample.ExpectedRepairs[0].NodePath, $Sample.ExpectedRepairs[2].NodePath)
        # The list also holds shop/web, a pod this node has nothing of: piped, it is named (SelectionNotFound) and the
        # test is $false, since it was not checked (issue #10 item 2; this test once expected $true for the whole list).
        $pods | Test-ContainerLogLink -Root $root -ErrorVariable notHere -ErrorAction SilentlyContinue | Should -BeFalse
        @($notHere).Count | Should -Be 1
        Assert-PodLogsError $notHere[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'web-7d9f8b6c5-abcde'
        $pods | Where-Object { $_.metadata.namespace -ne 'shop' } | Test-ContainerLogLink -Root $root | Should -BeTrue
    }

    It 'defaults a missing metadata.namespace to default, as kubectl does' {
        $noNs = '{"metadata":{"name":"stakater-reloader-598f958967-ddkl7","uid":"2681cb7f-daa4-4620-bb60-1d449709181c"}}' | ConvertFrom-Json
        ($noNs | Get-PodLogDirectory -Root (New-SampleRoot 'kubectl-nons')).NodePath | Should -BeExactly $Sample.ReloaderDir
    }
}

Describe '| Remove-Item through PSPath' {
    BeforeEach {
        $root = New-SampleRoot 'remove'
        $legacy = Get-ContainerLogLink -Root $root -ContainerId $Sample.Reloader1 | Where-Object Kind -EQ Legacy
        $podLog = Get-ContainerLogLink -Root $root -ContainerId $Sample.Reloader1 | Where-Object Kind -EQ PodLog
        $json = Get-Local $root (Get-DockerJsonLog $Sample.Reloader1)
        $jsonHash = (Get-FileHash -LiteralPath $json).Hash
    }

    It 'with -WhatIf changes nothing' {
        $before = Get-TreeSnapshot $root
        $legacy | Remove-Item -WhatIf
        $podLog | Remove-Item -WhatIf
        Get-PodLogDirectory -Root $root -Namespace default | Remove-Item -Recurse -WhatIf
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'removes the legacy link, not the N.log it points to' {
        $legacy | Remove-Item
        Test-Path -LiteralPath $legacy.FullName | Should -BeFalse
        Get-LinkText $podLog.FullName | Should -BeExactly (Get-DockerJsonLog $Sample.Reloader1)
        (Get-FileHash -LiteralPath $json).Hash | Should -Be $jsonHash
    }

    It 'removes the N.log link, not docker''s json log' {
        $podLog | Remove-Item
        Get-LinkText $podLog.FullName | Should -BeNullOrEmpty
        [IO.File]::Exists($podLog.FullName) | Should -BeFalse
        (Get-FileHash -LiteralPath $json).Hash | Should -Be $jsonHash
    }

    It 'then shows the removed entry as Missing' {
        $podLog | Remove-Item
        (Get-ContainerLogLink -Root $root -ContainerId $Sample.Reloader1 | Where-Object Kind -EQ PodLog).Status | Should -Be 'Missing'
    }
}

Describe '| Get-Content on a regular-file entry' {
    It 'reads the containerd-style coredns 0.log' {
        $root = New-SampleRoot 'content'
        $entry = Get-ContainerLogLink -Root $root -Namespace kube-system -ContainerName coredns | Where-Object Kind -EQ PodLog
        $entry.LinkType | Should -Be 'File'
        $lines = $entry | Get-Content
        $lines.Count | Should -Be 5
        $lines | Should -Be ([IO.File]::ReadAllLines($entry.FullName))
        $lines[0] | Should -BeLike '2026-11-26T11:00:00.123456789+00:00 stdout F *'
    }
}
