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
        # The list also holds shop/web, which the API schedules on node-2: this node (node-1) skips it with a verbose
        # note, as a cluster-wide list piped on one node must not fail for the other nodes' pods.
        $verbose = @($pods | Test-ContainerLogLink -Root $root -Verbose 4>&1)
        $verbose[-1] | Should -BeTrue
        $verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like "*shop/web-7d9f8b6c5-abcde runs on node 'node-2'*" } | Should -Not -BeNullOrEmpty
    }

    It 'names a piped pod this node has nothing of and the API does not place elsewhere (SelectionNotFound)' {
        $root = New-SampleRoot 'kubectl-absent'
        $absent = $pods | Where-Object { $_.metadata.namespace -eq 'shop' } | ConvertTo-Json -Depth 10 | ConvertFrom-Json
        $absent.spec.nodeName = 'node-1'
        $absent | Test-ContainerLogLink -Root $root -ErrorVariable notHere -ErrorAction SilentlyContinue | Should -BeFalse
        @($notHere).Count | Should -Be 1
        Assert-PodLogsError $notHere[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'web-7d9f8b6c5-abcde'
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

Describe 'The same instance everywhere: a copy of a record selects the instance it names (issue #10 item 5)' {
    BeforeAll {
        $root = New-SampleRoot 'instance'
        $module = (Get-Module PodLogs).Path
        $reloader = @{ Namespace = 'default'; PodName = $Sample.ReloaderPod; ContainerName = 'stakater-reloader' }
        # What a record of each transport looks like after the trip: every one of them is a PSCustomObject (or a
        # Deserialized.* object) with the record's property names, no longer a PodLogs type.
        function Get-Copy([string] $Transport, [scriptblock] $Produce) {
            switch ($Transport) {
                'Select-Object' { & $Produce | Select-Object * }
                'Export-Clixml/Import-Clixml' {
                    $path = Join-Path $TestDrive "records-$([guid]::NewGuid().ToString('n')).xml"
                    & $Produce | Export-Clixml -LiteralPath $path -Depth 4
                    Import-Clixml -LiteralPath $path
                }
                'ConvertTo-Json/ConvertFrom-Json' { & $Produce | ConvertTo-Json -Depth 4 | ConvertFrom-Json }
                'Start-Job' {
                    # Made in the job's own process and serialized back, as remoting does.
                    Start-Job -ScriptBlock { param($module, $text) Import-Module $module; & ([scriptblock]::Create($text)) } -ArgumentList $module, $Produce.ToString() -WorkingDirectory $PWD.Path |
                        Receive-Job -Wait -AutoRemoveJob
                }
                'Invoke-Command' {
                    # A real remoting session to an out-of-process runspace: Invoke-Command serializes the records
                    # as it does from another machine.
                    $runspace = [runspacefactory]::CreateOutOfProcessRunspace($null)
                    $runspace.Open()
                    $session = [Management.Automation.Runspaces.PSSession]::Create($runspace, 'PodLogsTest', $null)
                    try {
                        Invoke-Command -Session $session -ScriptBlock { param($module, $text) Import-Module $module; & ([scriptblock]::Create($text)) } -ArgumentList $module, $Produce.ToString()
                    }
                    finally { Remove-PSSession $session }
                }
            }
        }
        $transports = 'Select-Object', 'Export-Clixml/Import-Clixml', 'ConvertTo-Json/ConvertFrom-Json', 'Start-Job', 'Invoke-Command'
        # Per transport: the reloader's PodLog records of instances 1, 6 and 7, and the log lines of instance 1 and 6.
        $copies = @{}
        foreach ($transport in $transports) {
            $produce = [scriptblock]::Create(@"
Get-ContainerLogLink -Root '$root' -Namespace default -PodName '$($Sample.ReloaderPod)' | Where-Object Kind -EQ PodLog
Get-ContainerLog -Root '$root' -ContainerId $($Sample.Reloader1) -Tail 1
Get-ContainerLog -Root '$root' -ContainerId $($Sample.Reloader6) -Tail 1 -WarningAction SilentlyContinue
"@)
            $all = @(Get-Copy $transport $produce)
            $copies[$transport] = @{
                Links = @($all | Where-Object { $null -ne $_.Kind })
                Lines = @($all | Where-Object { $null -ne $_.Message })
            }
        }
        function Get-CopyOf([string] $Transport, [int] $RestartCount, [switch] $Line) {
            $set = if ($Line) { $copies[$Transport].Lines } else { $copies[$Transport].Links }
            $found = @($set | Where-Object RestartCount -EQ $RestartCount)
            $found.Count | Should -Be 1 -Because "the $Transport copy holds one record of restart $RestartCount"
            $found[0]
        }
    }

    It 'the copies are no longer PodLogs records (<_>)' -ForEach @('Select-Object', 'Export-Clixml/Import-Clixml', 'ConvertTo-Json/ConvertFrom-Json', 'Start-Job', 'Invoke-Command') {
        $copy = Get-CopyOf $_ 1
        $copy.psobject.BaseObject | Should -Not -BeOfType ([PodLogs.Core.ContainerLogLink])
        $copy.ContainerId | Should -Be $Sample.Reloader1
        $copy.Root | Should -Be $root
        $copy.NodeName | Should -Be 'node-1'
    }

    It 'Get-ContainerLog reads the instance a <_> copy names, not the newest, under the copy''s Root' -ForEach @('Select-Object', 'Export-Clixml/Import-Clixml', 'ConvertTo-Json/ConvertFrom-Json', 'Start-Job', 'Invoke-Command') {
        $lines = @(Get-CopyOf $_ 1 | Get-ContainerLog -ErrorAction Stop)
        $lines.Message | Should -Be @('stakater-reloader restart 1: line 0', 'stakater-reloader restart 1: line 1', 'stakater-reloader restart 1: line 2')
        $lines.RestartCount | Sort-Object -Unique | Should -Be 1
        $lines.ContainerId | Sort-Object -Unique | Should -Be $Sample.Reloader1
        $lines.Root | Sort-Object -Unique | Should -Be $root
        (Get-CopyOf $_ 1 | Get-ContainerLog -Root $root -Tail 1).Message | Should -Be 'stakater-reloader restart 1: line 2' -Because 'with -Root given too'

        # Restart 6's N.log is missing: the copy still reads restart 6 (from the log docker names), never 7.
        $six = @(Get-CopyOf $_ 6 | Get-ContainerLog -WarningAction SilentlyContinue -ErrorAction Stop)
        $six.Message | Should -Be @('stakater-reloader restart 6: line 0', 'stakater-reloader restart 6: line 1', 'stakater-reloader restart 6: line 2')
    }

    It 'Get-ContainerLog reads the instance a <_> copy of a log line names' -ForEach @('Select-Object', 'Export-Clixml/Import-Clixml', 'ConvertTo-Json/ConvertFrom-Json', 'Start-Job', 'Invoke-Command') {
        (Get-CopyOf $_ 1 -Line | Get-ContainerLog -Tail 1 -ErrorAction Stop).Message | Should -Be 'stakater-reloader restart 1: line 2'
    }

    It 'Test-ContainerLogLink judges the instance a <_> copy names, not its whole pod' -ForEach @('Select-Object', 'Export-Clixml/Import-Clixml', 'ConvertTo-Json/ConvertFrom-Json', 'Start-Job', 'Invoke-Command') {
        # Restart 1's N.log and legacy link are healthy; the pod is not (6.log is missing, 7's legacy link too).
        Test-ContainerLogLink -Root $root @reloader | Should -BeFalse
        Get-CopyOf $_ 1 | Test-ContainerLogLink -WarningVariable warnings | Should -BeTrue
        Get-CopyOf $_ 1 | Test-ContainerLogLink -Root $root | Should -BeTrue -Because 'with -Root given too'
        $warnings | Should -BeNullOrEmpty -Because 'something was tested'
        Get-CopyOf $_ 1 -Line | Test-ContainerLogLink | Should -BeTrue
        Get-CopyOf $_ 6 | Test-ContainerLogLink | Should -BeFalse
    }

    It 'Repair-ContainerLogLink repairs the instance a <_> copy of a log line names, and -WhatIf changes nothing' -ForEach @('Select-Object', 'Export-Clixml/Import-Clixml', 'ConvertTo-Json/ConvertFrom-Json', 'Start-Job', 'Invoke-Command') {
        $node = New-SampleRoot 'instance-repair'
        $before = Get-TreeSnapshot $node
        Get-CopyOf $_ 6 -Line | Repair-ContainerLogLink -Root $node -WhatIf | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty

        # Instance 6 only: its N.log (which also mends its dangling legacy link), not restart 7's missing legacy link.
        $results = @(Get-CopyOf $_ 6 -Line | Repair-ContainerLogLink -Root $node)
        $results | ForEach-Object { "$($_.Action) $($_.NodePath) -> $($_.Target)" } |
            Should -Be @($Sample.ExpectedRepairs[0] | ForEach-Object { "$($_.Action) $($_.NodePath) -> $($_.Target)" })
        $results.NodeName | Should -Be 'node-1'
        Get-ContainerLogLink -Root $node -ContainerId $Sample.Reloader7 -Status Missing | Should -Not -BeNullOrEmpty -Because 'restart 7 was not selected'
    }

    It 'Repair-ContainerLogLink takes the Root of a <_> copy when -Root is not given' -ForEach @('Select-Object', 'Start-Job') {
        $node = New-SampleRoot 'instance-repair-root'
        $copy = Get-CopyOf $_ 6 -Line
        $copy.Root = $node
        $results = @($copy | Repair-ContainerLogLink)
        $results.NodePath | Should -Be $Sample.ExpectedRepairs[0].NodePath
        $results.FullName | Should -Be (Get-Local $node $Sample.ExpectedRepairs[0].NodePath)
    }

    It 'with -Previous reads the instance before the one a <_> copy names, never the named one' -ForEach @('Select-Object', 'Invoke-Command') {
        (Get-CopyOf $_ 7 | Get-ContainerLog -Previous -Tail 1 -WarningAction SilentlyContinue).Message | Should -Be 'stakater-reloader restart 6: line 2'
        (Get-CopyOf $_ 6 | Get-ContainerLog -Previous -Tail 1).Message | Should -Be 'stakater-reloader restart 1: line 2'
        $none = Get-CopyOf $_ 1 | Get-ContainerLog -Previous -ErrorVariable errors -ErrorAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        Assert-PodLogsError $errors[0] -ErrorId ContainerLogNotFound -Category ObjectNotFound
    }

    It 'with -Previous reads the instance before the one a live record names' {
        $seven = Get-ContainerLogLink -Root $root -ContainerId $Sample.Reloader7 | Where-Object Kind -EQ PodLog
        ($seven | Get-ContainerLog -Previous -Tail 1 -WarningAction SilentlyContinue).Message | Should -Be 'stakater-reloader restart 6: line 2'
        ($seven | Get-ContainerLog -Tail 1).Message | Should -Be 'stakater-reloader restart 7: line 2'
    }

    It 'reads the instance a repair result names, under its Root (Repair-ContainerLogLink | Get-ContainerLog)' {
        $node = New-SampleRoot 'instance-repair-read'
        $results = @(Repair-ContainerLogLink -Root $node -Namespace default -PodName $Sample.ReloaderPod -ContainerId $Sample.Reloader6)
        $results.RestartCount | Should -Be 6
        $results.Root | Should -Be $node
        ($results | Get-ContainerLog).Message | Should -Be @('stakater-reloader restart 6: line 0', 'stakater-reloader restart 6: line 1', 'stakater-reloader restart 6: line 2')
    }

    It 'narrows a pod-wide record by -RestartCount given on the command line' {
        $pod = Get-PodLogDirectory -Root $root -Namespace default -PodName $Sample.ReloaderPod
        (Get-ContainerLog -Root $root @reloader -RestartCount 1 -Tail 1).Message | Should -Be 'stakater-reloader restart 1: line 2'
        ($pod | Get-ContainerLog -RestartCount 1 -Tail 1).Message | Should -Be 'stakater-reloader restart 1: line 2'
        ($pod | Get-ContainerLogLink -RestartCount 7).NodePath | Sort-Object |
            Should -Be (@("$($Sample.ReloaderDir)/stakater-reloader/7.log", (Get-LegacyLinkPath $Sample.ReloaderPod default stakater-reloader $Sample.Reloader7)) | Sort-Object)
        $pod | Test-ContainerLogLink -RestartCount 1 | Should -BeTrue
    }

    It 'reads the whole pod (the newest instance) from a copy without ContainerId and RestartCount' {
        $podOnly = Get-CopyOf 'Select-Object' 1 | Select-Object Namespace, PodName, PodUid, Root
        (($podOnly | Get-ContainerLog -Tail 1).Message) | Should -Be 'stakater-reloader restart 7: line 2'
        $podOnly | Test-ContainerLogLink | Should -BeFalse
    }

    It 'refuses -RestartCount with -Previous, and a negative -RestartCount' {
        { Get-ContainerLog -Root $root @reloader -RestartCount 1 -Previous -ErrorAction Stop } | Should -Throw -ErrorId 'RestartCountWithPrevious,*'
        { Get-ContainerLogLink -Root $root -RestartCount -1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRestartCount,*'
        { Get-ContainerLogLink -Root $root -ContainerId '' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidContainerId,*'
    }

    It 'writes one InvalidContainerId error for a copy whose ContainerId is not an id, and selects nothing by it' {
        $bad = Get-CopyOf 'Select-Object' 1 | Select-Object *
        $bad.ContainerId = 'not-an-id'
        $lines = $bad | Get-ContainerLog -ErrorVariable errors -ErrorAction SilentlyContinue
        $lines | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 1
        Assert-PodLogsError $errors[0] -ErrorId InvalidContainerId -Category InvalidArgument
    }
}

Describe 'Root by property name (issue #10 item 5)' {
    BeforeAll {
        $nodeA = New-SampleRoot 'root-a'
        $nodeB = New-SampleRoot 'root-b'
        $linkA = Get-ContainerLogLink -Root $nodeA -ContainerId $Sample.Reloader1 | Where-Object Kind -EQ PodLog
        $linkB = Get-ContainerLogLink -Root $nodeB -ContainerId $Sample.Reloader1 | Where-Object Kind -EQ PodLog
    }

    It 'declares Root, ContainerId and RestartCount as taken by property name in the pipeline set of <_>' -ForEach @('Get-ContainerLog', 'Get-ContainerLogLink', 'Test-ContainerLogLink', 'Repair-ContainerLogLink') {
        $parameters = (Get-Command $_).Parameters
        foreach ($name in 'Root', 'ContainerId', 'RestartCount') {
            $parameters[$name].ParameterSets['ByInputObject'].ValueFromPipelineByPropertyName | Should -BeTrue -Because "-$name binds by property name"
            $parameters[$name].ParameterSets['ByName'].ValueFromPipelineByPropertyName | Should -BeFalse
        }
    }

    It 'uses a live record''s root without -Root (<_>)' -ForEach @('Get-ContainerLog', 'Get-ContainerLogLink', 'Test-ContainerLogLink', 'Get-PodLogDirectory') {
        $out = @($linkA | & $_ -ErrorAction Stop)
        $out | Should -Not -BeNullOrEmpty
        switch ($_) {
            'Get-ContainerLog' { $out.Root | Sort-Object -Unique | Should -Be $nodeA }
            'Test-ContainerLogLink' { $out | Should -Be @($true) }
            default { $out.Root | Sort-Object -Unique | Should -Be $nodeA }
        }
    }

    It 'stops with one InputFromManyRoots error for records of two roots (<Name>), and writes nothing' -ForEach @(
        @{ Name = 'Get-ContainerLog'; Run = { param($records) $records | Get-ContainerLog } }
        @{ Name = 'Get-ContainerLogLink'; Run = { param($records) $records | Get-ContainerLogLink } }
        @{ Name = 'Test-ContainerLogLink'; Run = { param($records) $records | Test-ContainerLogLink } }
        @{ Name = 'Repair-ContainerLogLink'; Run = { param($records) $records | Repair-ContainerLogLink } }
        @{ Name = 'Get-PodLogDirectory'; Run = { param($records) $records | Get-PodLogDirectory } }
    ) {
        $a = New-SampleRoot 'mixed-a'
        $b = New-SampleRoot 'mixed-b'
        $before = (Get-TreeSnapshot $a) + (Get-TreeSnapshot $b)
        $records = @(
            Get-ContainerLogLink -Root $a -Namespace default -PodName $Sample.ReloaderPod
            Get-ContainerLogLink -Root $b -Namespace default -PodName $Sample.ReloaderPod
            Get-ContainerLogLink -Root $a -Namespace istio-system
        ) | Select-Object *
        $errors = @()
        $failure = $null
        try { $null = & $Run $records -ErrorVariable +errors } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'InputFromManyRoots,PodLogs.Commands.*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be $b
        $failure.Exception.Message | Should -BeLike "*'$a'*'$b'*"
        @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'InputFromManyRoots,*' }).Count | Should -BeLessOrEqual 1
        (Get-TreeSnapshot $a) + (Get-TreeSnapshot $b) | Should -Be $before
    }

    It 'keeps refusing a live record from another root when -Root is given (InputFromAnotherRoot, one per record)' {
        $out = $linkA, $linkA | Get-ContainerLogLink -Root $nodeB -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 2
        Assert-PodLogsError $errors[0] -ErrorId InputFromAnotherRoot -Category InvalidArgument -TargetObject $linkA
        $linkB | Get-ContainerLogLink -Root $nodeB | Should -Not -BeNullOrEmpty
    }

    It 'with -Root given, reads a copy''s pod under that -Root' {
        $copy = $linkA | Select-Object *
        (Get-ContainerLog -Root $nodeB -InputObject $copy).Root | Sort-Object -Unique | Should -Be $nodeB
        ($copy | Get-ContainerLog -Root $nodeB).Root | Sort-Object -Unique | Should -Be $nodeB
    }
}

Describe 'NodeName on every record (issue #10 item 5)' {
    BeforeAll { $root = New-SampleRoot 'nodename' }

    It 'is the sample node''s name, from its /etc/hostname, on <Name>' -ForEach @(
        @{ Name = 'ContainerLogLink'; Produce = { param($r) Get-ContainerLogLink -Root $r } }
        @{ Name = 'PodLogDirectory'; Produce = { param($r) Get-PodLogDirectory -Root $r } }
        @{ Name = 'ContainerLogLine'; Produce = { param($r) Get-ContainerLog -Root $r -Namespace kube-system } }
        @{ Name = 'LinkRepairResult'; Produce = { param($r) Repair-ContainerLogLink -Root (New-SampleRoot 'nodename-repair') -ErrorAction SilentlyContinue } }
    ) {
        $records = @(& $Produce $root)
        $records | Should -Not -BeNullOrEmpty
        $records | ForEach-Object { $_.NodeName | Should -BeExactly 'node-1' }
        @($records | Group-Object NodeName).Length | Should -Be 1
    }

    It 'is kubelet''s --hostname-override (lowercased) over the hostname' {
        $node = New-SampleRoot 'nodename-override'
        Set-Content -LiteralPath (Get-Local $node '/var/lib/kubelet/kubeadm-flags.env') -Value 'KUBELET_KUBEADM_ARGS="--hostname-override=Worker-7 --node-ip=10.0.0.7"'
        (Get-ContainerLogLink -Root $node -Namespace kube-system).NodeName | Sort-Object -Unique | Should -BeExactly 'worker-7'
    }

    It 'is null when nothing under the root names the node' {
        $node = New-SampleRoot 'nodename-none'
        Remove-Item -LiteralPath (Get-Local $node '/etc/hostname')
        (Get-PodLogDirectory -Root $node | Select-Object -First 1).NodeName | Should -BeNullOrEmpty
    }

    It 'groups records gathered from several nodes' {
        $other = New-SampleRoot 'nodename-other'
        Set-Content -LiteralPath (Get-Local $other '/etc/hostname') -Value 'NODE-2'
        $groups = @(Get-PodLogDirectory -Root $root) + @(Get-PodLogDirectory -Root $other) | Group-Object NodeName | Sort-Object Name
        $groups.Name | Should -Be @('node-1', 'node-2')
        $groups | ForEach-Object { $_.Group.Count } | Should -Be @($Sample.PodCount, $Sample.PodCount)
    }
}
