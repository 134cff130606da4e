BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'test'
}

Describe 'Test-ContainerLogLink' {
    It 'declares [bool] as its output type (and the summary, for -Detailed)' {
        (Get-Command Test-ContainerLogLink).OutputType.Type | Should -Be @([bool], [PodLogs.Core.ContainerLogLinkTestResult])
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

    It 'warns when nothing matched the selection, and is $false: nothing was checked' {
        $result = Test-ContainerLogLink -Root $root -Namespace 'no-such-*' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Not -BeNullOrEmpty
        $result | Should -BeFalse
    }

    It 'is $false for a node with no entries at all' {
        $empty = Join-Path $TestDrive 'empty-node'
        New-Item -ItemType Directory -Path "$empty/var/log/pods", "$empty/var/log/containers" -Force | Out-Null
        Test-ContainerLogLink -Root $empty -WarningAction SilentlyContinue | Should -BeFalse
    }

    It 'is $false when one of the names matched nothing, even if the rest is healthy' {
        Test-ContainerLogLink -Root $root -Namespace kube-system, kube-sytem -ErrorAction SilentlyContinue | Should -BeFalse
    }

    Context 'when part of the node could not be read' {
        It 'is $false when runtime state that exists cannot be read (DockerStateUnreadable), with the error' {
            $node = New-SampleRoot 'test-unreadable-state'
            Test-ContainerLogLink -Root $node -Namespace kube-system -Source DockerFiles | Should -BeTrue
            # Another pod's state: the verdicts on kube-system stay Healthy, only the error says the state was not all read.
            $config = Join-Path (Split-Path (Get-Local $node (Get-DockerJsonLog $Sample.Istio3))) 'config.v2.json'
            Set-Content -LiteralPath $config -Value '{ "ID": '
            (Get-ContainerLogLink -Root $node -Namespace kube-system -Source DockerFiles -ErrorAction SilentlyContinue).Status | Sort-Object -Unique | Should -Be 'Healthy'
            $result = Test-ContainerLogLink -Root $node -Namespace kube-system -Source DockerFiles -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors.FullyQualifiedErrorId | Should -BeLike 'DockerStateUnreadable,*'
            $result | Should -BeFalse
        }

        It 'is $false when -Cluster was asked and the API could not be reached, with its error and warning' {
            $kubeconfig = Join-Path $TestDrive 'unreachable.conf'
            Set-Content -LiteralPath $kubeconfig -Value @"
apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: https://127.0.0.1:1
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: t
contexts:
- name: x
  context:
    cluster: c
    user: u
current-context: x
"@
            $result = Test-ContainerLogLink -Root $root -Namespace kube-system -Kubeconfig $kubeconfig -NodeName node-1 -TimeoutSec 2 -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warned -WarningAction SilentlyContinue
            $errors | Should -Not -BeNullOrEmpty
            "$warned" | Should -BeLike '*API could not be asked*'
            $result | Should -BeFalse
        }
    }

    Context '-Detailed' {
        It 'returns one summary that says why' {
            $result = @(Test-ContainerLogLink -Root $root -Namespace istio-system -Detailed)
            $result.Count | Should -Be 1
            $r = $result[0]
            $r | Should -BeOfType ([PodLogs.Core.ContainerLogLinkTestResult])
            $r.Passed | Should -BeFalse
            $r.Checked | Should -Be (@(Get-ContainerLogLink -Root $root -Namespace istio-system).Count)
            $r.StatusCounts.Stale | Should -Be 2
            $r.StatusCounts.Healthy + $r.StatusCounts.Stale | Should -Be $r.Checked
            $r.Unreadable | Should -Be 0
            @($r.Failures).Count | Should -Be 2
            $r.Failures.Status | Should -Be @('Stale', 'Stale')
            foreach ($f in $r.Failures) { "$r" | Should -BeLike "*Stale: $($f.NodePath): *" }
        }

        It 'reads in Pester as (...).Passed | Should -BeTrue -Because "$result", and the message shows the failures' {
            $r = Test-ContainerLogLink -Root $root -Namespace istio-system -Detailed
            $message = try { $r.Passed | Should -BeTrue -Because "$r"; '' } catch { $_.Exception.Message }
            $message | Should -BeLike "*$($r.Failures[0].NodePath)*"
            (Test-ContainerLogLink -Root $root -Namespace kube-system -Detailed).Passed | Should -BeTrue
        }

        It 'counts what could not be read as Unreadable, and lists its error' {
            $node = New-SampleRoot 'test-detailed-unreadable'
            $config = Join-Path (Split-Path (Get-Local $node (Get-DockerJsonLog $Sample.Istio3))) 'config.v2.json'
            Set-Content -LiteralPath $config -Value '{ "ID": '
            $r = Test-ContainerLogLink -Root $node -Namespace kube-system -Source DockerFiles -Detailed -ErrorAction SilentlyContinue
            $r.Passed | Should -BeFalse
            $r.Unreadable | Should -Be 1
            "$r" | Should -BeLike '*DockerStateUnreadable: *'
        }

        It 'is a summary with Checked 0 for an empty selection' {
            $r = Test-ContainerLogLink -Root $root -Namespace 'no-such-*' -Detailed -WarningAction SilentlyContinue
            $r.Passed | Should -BeFalse
            $r.Checked | Should -Be 0
            "$r" | Should -BeLike '*nothing matched*'
        }

        It 'has a list view that shows the verdict and the failures' {
            $text = Test-ContainerLogLink -Root $root -Namespace istio-system -Detailed | Out-String -Width 200
            $text | Should -Match 'Passed\s+: False'
            $text | Should -Match 'Checked\s+: \d+'
            $text | Should -Match 'StatusCounts\s+: .*Stale 2'
            $text | Should -Match 'Failures\s+: Stale: '
        }
    }

    Context '-Status and -IgnoreTransient' {
        It '-Status names the statuses that pass' {
            Test-ContainerLogLink -Root $root -Namespace istio-system -Status Healthy, Stale | Should -BeTrue
            Test-ContainerLogLink -Root $root -Namespace istio-system -Status Healthy | Should -BeFalse
            (Test-ContainerLogLink -Root $root -Namespace istio-system -Status Healthy, Stale -Detailed).PassingStatus | Should -Be @('Healthy', 'Stale')
        }

        It '-IgnoreTransient does not excuse entries that are not transient' {
            Test-ContainerLogLink -Root $root -Namespace istio-system -IgnoreTransient | Should -BeFalse
            (Test-ContainerLogLink -Root $root -Namespace istio-system -IgnoreTransient -Detailed).IgnoredTransient | Should -Be 0
        }
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
