BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'errors'
}

Describe 'Preconditions stop the command (terminating errors)' {
    Context 'RootNotFound' {
        It '<Command> stops when -Root does not exist, even with -ErrorAction SilentlyContinue' -ForEach @(
            @{ Command = 'Get-PodLogDirectory' }
            @{ Command = 'Get-ContainerLogLink' }
            @{ Command = 'Repair-ContainerLogLink' }
            @{ Command = 'Test-ContainerLogLink' }
        ) {
            $missing = Join-Path $TestDrive 'no-such-node'
            $e = { & $Command -Root $missing -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'RootNotFound,*' -PassThru
            Assert-PodLogsError $e -ErrorId RootNotFound -Category ObjectNotFound -TargetObject $missing
        }

        It 'stops when -Root is a file' {
            $file = Join-Path $TestDrive 'a-file'
            Set-Content -LiteralPath $file -Value 'x'
            { Get-ContainerLogLink -Root $file -ErrorAction Stop } | Should -Throw -ErrorId 'RootNotFound,*'
        }

        It 'stops before any output (nothing reaches the pipeline)' {
            $seen = [Collections.Generic.List[object]]::new()
            { Get-PodLogDirectory -Root (Join-Path $TestDrive 'nowhere') | ForEach-Object { $seen.Add($_) } } | Should -Throw -ErrorId 'RootNotFound,*'
            $seen.Count | Should -Be 0
        }
    }

    Context 'NodePathNotAbsolute' {
        It '-<Parameter> <Value> is refused' -ForEach @(
            @{ Parameter = 'PodLogsDirectory'; Value = 'var/log/pods' }
            @{ Parameter = 'ContainerLogsDirectory'; Value = 'containers' }
            @{ Parameter = 'LegacyLinkDirectory'; Value = './var/log/containers' }
            @{ Parameter = 'DockerDataRoot'; Value = 'docker' }
            @{ Parameter = 'KubeletConfigPath'; Value = 'config.yaml' }
        ) {
            $splat = @{ Root = $root; $Parameter = $Value }
            $e = { Get-ContainerLogLink @splat -ErrorAction Stop } | Should -Throw -ErrorId 'NodePathNotAbsolute,*' -PassThru
            Assert-PodLogsError $e -ErrorId NodePathNotAbsolute -Category InvalidArgument -TargetObject $Value
        }
    }

    Context 'KubeletConfigUnreadable' {
        BeforeAll {
            $bad = New-SampleRoot 'badconfig'
            $config = Get-Local $bad '/var/lib/kubelet/config.yaml'
            # An unterminated quoted value: kubelet would not start with this either.
            Set-Content -LiteralPath $config -Value "apiVersion: kubelet.config.k8s.io/v1beta1`nkind: KubeletConfiguration`npodLogsDir: `"/var/log/pods`ncgroupDriver: systemd"
        }

        It '<Command> stops on a malformed var/lib/kubelet/config.yaml under -Root' -ForEach @(
            @{ Command = 'Get-PodLogDirectory' }
            @{ Command = 'Get-ContainerLogLink' }
            @{ Command = 'Repair-ContainerLogLink' }
            @{ Command = 'Test-ContainerLogLink' }
        ) {
            $e = { & $Command -Root $bad -ErrorAction Stop } | Should -Throw -ErrorId 'KubeletConfigUnreadable,*' -PassThru
            Assert-PodLogsError $e -ErrorId KubeletConfigUnreadable -Category ReadError -TargetObject $config
            $e.ErrorDetails.Message | Should -BeLike '*-PodLogsDirectory*' -Because 'the message says how to get past it'
            "$e" | Should -BeLike "*/var/lib/kubelet/config.yaml*"
        }

        It 'is avoided by passing -PodLogsDirectory' {
            (Get-PodLogDirectory -Root $bad -PodLogsDirectory /var/log/pods).Count | Should -Be $Sample.PodCount
        }

        It 'is avoided by naming another file with -KubeletConfigPath' {
            $good = Get-Local $bad '/etc/kubernetes/kubelet.yaml'
            New-Item -ItemType Directory -Path (Split-Path $good) -Force | Out-Null
            Set-Content -LiteralPath $good -Value 'podLogsDir: /var/log/pods'
            (Get-PodLogDirectory -Root $bad -KubeletConfigPath /etc/kubernetes/kubelet.yaml).Count | Should -Be $Sample.PodCount
        }

        It 'also stops on a relative podLogsDir (kubelet rejects it too)' {
            $relative = New-SampleRoot 'relconfig'
            Set-Content -LiteralPath (Get-Local $relative '/var/lib/kubelet/config.yaml') -Value 'podLogsDir: var/log/pods'
            { Get-PodLogDirectory -Root $relative -ErrorAction Stop } | Should -Throw -ErrorId 'KubeletConfigUnreadable,*'
        }

        It 'KubeletConfigNotFound when -KubeletConfigPath names a missing file' {
            $e = { Get-PodLogDirectory -Root $root -KubeletConfigPath /etc/kubernetes/none.yaml -ErrorAction Stop } | Should -Throw -ErrorId 'KubeletConfigNotFound,*' -PassThru
            Assert-PodLogsError $e -ErrorId KubeletConfigNotFound -Category ObjectNotFound -TargetObject (Get-Local $root '/etc/kubernetes/none.yaml')
        }
    }

    Context 'InvalidPodUid' {
        It '<Command> -PodUid <Uid> is refused before any path is built' -ForEach @(
            @{ Command = 'Get-PodLogDirectory'; Uid = 'not-a-uid' }
            @{ Command = 'Get-ContainerLogLink'; Uid = '2681cb7f-daa4-4620-bb60-1d449709181' }
            @{ Command = 'Repair-ContainerLogLink'; Uid = '../../../etc' }
            @{ Command = 'Test-ContainerLogLink'; Uid = '2681cb7f_daa4_4620_bb60_1d449709181c' }
            @{ Command = 'Get-PodLogDirectory'; Uid = '3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a0g' }
        ) {
            $e = { & $Command -Root $root -PodUid $Uid -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'InvalidPodUid,*' -PassThru
            Assert-PodLogsError $e -ErrorId InvalidPodUid -Category InvalidArgument -TargetObject $Uid
        }

        It 'accepts a static pod''s 32-hex uid' {
            (Get-PodLogDirectory -Root $root -PodUid 3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09).PodName | Should -Be 'kube-apiserver-node-1'
        }
    }

    Context 'InvalidContainerId' {
        It '<Command> -ContainerId <Id> is refused' -ForEach @(
            @{ Command = 'Get-ContainerLogLink'; Id = 'xyz' }
            @{ Command = 'Get-ContainerLogLink'; Id = 'docker://' }
            @{ Command = 'Repair-ContainerLogLink'; Id = ('a' * 65) }
            @{ Command = 'Test-ContainerLogLink'; Id = 'docker://c73e273f/../x' }
        ) {
            $e = { & $Command -Root $root -ContainerId $Id -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidContainerId,*' -PassThru
            Assert-PodLogsError $e -ErrorId InvalidContainerId -Category InvalidArgument -TargetObject $Id
        }
    }
}

Describe 'Per-item errors: reported, and the command goes on' {
    # Issue #10 item 2: one ErrorId for every selecting cmdlet (this context was 'PodLogDirectoryNotFound', raised by
    # Get-PodLogDirectory alone, once for the whole selection; it is now SelectionNotFound, once per value).
    Context 'SelectionNotFound' {
        It 'is written for a name without wildcards that matches nothing' {
            $found = Get-PodLogDirectory -Root $root -Namespace no-such-namespace -ErrorVariable errors -ErrorAction SilentlyContinue
            $found | Should -BeNullOrEmpty
            @($errors).Count | Should -Be 1
            Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'no-such-namespace'
        }

        It 'names the pod it looked for' {
            $e = { Get-PodLogDirectory -Root $root -PodName web-1 -ErrorAction Stop } | Should -Throw -ErrorId 'SelectionNotFound,*' -PassThru
            $e.TargetObject | Should -BeExactly 'web-1'
        }

        It 'is not written for a wildcard that matches nothing' {
            Get-PodLogDirectory -Root $root -PodName 'web-*' -ErrorVariable errors | Should -BeNullOrEmpty
            $errors | Should -BeNullOrEmpty
        }

        It '<Command> -<Parameter> <Value>: one error naming the parameter and the value, the same ErrorId everywhere' -ForEach @(
            @{ Command = 'Get-PodLogDirectory'; Parameter = 'Namespace'; Value = 'kube-sytem' }
            @{ Command = 'Get-PodLogDirectory'; Parameter = 'PodUid'; Value = '00000000-0000-4000-8000-000000000000' }
            @{ Command = 'Get-ContainerLogLink'; Parameter = 'PodName'; Value = 'corednss' }
            @{ Command = 'Get-ContainerLogLink'; Parameter = 'ContainerName'; Value = 'istio-prox' }
            @{ Command = 'Get-ContainerLogLink'; Parameter = 'ContainerId'; Value = 'docker://abcdef012345' }
            @{ Command = 'Test-ContainerLogLink'; Parameter = 'Namespace'; Value = 'kube-sytem' }
            @{ Command = 'Test-ContainerLogLink'; Parameter = 'ContainerName'; Value = 'nosuch' }
            @{ Command = 'Repair-ContainerLogLink'; Parameter = 'PodName'; Value = 'corednss' }
            @{ Command = 'Repair-ContainerLogLink'; Parameter = 'ContainerId'; Value = 'abcdef012345' }
            @{ Command = 'Get-ContainerLog'; Parameter = 'PodName'; Value = 'corednss' }
            @{ Command = 'Get-ContainerLog'; Parameter = 'ContainerName'; Value = 'nosuch' }
        ) {
            $splat = @{ Root = $root; $Parameter = $Value }
            $out = & $Command @splat -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $misses = @($errors | Where-Object { $_.FullyQualifiedErrorId -like 'SelectionNotFound,*' })
            $misses.Count | Should -Be 1
            Assert-PodLogsError $misses[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject $Value
            $misses[0].Exception.Message | Should -BeLike "*-$Parameter '$Value'*"
            if ($Command -eq 'Test-ContainerLogLink') { $out | Should -BeFalse } else { $out | Should -BeNullOrEmpty }
        }

        It 'names only the values that matched nothing: -PodName <Pods>' -ForEach @(
            @{ Pods = @('coredns-5d78c9869d-x7k2p', 'web-1', 'web-2'); Missed = @('web-1', 'web-2') }
        ) {
            $found = @(Get-ContainerLogLink -Root $root -PodName $Pods -ErrorVariable errors -ErrorAction SilentlyContinue)
            $found.PodName | Sort-Object -Unique | Should -Be $Sample.CorednsPod
            @($errors.TargetObject) | Should -Be $Missed
            @($errors | Where-Object FullyQualifiedErrorId -NotLike 'SelectionNotFound,*') | Should -BeNullOrEmpty
        }

        It 'a pod that exists but lacks the container: only -ContainerName is named' {
            $null = Get-ContainerLogLink -Root $root -PodName $Sample.CorednsPod -ContainerName istio-proxy -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors).Count | Should -Be 1
            $errors[0].TargetObject | Should -BeExactly 'istio-proxy'
            $errors[0].Exception.Message | Should -BeLike "*-ContainerName 'istio-proxy'*-PodName '$($Sample.CorednsPod)'*"
        }

        It 'a value that is on the node is not named when another value is the one missing' {
            $null = Get-ContainerLogLink -Root $root -Namespace kube-system -PodUid 00000000-0000-4000-8000-000000000000 -ContainerName coredns -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors.TargetObject) | Should -Be @('00000000-0000-4000-8000-000000000000')
        }

        It 'values that each exist but never together: each is named, and the message says so' {
            $null = Get-PodLogDirectory -Root $root -Namespace kube-system -PodName $Sample.ReloaderPod -ErrorVariable errors -ErrorAction SilentlyContinue
            [string[]]$errors.TargetObject | Should -Be @('kube-system', $Sample.ReloaderPod)
            $errors[0].Exception.Message | Should -BeLike "*-Namespace 'kube-system' matches pods on the node, but none together with -PodName '$($Sample.ReloaderPod)'*"
        }

        It 'wildcards beside a missed exact value: only the exact value is named' {
            $null = Get-ContainerLogLink -Root $root -Namespace 'nosuch-*', kube-sytem -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors.TargetObject) | Should -Be @('kube-sytem')
        }

        It 'Get-ContainerLog does not add a second error for the same miss' {
            $null = Get-ContainerLog -Root $root -PodName no-such-pod -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors).Count | Should -Be 1
            Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'no-such-pod'
        }
    }

    Context 'SelectionNotFound from the pipeline' {
        It 'piped pods are not name filters: a pod that exists is never a miss' {
            $null = Get-PodLogDirectory -Root $root -Namespace kube-system | Get-ContainerLogLink -Root $root -ErrorVariable errors
            $errors | Should -BeNullOrEmpty
        }

        It 'a piped pod the node has nothing of is one error naming it (<Command>)' -ForEach @(
            @{ Command = 'Get-ContainerLogLink' }
            @{ Command = 'Test-ContainerLogLink' }
            @{ Command = 'Get-ContainerLog' }
        ) {
            $ghost = [pscustomobject]@{ Namespace = 'default'; PodName = 'ghost-1'; PodUid = '11111111-2222-4333-8444-555555555555' }
            $healthy = Get-PodLogDirectory -Root $root -PodName $Sample.CorednsPod
            $out = $healthy, $ghost | & $Command -Root $root -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            @($errors).Count | Should -Be 1
            Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'ghost-1'
            if ($Command -eq 'Test-ContainerLogLink') { $out | Should -BeFalse -Because 'a pod that is not on the node was not checked' }
        }

        It '-ContainerName typed beside piped pods is still the user''s filter: a miss is named once, not per pod' {
            $null = Get-PodLogDirectory -Root $root -Namespace kube-system | Get-ContainerLogLink -Root $root -ContainerName nosuch -ErrorVariable errors -ErrorAction SilentlyContinue
            @($errors).Count | Should -Be 1
            Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'nosuch'
        }
    }

    Context 'Names that can never be kubelet names are refused at binding' {
        It '<Call>: the message names -<Parameter>' -ForEach @(
            @{ Call = { Get-ContainerLogLink -Root $root /var/log/pods/x -ErrorAction Stop }; Parameter = 'PodName' }
            @{ Call = { Get-ContainerLog -Root $root ./0.log -ErrorAction Stop }; Parameter = 'PodName' }
            @{ Call = { Get-PodLogDirectory -Root $root -Namespace kube-system/coredns -ErrorAction Stop }; Parameter = 'Namespace' }
            @{ Call = { Test-ContainerLogLink -Root $root -ContainerName app/x -ErrorAction Stop }; Parameter = 'ContainerName' }
            @{ Call = { Repair-ContainerLogLink -Root $root -Pod 'web 1' -WhatIf -ErrorAction Stop }; Parameter = 'PodName' }
            @{ Call = { Get-ContainerLogLink -Root $root -Ns kube_system -ErrorAction Stop }; Parameter = 'Namespace' }
        ) {
            $e = $Call | Should -Throw -ErrorId 'ParameterArgumentValidationError,*' -PassThru
            $e.Exception.Message | Should -BeLike "*-$Parameter '*can never be a kubelet*"
            $e.Exception.ParameterName | Should -Be $Parameter
        }

        It 'keeps wildcards and any letter case: -PodName <Pattern>' -ForEach @(
            @{ Pattern = 'CoreDNS-*' }
            @{ Pattern = 'coredns-5d78c9869d-x7k2?' }
            @{ Pattern = 'coredns-[0-9]*' }
        ) {
            @(Get-ContainerLogLink -Root $root -PodName $Pattern).Count | Should -BeGreaterThan 0
        }
    }

    Context 'The node under -Root' {
        It 'a root with neither kubelet directory is a warning naming both paths' {
            $sub = Get-Local $root '/var/log'
            $null = Get-ContainerLogLink -Root $sub -WarningVariable warned -WarningAction SilentlyContinue
            "$warned" | Should -BeLike "*$sub/var/log/pods*"
            "$warned" | Should -BeLike "*$sub/var/log/containers*"
        }

        It 'a node with no pods yet (only the legacy links directory kubelet makes at start) is no warning' {
            $fresh = Join-Path $TestDrive 'fresh-node'
            New-Item -ItemType Directory -Path "$fresh/var/log/containers" -Force | Out-Null
            $null = Get-ContainerLogLink -Root $fresh -WarningVariable warned
            $warned | Should -BeNullOrEmpty
        }

        It 'the sample node is no warning' {
            $null = Get-PodLogDirectory -Root $root -WarningVariable warned
            $warned | Should -BeNullOrEmpty
        }

        It '-<Parameter> <Value> that is not under the root stops the command naming the local path' -ForEach @(
            @{ Parameter = 'PodLogsDirectory'; Value = '/var/log/pod' }
            @{ Parameter = 'ContainerLogsDirectory'; Value = '/var/log/container' }
            @{ Parameter = 'DockerDataRoot'; Value = '/var/lib/dokcer' }
            @{ Parameter = 'PodLogsDirectory'; Value = '/var/lib/kubelet/config.yaml' }
        ) {
            $splat = @{ Root = $root; $Parameter = $Value }
            foreach ($command in 'Get-PodLogDirectory', 'Get-ContainerLogLink', 'Test-ContainerLogLink', 'Repair-ContainerLogLink', 'Get-ContainerLog') {
                $seen = [Collections.Generic.List[object]]::new()
                $e = { & $command @splat -ErrorAction SilentlyContinue | ForEach-Object { $seen.Add($_) } } | Should -Throw -ErrorId 'NodeDirectoryNotFound,*' -PassThru
                Assert-PodLogsError $e -ErrorId NodeDirectoryNotFound -Category ObjectNotFound -TargetObject (Get-Local $root $Value)
                $e.Exception.Message | Should -BeLike "*-$Parameter '$Value'*$(Get-Local $root $Value)*"
                $seen.Count | Should -Be 0 -Because "$command makes no verdict from a directory that is not there"
            }
        }
    }

    Context 'ContainerLogGone' {
        It 'refuses links whose container was removed (docker rm), and changes nothing' {
            $node = New-SampleRoot 'gone'
            Remove-Item -LiteralPath (Get-Local $node "/var/lib/docker/containers/$($Sample.Reloader1)") -Recurse -Force
            $before = Get-TreeSnapshot $node
            $results = Repair-ContainerLogLink -Root $node -ContainerId $Sample.Reloader1 -ErrorVariable errors -ErrorAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            @($errors).Count | Should -Be 2
            $podLog = Get-Local $node "$($Sample.ReloaderDir)/stakater-reloader/1.log"
            $legacy = Get-Local $node (Get-LegacyLinkPath $Sample.ReloaderPod default stakater-reloader $Sample.Reloader1)
            foreach ($e in $errors) { Assert-PodLogsError $e -ErrorId ContainerLogGone -Category ObjectNotFound }
            [string[]]$errors.TargetObject | Sort-Object | Should -Be (@($legacy, $podLog) | Sort-Object)
            Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
        }

        It 'refuses a container whose json log is gone although docker still knows it' {
            $node = New-SampleRoot 'gone-json'
            Remove-Item -LiteralPath (Get-Local $node (Get-DockerJsonLog $Sample.Reloader6)) -Force
            $before = Get-TreeSnapshot $node
            $results = Repair-ContainerLogLink -Root $node -ContainerId $Sample.Reloader6 -ErrorVariable errors -ErrorAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            $gone = $errors | Where-Object FullyQualifiedErrorId -Like 'ContainerLogGone,*'
            Assert-PodLogsError $gone -ErrorId ContainerLogGone -Category ObjectNotFound -TargetObject (Get-Local $node "$($Sample.ReloaderDir)/stakater-reloader/6.log")
            Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
        }

        It 'does not stop the rest of a whole-node repair' {
            $node = New-SampleRoot 'gone-rest'
            Remove-Item -LiteralPath (Get-Local $node "/var/lib/docker/containers/$($Sample.Reloader1)") -Recurse -Force
            $results = Repair-ContainerLogLink -Root $node -ErrorVariable errors -ErrorAction SilentlyContinue
            $results.Count | Should -Be 3
            ($errors | Where-Object FullyQualifiedErrorId -Like 'ContainerLogGone,*').Count | Should -Be 2
        }
    }

    Context 'RegularFileInTheWay' {
        It 'never replaces a regular file standing where a link belongs' {
            $node = New-SampleRoot 'inthe-way'
            $six = Get-Local $node "$($Sample.ReloaderDir)/stakater-reloader/6.log"
            Set-Content -LiteralPath $six -Value 'a log someone copied here'
            $hash = (Get-FileHash -LiteralPath $six).Hash
            $results = Repair-ContainerLogLink -Root $node -ErrorVariable errors -ErrorAction SilentlyContinue
            $inTheWay = $errors | Where-Object FullyQualifiedErrorId -Like 'RegularFileInTheWay,*'
            @($inTheWay).Count | Should -Be 1
            Assert-PodLogsError $inTheWay -ErrorId RegularFileInTheWay -Category ResourceExists -TargetObject $six
            (Get-FileHash -LiteralPath $six).Hash | Should -Be $hash
            Get-LinkText $six | Should -BeNullOrEmpty
            $results.NodePath | Should -Not -Contain "$($Sample.ReloaderDir)/stakater-reloader/6.log"
            $results.NodePath | Should -Contain "$($Sample.IstioDir)/istio-proxy/4.log" -Because 'other repairs go on'
        }
    }
}

Describe 'Hostile input: refused, nothing written' {
    Context 'the forger container (logpath label /etc/cron.d/podlogs-forged)' {
        It 'is refused with LabelPathMismatch by <Name>, and nothing appears in etc/cron.d under -Root' -ForEach @(
            @{ Name = 'a whole-node repair'; Repair = { param($r) Repair-ContainerLogLink -Root $r -ErrorVariable script:errs -ErrorAction SilentlyContinue } }
            @{ Name = 'a repair by name with -Force'; Repair = { param($r) Repair-ContainerLogLink -Root $r -Namespace default -PodName 'log-forger-*' -Force -ErrorVariable script:errs -ErrorAction SilentlyContinue } }
            @{ Name = 'a repair by -ContainerId'; Repair = { param($r) Repair-ContainerLogLink -Root $r -ContainerId d00dfeed -ErrorVariable script:errs -ErrorAction SilentlyContinue } }
            @{ Name = 'the forger''s entries piped in'; Repair = { param($r) Get-ContainerLogLink -Root $r -PodName 'log-forger-*' | Repair-ContainerLogLink -Root $r -ErrorVariable script:errs -ErrorAction SilentlyContinue } }
            @{ Name = 'the forger pod piped in'; Repair = { param($r) Get-PodLogDirectory -Root $r -PodName 'log-forger-*' | Repair-ContainerLogLink -Root $r -ErrorVariable script:errs -ErrorAction SilentlyContinue } }
        ) {
            $node = New-SampleRoot 'forger'
            $cron = Get-Local $node '/etc/cron.d'
            $forgerDir = Get-Local $node "$($Sample.ForgerDir)/forger"
            $beforeCron = Get-TreeSnapshot $cron
            $beforeForger = Get-TreeSnapshot $forgerDir
            $script:errs = $null
            $results = & $Repair $node
            $results | Where-Object { $_.ContainerId -eq $Sample.ForgerId } | Should -BeNullOrEmpty
            $mismatch = $script:errs | Where-Object FullyQualifiedErrorId -Like 'LabelPathMismatch,*'
            @($mismatch).Count | Should -Be 1
            Assert-PodLogsError $mismatch -ErrorId LabelPathMismatch -Category SecurityError -TargetObject (Get-Local $node "$($Sample.ForgerDir)/forger/0.log")
            $mismatch.Exception.Message | Should -BeLike "*$($Sample.ForgedPath)*"
            (Get-ChildItem -LiteralPath $cron -Force).Name | Should -Be @('.keep')
            Compare-TreeSnapshot $beforeCron (Get-TreeSnapshot $cron) | Should -BeNullOrEmpty
            Compare-TreeSnapshot $beforeForger (Get-TreeSnapshot $forgerDir) | Should -BeNullOrEmpty
            Test-Path -LiteralPath $Sample.ForgedPath | Should -BeFalse -Because 'nothing was written to the real /etc either'
        }
    }

    Context 'forged input objects (NotAKubeletLogPath)' {
        It 'refuses <Name>, and changes nothing' -ForEach @(
            @{ Name = 'a PodLog at /etc/passwd'; Kind = 'PodLog'; NodePath = '/etc/passwd' }
            @{ Name = 'a Legacy link outside /var/log/containers'; Kind = 'Legacy'; NodePath = '/etc/cron.d/podlogs-forged.log' }
            @{ Name = 'a Legacy link escaping with ..'; Kind = 'Legacy'; NodePath = '/var/log/containers/../../../etc/cron.d/x.log' }
            @{ Name = 'a PodLog escaping with ..'; Kind = 'PodLog'; NodePath = '/var/log/pods/default_stakater-reloader-598f958967-ddkl7_2681cb7f-daa4-4620-bb60-1d449709181c/stakater-reloader/../../../../../etc/cron.d/6.log' }
            @{ Name = 'a relative PodLog path'; Kind = 'PodLog'; NodePath = 'var/log/pods/default_stakater-reloader-598f958967-ddkl7_2681cb7f-daa4-4620-bb60-1d449709181c/stakater-reloader/6.log' }
            @{ Name = 'a Legacy link that is not a .log'; Kind = 'Legacy'; NodePath = '/var/log/containers/stakater-reloader-598f958967-ddkl7_default_stakater-reloader-c73e273f' }
            @{ Name = 'an unknown kind'; Kind = 'Hardlink'; NodePath = '/var/log/pods/default_stakater-reloader-598f958967-ddkl7_2681cb7f-daa4-4620-bb60-1d449709181c/stakater-reloader/6.log' }
        ) {
            $node = New-SampleRoot 'forged'
            $before = Get-TreeSnapshot $node
            $forged = [pscustomobject]@{ Kind = $Kind; NodePath = $NodePath }
            $results = $forged | Repair-ContainerLogLink -Root $node -ErrorVariable errors -ErrorAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            @($errors).Count | Should -Be 1
            Assert-PodLogsError $errors[0] -ErrorId NotAKubeletLogPath -Category InvalidArgument -TargetObject $forged
            Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
        }

        It 'throws with -ErrorAction Stop' {
            { [pscustomobject]@{ Kind = 'PodLog'; NodePath = '/etc/passwd' } | Repair-ContainerLogLink -Root $root -ErrorAction Stop } |
                Should -Throw -ErrorId 'NotAKubeletLogPath,*'
        }

        It 'refuses a well-formed legacy path no container owns (LogEntryNotFound), and writes nothing' {
            $node = New-SampleRoot 'forged-legacy'
            $before = Get-TreeSnapshot $node
            $forged = [pscustomobject]@{ Kind = 'Legacy'; NodePath = '/var/log/containers/evil_default_x-0123456789ab.log' }
            $forged | Repair-ContainerLogLink -Root $node -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Assert-PodLogsError $errors[0] -ErrorId LogEntryNotFound -Category ObjectNotFound -TargetObject (Get-Local $node $forged.NodePath)
            Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
        }

        It 'repairs only what kubelet would build when a forged record names a real entry' {
            # The path only selects: the link written is recomputed from the container's identity.
            $node = New-SampleRoot 'forged-real'
            $forged = [pscustomobject]@{ Kind = 'PodLog'; NodePath = "$($Sample.ReloaderDir)/stakater-reloader/6.log"; Target = '/etc/shadow' }
            $results = $forged | Repair-ContainerLogLink -Root $node
            $results.Target | Should -BeExactly (Get-DockerJsonLog $Sample.Reloader6)
            Get-LinkText $results.FullName | Should -BeExactly (Get-DockerJsonLog $Sample.Reloader6)
        }
    }

    Context 'input objects with invalid identities (InvalidPodIdentity)' {
        It '<Command> refuses namespace <Namespace> pod <PodName> uid <PodUid>' -ForEach @(
            @{ Command = 'Repair-ContainerLogLink'; Namespace = 'Bad_NS'; PodName = 'web-1'; PodUid = '2681cb7f-daa4-4620-bb60-1d449709181c' }
            @{ Command = 'Repair-ContainerLogLink'; Namespace = '../../etc'; PodName = 'cron.d'; PodUid = '2681cb7f-daa4-4620-bb60-1d449709181c' }
            @{ Command = 'Get-PodLogDirectory'; Namespace = 'default_x'; PodName = 'web-1'; PodUid = '2681cb7f-daa4-4620-bb60-1d449709181c' }
            @{ Command = 'Get-ContainerLogLink'; Namespace = 'default'; PodName = 'web/1'; PodUid = '2681cb7f-daa4-4620-bb60-1d449709181c' }
            @{ Command = 'Test-ContainerLogLink'; Namespace = 'default'; PodName = 'web-1'; PodUid = '../2681cb7f' }
        ) {
            $node = New-SampleRoot 'badid'
            $before = Get-TreeSnapshot $node
            $pod = [pscustomobject]@{ Namespace = $Namespace; PodName = $PodName; PodUid = $PodUid }
            $output = $pod | & $Command -Root $node -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $output | Where-Object { $_ -isnot [bool] } | Should -BeNullOrEmpty
            @($errors).Count | Should -Be 1
            Assert-PodLogsError $errors[0] -ErrorId InvalidPodIdentity -Category InvalidArgument -TargetObject $pod
            Compare-TreeSnapshot $before (Get-TreeSnapshot $node) | Should -BeNullOrEmpty
        }

        It 'refuses a kubectl item with an invalid metadata.namespace' {
            $item = '{"metadata":{"name":"web-1","namespace":"Default","uid":"2681cb7f-daa4-4620-bb60-1d449709181c"}}' | ConvertFrom-Json
            $e = { $item | Get-PodLogDirectory -Root $root -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidPodIdentity,*' -PassThru
            [object]::ReferenceEquals($e.TargetObject, $item) | Should -BeTrue
        }

        It 'goes on with the next valid pipeline object' {
            $pods = @(
                [pscustomobject]@{ Namespace = 'Bad_NS'; PodName = 'web-1'; PodUid = '2681cb7f-daa4-4620-bb60-1d449709181c' }
                [pscustomobject]@{ Namespace = 'istio-system'; PodName = 'istio-ingressgateway-c694cfd-cgk2n'; PodUid = 'c6ea97b6-d858-4c4c-8d83-17477599aebf' }
            )
            $dirs = $pods | Get-PodLogDirectory -Root $root -ErrorVariable errors -ErrorAction SilentlyContinue
            @($dirs).Count | Should -Be 1
            $dirs.NodePath | Should -BeExactly $Sample.IstioDir
            @($errors).Count | Should -Be 1
        }
    }

    Context 'objects that are not pods (InputObjectNotAPod)' {
        It '<Command> refuses an object with no pod identity' -ForEach @(
            @{ Command = 'Get-PodLogDirectory' }
            @{ Command = 'Get-ContainerLogLink' }
            @{ Command = 'Repair-ContainerLogLink' }
        ) {
            $thing = [pscustomobject]@{ Name = 'not a pod' }
            $null = $thing | & $Command -Root $root -ErrorVariable errors -ErrorAction SilentlyContinue
            Assert-PodLogsError $errors[0] -ErrorId InputObjectNotAPod -Category InvalidArgument -TargetObject $thing
        }
    }
}
