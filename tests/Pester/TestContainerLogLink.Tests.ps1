BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'test'
}

Describe 'Test-ContainerLogLink' {
    It 'declares [bool] as its output type' {
        (Get-Command Test-ContainerLogLink).OutputType.Type | Should -Be ([bool])
    }

    It 'returns exactly one [bool] $true for a healthy namespace' {
        $result = @(Test-ContainerLogLink -Root $root -Namespace kube-system)
        $result.Count | Should -Be 1
        $result[0] | Should -BeOfType ([bool])
        $result[0] | Should -BeTrue
    }

    It 'returns exactly one [bool] $false for a broken namespace' {
        $result = @(Test-ContainerLogLink -Root $root -Namespace istio-system)
        $result.Count | Should -Be 1
        $result[0] | Should -BeOfType ([bool])
        $result[0] | Should -BeFalse
    }

    It 'reads naturally in Pester: | Should -BeTrue' {
        Test-ContainerLogLink -Root $root -Namespace istio-system -ContainerName istio-proxy -ContainerId $Sample.Istio3 | Should -BeTrue
        Test-ContainerLogLink -Root $root -Namespace kube-system, monitoring | Should -BeTrue
    }

    It 'is $false for the whole sample node' {
        Test-ContainerLogLink -Root $root | Should -BeFalse
    }

    It 'is $false for one broken instance picked by -ContainerId, $true for a healthy one' {
        Test-ContainerLogLink -Root $root -ContainerId $Sample.Reloader6 | Should -BeFalse
        Test-ContainerLogLink -Root $root -ContainerId $Sample.Reloader1 | Should -BeTrue
    }

    It 'takes the aliases -Ns -Pod -Uid' {
        Test-ContainerLogLink -Root $root -Ns default -Pod stakater-reloader-598f958967-ddkl7 -Uid $Sample.ReloaderUid | Should -BeFalse
    }

    It 'says in its verbose stream which entries are not healthy' {
        $verbose = Test-ContainerLogLink -Root $root -Namespace istio-system -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        ($verbose.Message | Where-Object { $_ -like 'Stale: *' }).Count | Should -Be 2
    }

    It 'warns when nothing matched the selection' {
        $null = Test-ContainerLogLink -Root $root -Namespace 'no-such-*' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Not -BeNullOrEmpty
    }

    Context 'from the pipeline' {
        It 'returns one $true for several healthy pods' {
            $result = @(Get-PodLogDirectory -Root $root -Namespace kube-system | Test-ContainerLogLink -Root $root)
            $result.Count | Should -Be 1
            $result[0] | Should -BeTrue
        }

        It 'returns one $false when any piped pod is broken' {
            $result = @(Get-PodLogDirectory -Root $root -Namespace kube-system, istio-system | Test-ContainerLogLink -Root $root)
            $result.Count | Should -Be 1
            $result[0] | Should -BeFalse
        }
    }

    Context 'after a repair' {
        It 'turns $false into $true for the repaired namespace' {
            $node = New-SampleRoot 'test-repair'
            Test-ContainerLogLink -Root $node -Namespace istio-system | Should -BeFalse
            $null = Repair-ContainerLogLink -Root $node -Namespace istio-system
            Test-ContainerLogLink -Root $node -Namespace istio-system | Should -BeTrue
        }
    }
}
