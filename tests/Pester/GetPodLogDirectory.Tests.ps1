BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'getpod'
}

Describe 'Get-PodLogDirectory parameter sets' {
    BeforeAll { $command = Get-Command Get-PodLogDirectory }

    It 'has ByName as the default set and ByInputObject for pipeline input' {
        $command.DefaultParameterSet | Should -Be 'ByName'
        $command.ParameterSets.Name | Should -Be @('ByName', 'ByInputObject') -Because 'exactly these two sets exist'
    }

    It 'takes -PodName by position' {
        $command.Parameters['PodName'].ParameterSets['ByName'].Position | Should -Be 0
    }

    It 'takes -InputObject from the pipeline, mandatory in its set' {
        $set = $command.Parameters['InputObject'].ParameterSets['ByInputObject']
        $set.ValueFromPipeline | Should -BeTrue
        $set.IsMandatory | Should -BeTrue
    }

    It 'declares PodLogDirectory as its output type, and OrphanedLegacyLink for -Orphaned' {
        $command.OutputType.Type | Should -Be ([PodLogs.Core.PodLogDirectory], [PodLogs.Core.OrphanedLegacyLink])
    }

    It '-<Parameter> has alias <Alias>' -ForEach @(
        @{ Parameter = 'Namespace'; Alias = 'Ns' }
        @{ Parameter = 'PodName'; Alias = 'Name' }
        @{ Parameter = 'PodName'; Alias = 'Pod' }
        @{ Parameter = 'PodUid'; Alias = 'Uid' }
    ) {
        $command.Parameters[$Parameter].Aliases | Should -Contain $Alias
    }

    It 'refuses names together with -InputObject (no set has both)' {
        $pod = [pscustomobject]@{ Namespace = 'default'; PodName = 'x'; PodUid = '2681cb7f-daa4-4620-bb60-1d449709181c' }
        { Get-PodLogDirectory -Root $root -Namespace default -InputObject $pod } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }
}

Describe 'Get-PodLogDirectory computes one pod exactly like kubelet' {
    Context 'the article''s pod default/stakater-reloader-598f958967-ddkl7' {
        BeforeAll {
            $dir = Get-PodLogDirectory -Root $root -Namespace default -PodName stakater-reloader-598f958967-ddkl7 -PodUid 2681cb7f-daa4-4620-bb60-1d449709181c
        }

        It 'returns one PodLogDirectory record' {
            @($dir).Count | Should -Be 1
            $dir | Should -BeOfType ([PodLogs.Core.PodLogDirectory])
        }

        It 'names the directory <namespace>_<pod>_<uid> under /var/log/pods' {
            $dir.NodePath | Should -BeExactly '/var/log/pods/default_stakater-reloader-598f958967-ddkl7_2681cb7f-daa4-4620-bb60-1d449709181c'
        }

        It 'carries the identity, the layout and the local path under -Root' {
            $dir.Namespace | Should -BeExactly 'default'
            $dir.PodName | Should -BeExactly 'stakater-reloader-598f958967-ddkl7'
            $dir.PodUid | Should -BeExactly '2681cb7f-daa4-4620-bb60-1d449709181c'
            $dir.IsStaticPod | Should -BeFalse
            $dir.Layout | Should -Be 'Current'
            $dir.NameTooLong | Should -BeFalse
            $dir.FullName | Should -BeExactly (Get-Local $root $dir.NodePath)
        }

        It 'exists, lists its container and counts only regular files (it holds links)' {
            $dir.Exists | Should -BeTrue
            $dir.Containers | Should -Be @('stakater-reloader')
            $dir.TotalBytes | Should -Be 0
            $dir.LastWriteTime | Should -Not -BeNullOrEmpty
        }

        It 'has a PSPath naming the directory itself' {
            $dir.PSPath | Should -BeExactly ('Microsoft.PowerShell.Core\FileSystem::' + $dir.FullName)
            Test-Path -LiteralPath $dir.PSPath -PathType Container | Should -BeTrue
        }

        It 'gives the same record through the aliases -Ns -Name -Uid' {
            $aliased = Get-PodLogDirectory -Root $root -Ns default -Name stakater-reloader-598f958967-ddkl7 -Uid 2681cb7f-daa4-4620-bb60-1d449709181c
            $aliased.NodePath | Should -BeExactly $dir.NodePath
            $aliased.Exists | Should -BeTrue
        }

        It 'gives the same record through the alias -Pod' {
            (Get-PodLogDirectory -Root $root -Ns default -Pod stakater-reloader-598f958967-ddkl7 -Uid 2681cb7f-daa4-4620-bb60-1d449709181c).NodePath |
                Should -BeExactly $dir.NodePath
        }

        It 'accepts the uid in upper case and records it lower case' {
            $upper = Get-PodLogDirectory -Root $root -Namespace default -PodName stakater-reloader-598f958967-ddkl7 -PodUid 2681CB7F-DAA4-4620-BB60-1D449709181C
            $upper.PodUid | Should -BeExactly '2681cb7f-daa4-4620-bb60-1d449709181c'
            $upper.Exists | Should -BeTrue
        }
    }

    Context 'a pod that does not exist on this node' {
        It 'computes the record with Exists false, PSPath the absent directory under -Root, and no error' {
            $dir = Get-PodLogDirectory -Root $root -Namespace default -PodName web-7d9f8b6c5-abcde -PodUid 11111111-2222-4333-8444-555555555555 -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
            $dir.NodePath | Should -BeExactly '/var/log/pods/default_web-7d9f8b6c5-abcde_11111111-2222-4333-8444-555555555555'
            $dir.FullName | Should -BeExactly (Get-Local $root $dir.NodePath)
            $dir.Exists | Should -BeFalse
            $dir.PSPath | Should -BeExactly ('Microsoft.PowerShell.Core\FileSystem::' + $dir.FullName) -Because 'a null PSPath made PowerShell bind the node path (issue #10 item 1)'
            "$dir" | Should -BeExactly $dir.FullName
            $dir.Containers | Should -BeNullOrEmpty
            $dir.TotalBytes | Should -Be 0
            Test-Path -LiteralPath $dir.FullName | Should -BeFalse -Because 'computing a path creates nothing'
        }

        It 'says Exists false for an existing pod name with another uid (a recreated pod)' {
            $dir = Get-PodLogDirectory -Root $root -Namespace default -PodName stakater-reloader-598f958967-ddkl7 -PodUid 99999999-2222-4333-8444-555555555555
            $dir.Exists | Should -BeFalse
        }

        It 'flags a name over 255 bytes (kubernetes#80042) with a warning' {
            $ns = 'n' * 63
            $pod = (('a' * 60 + '.') * 4) + ('b' * 9)
            $dir = Get-PodLogDirectory -Root $root -Namespace $ns -PodName $pod -PodUid 11111111-2222-4333-8444-555555555555 -WarningVariable warnings -WarningAction SilentlyContinue
            $dir.NameTooLong | Should -BeTrue
            $dir.Exists | Should -BeFalse
            $warnings | Should -Not -BeNullOrEmpty
        }
    }

    Context 'a static pod (uid = kubelet''s 32-hex manifest hash)' {
        It 'marks it static and finds it' {
            $dir = Get-PodLogDirectory -Root $root -Namespace kube-system -PodName kube-apiserver-node-1 -PodUid 3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09
            $dir.IsStaticPod | Should -BeTrue
            $dir.Exists | Should -BeTrue
            $dir.NodePath | Should -BeExactly '/var/log/pods/kube-system_kube-apiserver-node-1_3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09'
        }
    }
}

Describe 'Get-PodLogDirectory scans with names and wildcards' {
    It 'lists every pod directory with no selection' {
        $all = Get-PodLogDirectory -Root $root
        $all.Count | Should -Be $Sample.PodCount
        $all.Exists | Should -Not -Contain $false
        ($all.Namespace | Sort-Object -Unique) | Should -Be $Sample.Namespaces
    }

    It 'matches -Namespace with wildcards' {
        $kube = Get-PodLogDirectory -Root $root -Namespace 'kube-*'
        ($kube.PodName | Sort-Object) | Should -Be @('coredns-5d78c9869d-x7k2p', 'kube-apiserver-node-1')
    }

    It 'matches several namespaces' {
        (Get-PodLogDirectory -Root $root -Namespace istio-system, monitoring).Namespace | Should -Be @('istio-system', 'monitoring')
    }

    It 'matches -PodName with wildcards' {
        (Get-PodLogDirectory -Root $root -PodName '*reloader*').PodName | Should -Be @('stakater-reloader-598f958967-ddkl7')
    }

    It 'takes the pod name positionally' {
        (Get-PodLogDirectory -Root $root 'coredns-*').PodUid | Should -Be @('8f14e45f-ceea-467f-a0e6-cb4b4b31c0b5')
    }

    It 'finds a pod by -PodUid alone' {
        (Get-PodLogDirectory -Root $root -PodUid 2681cb7f-daa4-4620-bb60-1d449709181c).PodName | Should -Be @('stakater-reloader-598f958967-ddkl7')
    }

    It 'combines -Namespace and -PodName' {
        @(Get-PodLogDirectory -Root $root -Namespace default -PodName 'log-*').PodName | Should -Be @('log-forger-6d4b8c7f9-qrx5z')
        @(Get-PodLogDirectory -Root $root -Namespace kube-system -PodName 'log-*') | Should -BeNullOrEmpty
    }

    It 'returns nothing and no error when a wildcard matches nothing' {
        $found = Get-PodLogDirectory -Root $root -PodName 'nothing-like-this-*' -ErrorVariable errors
        $found | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }
    It 'names each value without wildcards that matched nothing, once: -PodUid <Uid>' -ForEach @(
        @{ Uid = '0d1e2f3a-4b5c-4d6e-8f70-000000000000' }
    ) {
        $found = Get-PodLogDirectory -Root $root -Namespace kube-system, nosuch -PodUid $Uid -ErrorVariable errors -ErrorAction SilentlyContinue
        $found | Should -BeNullOrEmpty
        [string[]]$errors.TargetObject | Sort-Object | Should -Be @($Uid, 'nosuch')
        $errors.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'SelectionNotFound,*' }
    }

    It 'a pod named exactly (namespace, name, uid) is computed, not a miss, even when its directory does not exist' {
        $dir = Get-PodLogDirectory -Root $root -Namespace shop -PodName web-1 -PodUid 0b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e -ErrorVariable errors
        $dir.Exists | Should -BeFalse
        $errors | Should -BeNullOrEmpty
    }
}

Describe 'Get-PodLogDirectory -InputObject' {
    It 'takes its own record as -InputObject' {
        $coredns = Get-PodLogDirectory -Root $root -PodName 'coredns-*'
        $again = Get-PodLogDirectory -Root $root -InputObject $coredns
        $again.NodePath | Should -BeExactly $coredns.NodePath
        $again.Exists | Should -BeTrue
    }

    It 'takes a ContainerLogLink record from the pipeline' {
        $link = Get-ContainerLogLink -Root $root -ContainerId $Sample.Istio3 | Where-Object Kind -EQ PodLog
        ($link | Get-PodLogDirectory -Root $root).NodePath | Should -BeExactly $Sample.IstioDir
    }

    It 'takes any object with Namespace, PodName and PodUid properties' {
        $dir = [pscustomobject]@{ Namespace = 'istio-system'; PodName = 'istio-ingressgateway-c694cfd-cgk2n'; PodUid = 'c6ea97b6-d858-4c4c-8d83-17477599aebf' } | Get-PodLogDirectory -Root $root
        $dir.NodePath | Should -BeExactly $Sample.IstioDir
        $dir.Exists | Should -BeTrue
    }

    It 'emits one record per input pod, in order' {
        $pods = Get-PodLogDirectory -Root $root -Namespace kube-system
        ($pods | Get-PodLogDirectory -Root $root).NodePath | Should -Be $pods.NodePath
    }
}
