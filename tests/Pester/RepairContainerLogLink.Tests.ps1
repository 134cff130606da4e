BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    function Assert-ExpectedRepairs($Results, [string] $Root) {
        # The untouched sample's three actions, each written as kubelet/dockershim would have.
        $Results.Count | Should -Be 3
        foreach ($expected in $Sample.ExpectedRepairs) {
            $r = $Results | Where-Object NodePath -EQ $expected.NodePath
            $r | Should -Not -BeNullOrEmpty -Because "$($expected.NodePath) is repaired"
            $r.Action | Should -Be $expected.Action
            $r.Kind | Should -Be $expected.Kind
            $r.Target | Should -BeExactly $expected.Target
            $r.PreviousTarget | Should -Be $expected.PreviousTarget
        }
    }
}

Describe 'Repair-ContainerLogLink parameters' {
    BeforeAll { $command = Get-Command Repair-ContainerLogLink }

    It 'supports ShouldProcess (-WhatIf, -Confirm) and -Force' {
        $command.Parameters.Keys | Should -Contain 'WhatIf'
        $command.Parameters.Keys | Should -Contain 'Confirm'
        $command.Parameters['Force'].SwitchParameter | Should -BeTrue
    }

    It 'declares LinkRepairResult as its output type, ByName as the default set' {
        $command.OutputType.Type | Should -Be ([PodLogs.Core.LinkRepairResult])
        $command.DefaultParameterSet | Should -Be 'ByName'
        $command.Parameters['InputObject'].ParameterSets['ByInputObject'].ValueFromPipeline | Should -BeTrue
    }
}

Describe 'Repair-ContainerLogLink on the whole node' {
    BeforeAll {
        $root = New-SampleRoot 'repair'
        $results = Repair-ContainerLogLink -Root $root -ErrorVariable refusals -ErrorAction SilentlyContinue
    }

    It 'creates the missing links and replaces the stale one' {
        Assert-ExpectedRepairs $results $root
        $results | ForEach-Object { $_ | Should -BeOfType ([PodLogs.Core.LinkRepairResult]) }
    }

    It 'writes node-absolute targets (no -Root prefix), as kubelet would have' {
        foreach ($r in $results) {
            $r.Target | Should -Match '^/var/'
            $r.Target.StartsWith($root) | Should -BeFalse
            $r.FullName | Should -BeExactly (Get-Local $root $r.NodePath)
            Get-LinkText $r.FullName | Should -BeExactly $r.Target -Because 'the link on disk holds exactly the reported text'
            $r.PSPath | Should -BeExactly ('Microsoft.PowerShell.Core\FileSystem::' + $r.FullName)
        }
    }

    It 'names the container and the runtime state each target came from' {
        $created = $results | Where-Object NodePath -Like '*/6.log'
        $created.ContainerId | Should -BeExactly $Sample.Reloader6
        $created.RestartCount | Should -Be 6
        $created.ContainerName | Should -BeExactly 'stakater-reloader'
        $created.Namespace | Should -BeExactly 'default'
        $created.Source | Should -BeExactly 'DockerFiles'
    }

    It 'refuses only the forger pod, with stable ErrorIds' {
        [string[]]($refusals | ForEach-Object { $_.FullyQualifiedErrorId.Split(',')[0] }) | Sort-Object | Should -Be @('LabelPathMismatch', 'LinkTargetMissing')
    }

    It 'leaves no temporary link behind' {
        Get-ChildItem -LiteralPath (Get-Local $root '/var/log') -Recurse -Force -Filter '.podlogs-*' | Should -BeNullOrEmpty
    }

    It 'leaves the repaired namespaces healthy' {
        Test-ContainerLogLink -Root $root -Namespace istio-system, kube-system, monitoring | Should -BeTrue
        Test-ContainerLogLink -Root $root -Namespace default -PodName 'stakater-*' | Should -BeTrue
        Get-ContainerLogLink -Root $root -Namespace default -PodName 'stakater-*' | ForEach-Object { $_.Status | Should -Be 'Healthy' }
    }

    It 'produces nothing on a second run and changes nothing' {
        $before = Get-TreeSnapshot $root
        $again = Repair-ContainerLogLink -Root $root -ErrorAction SilentlyContinue
        $again | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }
}

Describe 'Repair-ContainerLogLink by name' {
    It 'repairs one pod named with -Namespace and -PodName' {
        $root = New-SampleRoot 'byname'
        $results = Repair-ContainerLogLink -Root $root -Namespace default -PodName stakater-reloader-598f958967-ddkl7
        [string[]]$results.Action | Should -Be @('Created', 'Created')
        [string[]]$results.Kind | Should -Be @('PodLog', 'Legacy') -Because 'the N.log comes first: the legacy link needs its target'
        Test-ContainerLogLink -Root $root -Namespace default -PodName stakater-reloader-598f958967-ddkl7 | Should -BeTrue
        Test-ContainerLogLink -Root $root -Namespace istio-system | Should -BeFalse -Because 'other pods were not selected'
    }

    It 'repairs one container named with -ContainerName' {
        $root = New-SampleRoot 'bycontainer'
        $results = Repair-ContainerLogLink -Root $root -ContainerName 'istio-*'
        @($results).Count | Should -Be 1
        $results.Action | Should -Be 'Replaced'
        $results.NodePath | Should -BeExactly "$($Sample.IstioDir)/istio-proxy/4.log"
        Test-ContainerLogLink -Root $root -Namespace istio-system | Should -BeTrue
    }

    It 'repairs one instance named with -ContainerId (<Id>)' -ForEach @(
        @{ Id = 'e9bc97e0' }
        @{ Id = 'docker://e9bc97e0cdd1e4258f17bb18db976ac371860103b861529cb690005ada97d153' }
    ) {
        $root = New-SampleRoot 'byid'
        $results = Repair-ContainerLogLink -Root $root -ContainerId $Id
        @($results).Count | Should -Be 1
        $results.NodePath | Should -BeExactly "$($Sample.ReloaderDir)/stakater-reloader/6.log"
        (Get-ContainerLogLink -Root $root -ContainerId $Id).Status | Sort-Object -Unique | Should -Be 'Healthy' -Because 'the dangling legacy link of restart 6 resolves again'
    }

    It 'accepts -Confirm:$false without prompting' {
        $root = New-SampleRoot 'confirm'
        (Repair-ContainerLogLink -Root $root -ContainerName istio-proxy -Confirm:$false).Action | Should -Be 'Replaced'
    }
}

Describe 'Repair-ContainerLogLink from the pipeline' {
    It 'repairs the entries piped from Get-ContainerLogLink' {
        $root = New-SampleRoot 'pipe'
        $results = Get-ContainerLogLink -Root $root -Namespace istio-system | Repair-ContainerLogLink -Root $root
        @($results).Count | Should -Be 1
        $results.Action | Should -Be 'Replaced'
        $results.Target | Should -BeExactly (Get-DockerJsonLog $Sample.Istio4)
    }

    It 'repairs the pods piped from Get-PodLogDirectory' {
        $root = New-SampleRoot 'pipepods'
        $results = Get-PodLogDirectory -Root $root -Namespace default -PodName 'stakater-*' | Repair-ContainerLogLink -Root $root
        [string[]]$results.NodePath | Should -Be @($Sample.ExpectedRepairs[0].NodePath, $Sample.ExpectedRepairs[2].NodePath)
    }

    It 'repairs only the piped entry when one entry of a pod is piped' {
        $root = New-SampleRoot 'pipeone'
        $six = Get-ContainerLogLink -Root $root -ContainerId e9bc97e0 | Where-Object Kind -EQ PodLog
        $results = $six | Repair-ContainerLogLink -Root $root
        @($results).Count | Should -Be 1
        $results.NodePath | Should -BeExactly $six.NodePath
        (Get-ContainerLogLink -Root $root -ContainerId c73e273f | Where-Object Kind -EQ Legacy).Status | Should -Be 'Missing' -Because 'restart 7''s legacy link was not piped'
    }

    It 'ignores healthy entries piped in (nothing to do, no error)' {
        $root = New-SampleRoot 'pipehealthy'
        $before = Get-TreeSnapshot $root
        $results = Get-ContainerLogLink -Root $root -Namespace kube-system, monitoring | Repair-ContainerLogLink -Root $root -ErrorVariable errors
        $results | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }
}

Describe 'Repair-ContainerLogLink -Force (a pod directory kubelet already removed)' {
    BeforeAll {
        $root = New-SampleRoot 'force'
        $podDir = Get-Local $root $Sample.ApiServerDir
        Remove-Item -LiteralPath $podDir -Recurse -Force
    }

    It 'refuses without -Force (PodDirectoryRemoved) and creates nothing' {
        $before = Get-TreeSnapshot $root
        $results = Repair-ContainerLogLink -Root $root -Namespace kube-system -PodName kube-apiserver-node-1 -ErrorVariable errors -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $removed = $errors | Where-Object FullyQualifiedErrorId -Like 'PodDirectoryRemoved,*'
        @($removed).Count | Should -Be 1
        Assert-PodLogsError $removed -ErrorId PodDirectoryRemoved -Category ObjectNotFound -TargetObject (Get-Local $root "$($Sample.ApiServerDir)/kube-apiserver/0.log")
        Test-Path -LiteralPath $podDir | Should -BeFalse
        Compare-TreeSnapshot $before (Get-TreeSnapshot $root) | Should -BeNullOrEmpty
    }

    It 'recreates the pod directory and the link with -Force' {
        $results = Repair-ContainerLogLink -Root $root -Namespace kube-system -PodName kube-apiserver-node-1 -Force
        @($results).Count | Should -Be 1
        $results.Action | Should -Be 'Created'
        $results.NodePath | Should -BeExactly "$($Sample.ApiServerDir)/kube-apiserver/0.log"
        Get-LinkText $results.FullName | Should -BeExactly (Get-DockerJsonLog $Sample.ApiServerId)
        Test-ContainerLogLink -Root $root -Namespace kube-system | Should -BeTrue -Because 'the legacy link resolves again through the recreated 0.log'
    }
}
