BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'getlink'
    $all = Get-ContainerLogLink -Root $root
    function Find-Entry([string] $NodePath) { $all | Where-Object NodePath -EQ $NodePath }
}

Describe 'Get-ContainerLogLink parameters' {
    BeforeAll { $command = Get-Command Get-ContainerLogLink }

    It 'has ByName as the default set and ByInputObject for pipeline input' {
        $command.DefaultParameterSet | Should -Be 'ByName'
        $command.Parameters['InputObject'].ParameterSets['ByInputObject'].ValueFromPipeline | Should -BeTrue
    }

    It 'declares ContainerLogLink as its output type' {
        $command.OutputType.Type | Should -Be ([PodLogs.Core.ContainerLogLink])
    }

    It '-<Parameter> exists in both sets' -ForEach @(
        @{ Parameter = 'ContainerName' }
        @{ Parameter = 'ContainerId' }
    ) {
        $command.Parameters[$Parameter].ParameterSets.Keys | Sort-Object | Should -Be @('ByInputObject', 'ByName')
    }

    It '-ContainerId has alias Id; -Status takes LinkStatus values' {
        $command.Parameters['ContainerId'].Aliases | Should -Contain 'Id'
        $command.Parameters['Status'].ParameterType | Should -Be ([PodLogs.Core.LinkStatus[]])
    }
}

Describe 'Get-ContainerLogLink on the whole sample node' {
    It 'returns every entry as a ContainerLogLink record' {
        $all.Count | Should -Be $Sample.EntryCount
        $all | ForEach-Object { $_ | Should -BeOfType ([PodLogs.Core.ContainerLogLink]) }
    }

    It 'gives every record its local path under -Root and its node path' {
        foreach ($e in $all) {
            $e.NodePath | Should -Match '^/var/log/(pods|containers)/'
            $e.FullName | Should -BeExactly (Get-Local $root $e.NodePath)
        }
    }

    It 'reports the healthy docker link with its raw target, chain and owner' {
        $e = Find-Entry "$($Sample.ReloaderDir)/stakater-reloader/1.log"
        $e.Status | Should -Be 'Healthy'
        $e.Kind | Should -Be 'PodLog'
        $e.LinkType | Should -Be 'SymbolicLink'
        $e.Exists | Should -BeTrue
        $e.Target | Should -BeExactly (Get-DockerJsonLog $Sample.Reloader1)
        $e.ResolvedTarget | Should -BeExactly (Get-DockerJsonLog $Sample.Reloader1)
        $e.Chain.Count | Should -Be 1
        $e.ContainerId | Should -BeExactly $Sample.Reloader1
        $e.RestartCount | Should -Be 1
        $e.State | Should -Be 'Exited'
        $e.Namespace | Should -BeExactly 'default'
        $e.PodUid | Should -BeExactly $Sample.ReloaderUid
        $e.Source | Should -BeExactly 'DockerFiles'
        $e.PSPath | Should -BeExactly ('Microsoft.PowerShell.Core\FileSystem::' + $e.FullName)
    }

    It 'reports restart 6 Missing (kubelet restarted mid-start), with PSPath the absent entry under -Root' {
        $e = Find-Entry "$($Sample.ReloaderDir)/stakater-reloader/6.log"
        $e.Status | Should -Be 'Missing'
        $e.Exists | Should -BeFalse
        $e.LinkType | Should -Be 'None'
        $e.PSPath | Should -BeExactly ('Microsoft.PowerShell.Core\FileSystem::' + $e.FullName) -Because 'a null PSPath made PowerShell bind the node path (issue #10 item 1)'
        "$e" | Should -BeExactly $e.FullName
        $e.ContainerId | Should -BeExactly $Sample.Reloader6
    }

    It 'reports the legacy link of restart 6 Dangling' {
        $e = Find-Entry (Get-LegacyLinkPath $Sample.ReloaderPod default stakater-reloader $Sample.Reloader6)
        $e.Status | Should -Be 'Dangling'
        $e.Kind | Should -Be 'Legacy'
        $e.Target | Should -BeExactly "$($Sample.ReloaderDir)/stakater-reloader/6.log"
        $e.ResolvedTarget | Should -BeNullOrEmpty
        $e.Reason | Should -Not -BeNullOrEmpty
    }

    It 'reports the running restart 7''s legacy link Missing' {
        (Find-Entry (Get-LegacyLinkPath $Sample.ReloaderPod default stakater-reloader $Sample.Reloader7)).Status | Should -Be 'Missing'
    }

    It 'reports istio 4.log Stale (still linked to restart 3''s log), and its legacy link Stale' {
        $e = Find-Entry "$($Sample.IstioDir)/istio-proxy/4.log"
        $e.Status | Should -Be 'Stale'
        $e.Target | Should -BeExactly (Get-DockerJsonLog $Sample.Istio3)
        $e.ContainerId | Should -BeExactly $Sample.Istio4
        (Find-Entry (Get-LegacyLinkPath $Sample.IstioPod istio-system istio-proxy $Sample.Istio4)).Status | Should -Be 'Stale'
    }

    It 'reports the containerd-style coredns 0.log as a healthy regular file with its rotated siblings' {
        $e = Find-Entry "$($Sample.CorednsDir)/coredns/0.log"
        $e.Status | Should -Be 'Healthy'
        $e.LinkType | Should -Be 'File'
        $e.Target | Should -BeNullOrEmpty
        $e.ResolvedTarget | Should -BeExactly $e.NodePath
        $e.RotatedFiles.Count | Should -Be 2
        $e.TotalBytes | Should -BeGreaterThan 0
    }

    It 'reports the long pod''s legacy link healthy but truncated' {
        $e = $all | Where-Object { $_.Namespace -eq 'monitoring' -and $_.Kind -eq 'Legacy' }
        $e.Status | Should -Be 'Healthy'
        $e.IsTruncated | Should -BeTrue
    }

    It 'reports the forger''s entries Missing and names the distrusted label' {
        $e = Find-Entry "$($Sample.ForgerDir)/forger/0.log"
        $e.Status | Should -Be 'Missing'
        $e.Reason | Should -BeLike "*$($Sample.ForgedPath)*"
    }

    It 'reports exactly the sample''s deliberate breakage as not Healthy' {
        $broken = $all | Where-Object Status -NE Healthy | ForEach-Object { "$($_.Status) $($_.Kind) $($_.ContainerName) $($_.RestartCount)" } | Sort-Object
        $broken | Should -Be @(
            'Dangling Legacy stakater-reloader 6'
            'Missing Legacy forger 0'
            'Missing Legacy stakater-reloader 7'
            'Missing PodLog forger 0'
            'Missing PodLog stakater-reloader 6'
            'Stale Legacy istio-proxy 4'
            'Stale PodLog istio-proxy 4'
        )
    }
}

Describe 'Get-ContainerLogLink selection' {
    It '-Status keeps only entries with one of the statuses' {
        $selected = Get-ContainerLogLink -Root $root -Status Dangling, Missing, Stale
        $selected.Count | Should -Be 7
        [string[]]$selected.Status | Sort-Object -Unique | Should -Be @('Dangling', 'Missing', 'Stale')
    }

    It '-Status Healthy returns the rest' {
        (Get-ContainerLogLink -Root $root -Status Healthy).Count | Should -Be ($Sample.EntryCount - 7)
    }

    It '-ContainerName matches with wildcards' {
        $istio = Get-ContainerLogLink -Root $root -ContainerName 'istio*'
        $istio.Count | Should -Be 4
        $istio.ContainerName | Sort-Object -Unique | Should -Be 'istio-proxy'
    }

    It '-ContainerName takes several names' {
        (Get-ContainerLogLink -Root $root -ContainerName coredns, kube-apiserver).ContainerName | Sort-Object -Unique | Should -Be @('coredns', 'kube-apiserver')
    }

    It '-ContainerId <Id> selects restart 7''s entries' -ForEach @(
        @{ Id = 'c73e273f' }
        @{ Id = 'c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332' }
        @{ Id = 'docker://c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332' }
        @{ Id = 'docker://c73e273f' }
        @{ Id = 'C73E273F' }
    ) {
        $selected = Get-ContainerLogLink -Root $root -ContainerId $Id
        $selected.Count | Should -Be 2
        $selected.ContainerId | Sort-Object -Unique | Should -BeExactly $Sample.Reloader7
        ([string[]]$selected.Kind | Sort-Object) | Should -Be @('Legacy', 'PodLog')
    }

    It '-Id (alias) with a containerd:// prefix selects the coredns legacy link' {
        $selected = Get-ContainerLogLink -Root $root -Id 'containerd://a3f9c1e2b4d6'
        @($selected).Count | Should -Be 1
        $selected.Kind | Should -Be 'Legacy'
        $selected.ContainerId | Should -BeExactly $Sample.CorednsId
    }

    It '-Namespace, -PodName and -PodUid narrow to one pod (aliases -Ns -Pod -Uid)' {
        $byName = Get-ContainerLogLink -Root $root -Namespace istio-system -PodName 'istio-*' -PodUid $Sample.IstioUid
        $byAlias = Get-ContainerLogLink -Root $root -Ns istio-system -Pod 'istio-*' -Uid $Sample.IstioUid
        $byName.Count | Should -Be 4
        $byAlias.NodePath | Should -Be $byName.NodePath
        $byName.PodUid | Sort-Object -Unique | Should -BeExactly $Sample.IstioUid
    }

    It 'takes the pod name positionally' {
        (Get-ContainerLogLink -Root $root 'coredns-*').Count | Should -Be 2
    }

    It 'takes pods from the pipeline (Get-PodLogDirectory records)' {
        $fromPipe = Get-PodLogDirectory -Root $root -Namespace istio-system | Get-ContainerLogLink -Root $root
        $fromPipe.Count | Should -Be 4
        $fromPipe.Namespace | Sort-Object -Unique | Should -Be 'istio-system'
    }

    It 'applies -Status and -ContainerName to pipeline input too' {
        $pods = Get-PodLogDirectory -Root $root -Namespace default
        @($pods | Get-ContainerLogLink -Root $root -Status Missing -ContainerName stakater-reloader).Count | Should -Be 2
    }

    It 'a value without wildcards that matches nothing is SelectionNotFound, beside what the others matched' {
        $found = @(Get-ContainerLogLink -Root $root -ContainerName istio-proxy, istio-prxy -ErrorVariable errors -ErrorAction SilentlyContinue)
        $found.Count | Should -Be 4
        @($errors).Count | Should -Be 1
        Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'istio-prxy'
    }

    It 'a -ContainerId that no instance has is SelectionNotFound naming it as given' {
        $null = Get-ContainerLogLink -Root $root -ContainerId 'docker://0123456789ab' -ErrorVariable errors -ErrorAction SilentlyContinue
        Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'docker://0123456789ab'
        $errors[0].Exception.Message | Should -BeLike "*-ContainerId 'docker://0123456789ab'*"
    }

    It 'a wildcard that matches nothing is silent' {
        Get-ContainerLogLink -Root $root -ContainerName 'nosuch*' -ErrorVariable errors | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'lists each pod once when several records of the same pod come down the pipeline' {
        $links = Get-ContainerLogLink -Root $root -Namespace istio-system
        ($links | Get-ContainerLogLink -Root $root).Count | Should -Be 4
    }
}

Describe 'Get-ContainerLogLink after docker rm' {
    BeforeAll {
        $gone = New-SampleRoot 'dockerrm'
        Remove-Item -LiteralPath (Get-Local $gone "/var/lib/docker/containers/$($Sample.Reloader1)") -Recurse -Force
        $entries = Get-ContainerLogLink -Root $gone -Namespace default -PodName 'stakater-*'
    }

    It 'reports restart 1''s N.log and legacy link Dangling' {
        $e = $entries | Where-Object RestartCount -EQ 1
        $e.Status | Sort-Object -Unique | Should -Be 'Dangling'
        $e.Count | Should -Be 2
    }

    It 'still names the container the dangling N.log belonged to (its target says so)' {
        $e = $entries | Where-Object { $_.RestartCount -eq 1 -and $_.Kind -eq 'PodLog' }
        $e.ContainerId | Should -BeExactly $Sample.Reloader1
    }

    It 'finds both dangling entries by -ContainerId' {
        $selected = Get-ContainerLogLink -Root $gone -ContainerId cc75d79b
        ([string[]]$selected.Kind | Sort-Object) | Should -Be @('Legacy', 'PodLog')
    }
}

Describe 'Kubelet''s edge cases' {
    BeforeAll {
        # A containerd-style node (regular N.log files, no runtime state) built for these cases.
        $edge = Join-Path $TestDrive "edges-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        function Add-File([string] $NodePath, [string] $Text = "2026-03-01T00:00:00Z stdout F x`n") {
            $local = Get-Local $edge $NodePath
            $null = New-Item -ItemType Directory -Force (Split-Path $local)
            [IO.File]::WriteAllText($local, $Text)
        }
        function Add-Link([string] $NodePath, [string] $Target) {
            $local = Get-Local $edge $NodePath
            $null = New-Item -ItemType Directory -Force (Split-Path $local)
            $null = New-Item -ItemType SymbolicLink -Path $local -Target $Target
        }
        $webUid = '2681cb7f-daa4-4620-bb60-1d449709181c'
        $webDir = "/var/log/pods/default_web-0_$webUid/nginx"
        Add-File "$webDir/0.log"
        Add-File "$webDir/0.log.20261126-091500.gz" 'gz'
        Add-File "$webDir/0.log.20261126-091500" "left beside its .gz`n"
        Add-File "$webDir/0.log.20261126-101500" "newest rotated`n"
        Add-File "$webDir/0.log.20261126-111500.gz.tmp" 'unfinished'
        $webId = 'c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332'
        Add-Link "/var/log/containers/web-0_default_nginx-$webId.log" "$webDir/0.log"
        Add-Link "/var/log/containers/web-0_default_nginx-$webId.log.bak" "$webDir/0.log"

        # a static pod whose manifest set metadata.uid (kubelet keeps it: pkg/kubelet/config/common.go applyDefaults)
        $staticDir = '/var/log/pods/kube-system_static-web-node-1_static-web-manifest-uid'
        Add-File "$staticDir/web/0.log"

        # a legacy link name kubelet cut to 251 bytes (legacyLogSymlink), keeping 30 characters of the id
        $longPod = ('a' * 63) + '.' + ('b' * 63) + '.' + ('c' * 63) + '.' + ('d' * 8)
        $longUid = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'
        $longId = '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9'
        $longFile = "/var/log/pods/monitoring_${longPod}_$longUid/exporter/0.log"
        Add-File $longFile
        $cutLink = "/var/log/containers/${longPod}_monitoring_exporter-$($longId.Substring(0, 30)).log"
        Add-Link $cutLink $longFile
        $edgeLinks = @(Get-ContainerLogLink -Root $edge -ErrorVariable edgeErrors)
    }

    It 'runs without errors' {
        $edgeErrors | Should -BeNullOrEmpty
    }

    # pkg/kubelet/logs/container_log_manager.go cleanupUnusedLogs/isInUse
    It 'lists kubelet''s rotation leftovers in LeftoverFiles, apart from RotatedFiles' {
        $e = $edgeLinks | Where-Object NodePath -EQ "$webDir/0.log"
        $e.RotatedFiles | Should -Be @((Get-Local $edge "$webDir/0.log.20261126-091500.gz"), (Get-Local $edge "$webDir/0.log.20261126-101500"))
        $e.LeftoverFiles | Should -Be @((Get-Local $edge "$webDir/0.log.20261126-091500"), (Get-Local $edge "$webDir/0.log.20261126-111500.gz.tmp"))
    }

    # kuberuntime_gc.go evictPodLogsDirectories globs /var/log/containers/*.log
    It 'reports an entry of /var/log/containers that does not end in .log as Invalid, whatever it points at' {
        $e = $edgeLinks | Where-Object NodePath -EQ "/var/log/containers/web-0_default_nginx-$webId.log.bak"
        $e.Status | Should -Be 'Invalid'
        $e.Reason | Should -BeLike "*does not end in '.log'*"
        ($edgeLinks | Where-Object NodePath -EQ "/var/log/containers/web-0_default_nginx-$webId.log").Status | Should -Be 'Healthy'
    }

    It 'recognises a static pod''s directory named by its manifest''s own uid, and takes its records from the pipeline' {
        $e = $edgeLinks | Where-Object NodePath -EQ "$staticDir/web/0.log"
        $e.Status | Should -Be 'Healthy'
        $e.PodUid | Should -BeExactly 'static-web-manifest-uid'
        $dir = Get-PodLogDirectory -Root $edge -Namespace kube-system
        $dir.PodUid | Should -BeExactly 'static-web-manifest-uid'
        ($dir | Get-ContainerLogLink -Root $edge -ErrorVariable piped).NodePath | Should -Be "$staticDir/web/0.log"
        $piped | Should -BeNullOrEmpty
        ($e | Get-ContainerLog -Root $edge).Message | Should -Be 'x'
    }

    # pkg/kubelet/kuberuntime/legacy.go getContainerIDFromLegacyLogSymlink reads the surviving prefix back (>= 6)
    It 'keeps the container id prefix a cut legacy link name kept, and -ContainerId <Given> selects it' -ForEach @(
        @{ Given = 'full' }, @{ Given = 'short' }, @{ Given = 'prefix' }
    ) {
        $e = $edgeLinks | Where-Object NodePath -EQ $cutLink
        $e.IsTruncated | Should -BeTrue
        $e.ContainerId | Should -BeExactly $longId.Substring(0, 30)
        $value = switch ($Given) { 'full' { "containerd://$longId" } 'short' { $longId.Substring(0, 12) } 'prefix' { $longId.Substring(0, 30) } }
        (Get-ContainerLogLink -Root $edge -ContainerId $value).NodePath | Should -Contain $cutLink
    }
}
