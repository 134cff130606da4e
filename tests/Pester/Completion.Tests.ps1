BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'complete'
    # The completers read -Root from the command line being completed, so it is written there literally.
    function Complete([string] $Line) { [string[]](Get-Completion $Line).CompletionText }
}

Describe 'Tab completion of -Namespace' {
    It 'offers every namespace on the node, sorted, on <Command>' -ForEach @(
        @{ Command = 'Get-PodLogDirectory' }
        @{ Command = 'Get-ContainerLogLink' }
        @{ Command = 'Repair-ContainerLogLink' }
        @{ Command = 'Test-ContainerLogLink' }
    ) {
        Complete "$Command -Root '$root' -Namespace " | Should -Be $Sample.Namespaces
    }

    It 'completes a partial word' {
        Complete "Get-ContainerLogLink -Root '$root' -Namespace kube" | Should -Be @('kube-system')
        Complete "Get-ContainerLogLink -Root '$root' -Namespace i" | Should -Be @('istio-system')
    }

    It 'completes through the alias -Ns' {
        Complete "Get-PodLogDirectory -Root '$root' -Ns mon" | Should -Be @('monitoring')
    }

    It 'completes a quoted partial word' {
        Complete "Get-PodLogDirectory -Root '$root' -Namespace 'def" | Should -Be @('default')
    }

    It 'returns ParameterValue results with the namespace as tooltip' {
        $result = Get-Completion "Get-ContainerLogLink -Root '$root' -Namespace ist"
        $result.ResultType | Should -Be 'ParameterValue'
        $result.ToolTip | Should -Be 'istio-system'
    }

    It 'narrows to the namespaces of the pods named with -PodName' {
        Complete "Get-ContainerLogLink -Root '$root' -PodName 'coredns-*' -Namespace " | Should -Be @('kube-system')
    }
}

Describe 'Tab completion of -PodName' {
    It 'offers the pods of the namespace given' {
        Complete "Get-PodLogDirectory -Root '$root' -Namespace default -PodName " | Should -Be @('log-forger-6d4b8c7f9-qrx5z', 'stakater-reloader-598f958967-ddkl7')
    }

    It 'honours several namespaces (-Namespace a,b)' {
        Complete "Get-PodLogDirectory -Root '$root' -Namespace istio-system,monitoring -PodName " |
            Should -Be @('istio-ingressgateway-c694cfd-cgk2n', 'prometheus-kube-prometheus-stack-prometheus-node-exporter-for-the-eu-west-1-production-fleet-with-a-very-long-generated-name-that-kubelet-must-cut-when-it-builds-the-legacy-link-abc12')
    }

    It 'completes a partial word' {
        Complete "Repair-ContainerLogLink -Root '$root' -PodName st" | Should -Be @('stakater-reloader-598f958967-ddkl7')
    }

    It 'completes through the aliases -Name and -Pod' {
        Complete "Test-ContainerLogLink -Root '$root' -Name core" | Should -Be @('coredns-5d78c9869d-x7k2p')
        Complete "Get-ContainerLogLink -Root '$root' -Pod kube-api" | Should -Be @('kube-apiserver-node-1')
    }

    It 'completes the positional pod name' {
        Complete "Get-PodLogDirectory -Root '$root' -Namespace kube-system " | Should -Be @('coredns-5d78c9869d-x7k2p', 'kube-apiserver-node-1')
    }

    It 'offers every pod with no namespace given' {
        (Complete "Get-PodLogDirectory -Root '$root' -PodName ").Count | Should -Be $Sample.PodCount
    }
}

Describe 'Tab completion of -ContainerName' {
    It 'offers every container directory on <Command>' -ForEach @(
        @{ Command = 'Get-ContainerLogLink' }
        @{ Command = 'Repair-ContainerLogLink' }
        @{ Command = 'Test-ContainerLogLink' }
    ) {
        Complete "$Command -Root '$root' -ContainerName " | Should -Be $Sample.Containers
    }

    It 'narrows to the namespace given' {
        Complete "Get-ContainerLogLink -Root '$root' -Namespace kube-system -ContainerName " | Should -Be @('coredns', 'kube-apiserver')
    }

    It 'narrows to the pod given' {
        Complete "Get-ContainerLogLink -Root '$root' -PodName 'istio-*' -ContainerName " | Should -Be @('istio-proxy')
    }

    It 'completes a partial word, quoted or not' {
        Complete "Get-ContainerLogLink -Root '$root' -ContainerName sta" | Should -Be @('stakater-reloader')
        Complete "Get-ContainerLogLink -Root '$root' -ContainerName 'ist" | Should -Be @('istio-proxy')
    }
}

Describe 'Tab completion follows the node layout' {
    It 'reads the pod directories under -PodLogsDirectory' {
        $moved = New-SampleRoot 'complete-moved'
        New-Item -ItemType Directory -Path (Get-Local $moved '/srv') | Out-Null
        Move-Item -LiteralPath (Get-Local $moved '/var/log/pods') -Destination (Get-Local $moved '/srv/pods') -ErrorAction Stop
        Complete "Get-ContainerLogLink -Root '$moved' -PodLogsDirectory /srv/pods -Namespace " | Should -Be $Sample.Namespaces
    }

    It 'resolves a relative -Root against the current location' {
        Push-Location -LiteralPath (Split-Path $root)
        try { Complete "Get-ContainerLogLink -Root ./$(Split-Path -Leaf $root) -Namespace kube" | Should -Be @('kube-system') }
        finally { Pop-Location }
    }

    It 'offers no namespace (and does not throw) for a -Root with no pod logs' {
        $empty = Join-Path $TestDrive 'empty-node'
        New-Item -ItemType Directory -Path $empty | Out-Null
        { Get-Completion "Get-ContainerLogLink -Root '$empty' -Namespace " } | Should -Not -Throw
        Complete "Get-ContainerLogLink -Root '$empty' -Namespace " | Where-Object { $_ -in $Sample.Namespaces } | Should -BeNullOrEmpty
    }
}
