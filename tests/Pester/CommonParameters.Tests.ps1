BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
}

Describe 'The module surface' {
    It 'exports exactly the eleven cmdlets' {
        (Get-Command -Module PodLogs).Name | Sort-Object |
            Should -Be @('Export-PodLogMetric', 'Get-ContainerLog', 'Get-ContainerLogHandle', 'Get-ContainerLogLink', 'Get-PodLogDirectory', 'Measure-PodLog', 'New-PodLogSampleNode', 'Remove-ContainerLogLink', 'Remove-PodLogDirectory', 'Repair-ContainerLogLink', 'Test-ContainerLogLink')
    }

    It '<Command> has -<Parameter> (<Type>) in every parameter set' -ForEach @(
        foreach ($command in 'Get-PodLogDirectory', 'Get-ContainerLogLink', 'Get-ContainerLog', 'Get-ContainerLogHandle', 'Measure-PodLog', 'Export-PodLogMetric', 'Remove-ContainerLogLink', 'Remove-PodLogDirectory', 'Repair-ContainerLogLink', 'Test-ContainerLogLink') {
            foreach ($parameter in 'Root', 'PodLogsDirectory', 'ContainerLogsDirectory', 'DockerDataRoot', 'KubeletConfigPath') {
                @{ Command = $command; Parameter = $parameter; Type = 'string' }
            }
        }
    ) {
        $command = Get-Command $Command
        $p = $command.Parameters[$Parameter]
        $p | Should -Not -BeNullOrEmpty
        $p.ParameterType | Should -Be ([string])
        # -Root is declared per set (it binds by property name in the pipeline set only): in every set all the same.
        foreach ($set in $command.ParameterSets) {
            $set.Parameters.Name | Should -Contain $Parameter -Because "-$Parameter belongs to the $($set.Name) set too"
        }
    }

    It '<Command> has the selection vocabulary with its aliases' -ForEach @(
        @{ Command = 'Get-PodLogDirectory' }
        @{ Command = 'Get-ContainerLogLink' }
        @{ Command = 'Get-ContainerLog' }
        @{ Command = 'Repair-ContainerLogLink' }
        @{ Command = 'Test-ContainerLogLink' }
        @{ Command = 'Measure-PodLog' }
        @{ Command = 'Export-PodLogMetric' }
        @{ Command = 'Remove-PodLogDirectory' }
        @{ Command = 'Remove-ContainerLogLink' }
    ) {
        $parameters = (Get-Command $Command).Parameters
        $parameters['ContainerLogsDirectory'].Aliases | Should -Contain 'LegacyLinkDirectory'
        $parameters['Namespace'].Aliases | Should -Contain 'Ns'
        $parameters['PodName'].Aliases | Should -Be @('Name', 'Pod')
        $parameters['PodUid'].Aliases | Should -Contain 'Uid'
        $parameters['PodName'].ParameterSets['ByName'].Position | Should -Be 0
        $parameters['InputObject'].ParameterSets['ByInputObject'].ValueFromPipeline | Should -BeTrue
    }
}

Describe '-Root' {
    It 'defaults to / (the node this runs on)' {
        # Read from the parameter's declared default: nothing is run against the real /var/log.
        $type = (Get-Command Get-ContainerLogLink).ImplementingType
        $type::new().Root | Should -Be '/'
    }

    It 'resolves a relative -Root against the current location' {
        $root = New-SampleRoot 'relative'
        Push-Location -LiteralPath (Split-Path $root)
        try { $dirs = Get-PodLogDirectory -Root "./$(Split-Path -Leaf $root)" }
        finally { Pop-Location }
        $dirs.Count | Should -Be $Sample.PodCount
        $dirs[0].FullName | Should -BeExactly (Get-Local $root $dirs[0].NodePath)
    }

    It 'accepts a trailing slash' {
        $root = New-SampleRoot 'slash'
        (Get-PodLogDirectory -Root "$root/").FullName | ForEach-Object { $_ | Should -Not -Match '//' }
    }
}

Describe 'Node layout overrides' {
    Context '-PodLogsDirectory' {
        BeforeAll {
            $root = New-SampleRoot 'podlogsdir'
            New-Item -ItemType Directory -Path (Get-Local $root '/srv') | Out-Null
            Move-Item -LiteralPath (Get-Local $root '/var/log/pods') -Destination (Get-Local $root '/srv/pods')
        }

        It 'finds the pod directories where it says' {
            $dirs = Get-PodLogDirectory -Root $root -PodLogsDirectory /srv/pods
            $dirs.Count | Should -Be $Sample.PodCount
            $dirs.NodePath | ForEach-Object { $_ | Should -BeLike '/srv/pods/*' }
        }

        It 'computes one pod''s directory there' {
            (Get-PodLogDirectory -Root $root -PodLogsDirectory /srv/pods -Namespace default -PodName $Sample.ReloaderPod -PodUid $Sample.ReloaderUid).Exists | Should -BeTrue
        }

        It 'inspects the links there' {
            $links = Get-ContainerLogLink -Root $root -PodLogsDirectory /srv/pods -Namespace kube-system -Status Healthy
            ($links | Where-Object Kind -EQ PodLog).NodePath | ForEach-Object { $_ | Should -BeLike '/srv/pods/*' }
        }

        It 'finds nothing at the default place without it' {
            Get-PodLogDirectory -Root $root | Should -BeNullOrEmpty
        }
    }

    Context 'podLogsDir in the kubelet configuration, and -KubeletConfigPath' {
        BeforeAll {
            $root = New-SampleRoot 'kubeletconfig'
            New-Item -ItemType Directory -Path (Get-Local $root '/srv') | Out-Null
            Move-Item -LiteralPath (Get-Local $root '/var/log/pods') -Destination (Get-Local $root '/srv/pods')
        }

        It 'reads podLogsDir from /var/lib/kubelet/config.yaml under -Root' {
            Set-Content -LiteralPath (Get-Local $root '/var/lib/kubelet/config.yaml') -Value "apiVersion: kubelet.config.k8s.io/v1beta1`nkind: KubeletConfiguration`npodLogsDir: /srv/pods"
            (Get-PodLogDirectory -Root $root).Count | Should -Be $Sample.PodCount
        }

        It 'reads the file named by -KubeletConfigPath instead' {
            Set-Content -LiteralPath (Get-Local $root '/var/lib/kubelet/config.yaml') -Value 'kind: KubeletConfiguration'
            New-Item -ItemType Directory -Path (Get-Local $root '/etc/kubernetes') -Force | Out-Null
            Set-Content -LiteralPath (Get-Local $root '/etc/kubernetes/kubelet-config.yaml') -Value "podLogsDir: '/srv/pods'"
            Get-PodLogDirectory -Root $root | Should -BeNullOrEmpty
            (Get-PodLogDirectory -Root $root -KubeletConfigPath /etc/kubernetes/kubelet-config.yaml).Count | Should -Be $Sample.PodCount
        }

        It 'lets -PodLogsDirectory win over the configuration' {
            $other = New-SampleRoot 'kubeletconfig-override'
            Set-Content -LiteralPath (Get-Local $other '/var/lib/kubelet/config.yaml') -Value 'podLogsDir: /nowhere'
            (Get-PodLogDirectory -Root $other -PodLogsDirectory /var/log/pods).Count | Should -Be $Sample.PodCount
        }
    }

    Context '-ContainerLogsDirectory (alias -LegacyLinkDirectory)' {
        BeforeAll {
            $root = New-SampleRoot 'legacydir'
            New-Item -ItemType Directory -Path (Get-Local $root '/srv') | Out-Null
            Move-Item -LiteralPath (Get-Local $root '/var/log/containers') -Destination (Get-Local $root '/srv/containers')
        }

        It 'reads the legacy links where <Name> says' -ForEach @(
            @{ Name = '-ContainerLogsDirectory'; Splat = @{ ContainerLogsDirectory = '/srv/containers' } }
            @{ Name = '-LegacyLinkDirectory'; Splat = @{ LegacyLinkDirectory = '/srv/containers' } }
        ) {
            $legacy = Get-ContainerLogLink -Root $root @Splat | Where-Object Kind -EQ Legacy
            $legacy.Count | Should -Be 12
            $legacy.NodePath | ForEach-Object { $_ | Should -BeLike '/srv/containers/*' }
            ($legacy | Where-Object Status -EQ Healthy).Count | Should -Be 8
        }

        It 'sees every legacy link as Missing at the default place' {
            $legacy = Get-ContainerLogLink -Root $root | Where-Object Kind -EQ Legacy
            [string[]]$legacy.Status | Sort-Object -Unique | Should -Be 'Missing'
        }

        It 'repairs there (and not in /var/log/containers)' {
            $results = Repair-ContainerLogLink -Root $root -LegacyLinkDirectory /srv/containers -ContainerId $Sample.Reloader7
            $results.NodePath | Should -BeExactly "/srv/containers/$($Sample.ReloaderPod)_default_stakater-reloader-$($Sample.Reloader7).log"
            Test-Path -LiteralPath (Get-Local $root '/var/log/containers') | Should -BeFalse
        }
    }

    Context '-DockerDataRoot' {
        BeforeAll {
            # The runtime state is somewhere else than /var/lib/docker (the links keep their text).
            $root = New-SampleRoot 'dataroot'
            New-Item -ItemType Directory -Path (Get-Local $root '/data') | Out-Null
            Move-Item -LiteralPath (Get-Local $root '/var/lib/docker') -Destination (Get-Local $root '/data/docker')
        }

        It 'reads docker''s state from it' {
            $links = Get-ContainerLogLink -Root $root -DockerDataRoot /data/docker -Namespace default -PodName 'stakater-*'
            $links.Source | Sort-Object -Unique | Should -Be 'DockerFiles'
            ($links | Where-Object Status -EQ Missing).Count | Should -Be 2
        }

        It 'has no runtime facts without it' {
            $links = Get-ContainerLogLink -Root $root -Namespace default -PodName 'stakater-*'
            $links.Source | Where-Object { $_ } | Should -BeNullOrEmpty
            $links | Where-Object Status -EQ Missing | Should -BeNullOrEmpty -Because 'Missing needs the runtime''s word'
        }

        It 'is also read from data-root in /etc/docker/daemon.json' {
            Set-Content -LiteralPath (Get-Local $root '/etc/docker/daemon.json') -Value '{ "data-root": "/data/docker", "log-driver": "json-file" }'
            (Get-ContainerLogLink -Root $root -Namespace default -PodName 'stakater-*').Source | Sort-Object -Unique | Should -Be 'DockerFiles'
        }
    }
}

Describe 'New-PodLogSampleNode' {
    It 'writes the sample into an empty directory and returns it' {
        $path = Join-Path $TestDrive 'fresh-sample'
        $dir = New-PodLogSampleNode -Path $path
        $dir | Should -BeOfType ([IO.DirectoryInfo])
        $dir.FullName | Should -BeExactly $path
        Test-Path -LiteralPath (Join-Path $path 'var/log/pods') -PathType Container | Should -BeTrue
    }

    It 'refuses a directory that is not empty (SampleRootNotEmpty)' {
        $path = New-SampleRoot 'notempty'
        $e = { New-PodLogSampleNode -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'SampleRootNotEmpty,*' -PassThru
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.TargetObject | Should -BeExactly $path
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif-sample'
        New-PodLogSampleNode -Path $path -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeFalse
    }
}
