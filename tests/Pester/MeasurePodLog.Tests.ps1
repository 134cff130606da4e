# Measure-PodLog (issue #13 item 2): disk used by container logs on the sample node, checked against du.
BeforeAll {
    $ErrorActionPreference = 'Stop'
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $root = New-SampleRoot 'measure'

    function Write-Random([string] $NodePath, [int] $Length) {
        $bytes = [byte[]]::new($Length); [Random]::Shared.NextBytes($bytes)
        [IO.File]::WriteAllBytes((Get-Local $root $NodePath), $bytes)
    }
    # docker's rotations of istio-proxy 4's json log, and (in the same pod) istio-proxy 3's rotated segment hard linked to it.
    $istio4 = Get-DockerJsonLog $Sample.Istio4
    Write-Random $istio4 300000
    Write-Random "$istio4.1" 70000
    Write-Random "$istio4.2.gz" 20000
    $istio3 = Get-DockerJsonLog $Sample.Istio3
    $null = New-Item -ItemType HardLink -Path (Get-Local $root "$istio3.1") -Target (Get-Local $root $istio4)

    # The real du over local files, each inode once (GNU du counts a file given twice, or hard linked, once).
    function Get-Du([string[]] $Files) {
        $out = du --block-size=1 -c -- @Files
        $LASTEXITCODE | Should -Be 0
        [long](($out | Where-Object { $_ -match "`ttotal$" }) -split "`t")[0]
    }
    # The files a pod's logs take, from Get-ContainerLogLink's records: chain ends, kubelet's siblings and leftovers, docker's rotations.
    function Get-LogFiles($Links) {
        $files = foreach ($link in $Links) {
            # A docker container's own json log (where its Stale N.log should lead), and where the chain ends.
            $ends = @(if ($link.ContainerId -match '^[0-9a-f]{64}$') { Get-DockerJsonLog $link.ContainerId }; $link.ResolvedTarget) | Where-Object { $_ }
            foreach ($end in $ends | ForEach-Object { Get-Local $root $_ } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf }) {
                $end
                if ($end -like '*-json.log') { Get-ChildItem -LiteralPath (Split-Path $end) -File | Where-Object Name -Match ('^' + [regex]::Escape((Split-Path -Leaf $end)) + '\.\d+(\.gz)?$') | ForEach-Object FullName }
            }
            $link.RotatedFiles
            $link.LeftoverFiles
        }
        @($files | Sort-Object -Unique)
    }
    $links = Get-ContainerLogLink -Root $root
    $instances = Measure-PodLog -Root $root
}

Describe 'Measure-PodLog' {
    It 'has Get-ContainerLogLink''s selection parameters and pipeline input' {
        $command = Get-Command Measure-PodLog
        $command.DefaultParameterSet | Should -Be 'ByName'
        foreach ($p in 'PodName', 'Namespace', 'PodUid', 'ContainerName', 'ContainerId', 'RestartCount', 'Source', 'Root', 'PodLogsDirectory', 'ContainerLogsDirectory', 'DockerDataRoot', 'KubeletConfigPath') {
            $command.Parameters.Keys | Should -Contain $p
        }
        $command.Parameters['InputObject'].ParameterSets['ByInputObject'].ValueFromPipeline | Should -BeTrue
    }

    It 'measures one record per container instance, each file once, as du does' {
        $instances | Should -Not -BeNullOrEmpty
        $istio = $instances | Where-Object { $_.PodName -eq $Sample.IstioPod -and $_.RestartCount -eq 4 }
        $istio.ContainerId | Should -Be $Sample.Istio4
        $istio.ActiveBytes | Should -Be (Get-Du @(Get-Local $root $istio4))
        $istio.RotatedBytes | Should -Be (Get-Du @(Get-Local $root "$istio4.1"))
        $istio.CompressedBytes | Should -Be (Get-Du @(Get-Local $root "$istio4.2.gz"))
        $istio.FileCount | Should -Be 3
        $istio.TotalBytes | Should -Be (Get-Du @(Get-Local $root $istio4), (Get-Local $root "$istio4.1"), (Get-Local $root "$istio4.2.gz"))
        $istio.RotatedBy | Should -Not -BeNullOrEmpty
        $istio.RotationState | Should -Not -BeNullOrEmpty
        foreach ($u in $instances) { $u.TotalBytes | Should -Be ($u.ActiveBytes + $u.RotatedBytes + $u.CompressedBytes + $u.LeftoverBytes) }
    }

    It 'shows the sample node''s disk story: every RotationState, kubelet''s leftovers and compressed segments, docker''s rotations, as du counts them' {
        [string[]]($instances.RotationState | Sort-Object -Unique) | Should -Be @('WithinLimit', 'OverLimit', 'TooManyFiles', 'NotRotated', 'Exited')
        $lokiDir = Get-Local $root "$($Sample.LokiDir)/loki"
        $loki = $instances | Where-Object { $_.PodName -eq $Sample.LokiPod -and $_.ContainerName -eq 'loki' }
        $loki.RotatedBy | Should -Be 'Kubelet'
        $loki.MaxBytes | Should -Be $Sample.KubeletMaxSize
        $loki.RotationState | Should -Be 'OverLimit'
        $loki.OverLimitBytes | Should -Be ($loki.ActiveBytes - $Sample.KubeletMaxSize)
        $loki.ActiveBytes | Should -Be (Get-Du @("$lokiDir/0.log"))
        $loki.CompressedBytes | Should -Be (Get-Du @("$lokiDir/0.log.20261201-061500.gz"))
        $loki.LeftoverBytes | Should -Be (Get-Du @("$lokiDir/0.log.20261202-061500.tmp"))
        $loki.TotalBytes | Should -Be (Get-Du (Get-ChildItem -LiteralPath $lokiDir -File).FullName)
        gzip -t -- "$lokiDir/0.log.20261201-061500.gz"; $LASTEXITCODE | Should -Be 0
        gzip -t -- "$lokiDir/0.log.20261202-061500.tmp" 2>$null; $LASTEXITCODE | Should -Not -Be 0 -Because 'kubelet was killed while writing it'

        $rulesDir = Get-Local $root "$($Sample.LokiDir)/loki-sc-rules"
        $rules = $instances | Where-Object ContainerName -EQ 'loki-sc-rules'
        $rules.RotationState | Should -Be 'TooManyFiles'
        $rules.MaxFiles | Should -Be 3
        $rules.LeftoverBytes | Should -BeGreaterThan 0
        $rules.LeftoverBytes | Should -Be (Get-Du @("$rulesDir/0.log.20261129-061500"))
        $rules.TotalBytes | Should -Be (Get-Du (Get-ChildItem -LiteralPath $rulesDir -File).FullName)

        $json = Get-Local $root (Get-DockerJsonLog $Sample.GrafanaId)
        $grafana = $instances | Where-Object ContainerName -EQ 'grafana'
        $grafana.RotatedBy | Should -Be 'Docker'
        $grafana.MaxBytes | Should -Be 8KB
        $grafana.MaxFiles | Should -Be 3
        $grafana.RotationState | Should -Be 'WithinLimit'
        $grafana.RotatedBytes | Should -Be (Get-Du @("$json.1", "$json.2"))
        $grafana.FileCount | Should -Be 3
    }

    It '-By Node agrees with du over every file the links reach' {
        $node = @(Measure-PodLog -Root $root -By Node)
        $node.Count | Should -Be 1
        $node[0].By | Should -Be 'Node'
        $node[0].TotalBytes | Should -Be (Get-Du (Get-LogFiles $links))
        $node[0].InstanceCount | Should -Be $instances.Count
    }

    It '-By Pod counts each file once: a segment hard linked to another instance''s log is one file' {
        $pods = @(Measure-PodLog -Root $root -By Pod)
        $pods.Count | Should -Be (@($instances | ForEach-Object PodUid | Sort-Object -Unique)).Count
        $istioPod = $pods | Where-Object PodName -EQ $Sample.IstioPod
        $istioPod.TotalBytes | Should -Be (Get-Du (Get-LogFiles ($links | Where-Object PodUid -EQ $Sample.IstioUid)))
        $istioPod.TotalBytes | Should -BeLessThan (($instances | Where-Object PodUid -EQ $Sample.IstioUid | Measure-Object TotalBytes -Sum).Sum)
        $istioPod.ContainerName | Should -BeNullOrEmpty
        # Largest first.
        $sizes = $pods.TotalBytes
        ($sizes -join ',') | Should -Be (($sizes | Sort-Object -Descending) -join ',')
    }

    It '-By Namespace and -By Container add up the same bytes' {
        $total = (Measure-PodLog -Root $root -By Node).TotalBytes
        (Measure-PodLog -Root $root -By Namespace | Measure-Object TotalBytes -Sum).Sum | Should -Be $total
        @(Measure-PodLog -Root $root -By Container | Where-Object PodName -EQ $Sample.IstioPod).Count | Should -Be 1
    }

    It 'a name typo is SelectionNotFound, as Get-ContainerLogLink says it' {
        $found = @(Measure-PodLog -Root $root -ContainerName istio-proxy, istio-prxy -ErrorVariable errors -ErrorAction SilentlyContinue)
        $found.Count | Should -Be 2
        @($errors).Count | Should -Be 1
        Assert-PodLogsError $errors[0] -ErrorId SelectionNotFound -Category ObjectNotFound -TargetObject 'istio-prxy'
    }

    It 'takes pods from the pipeline, also after Select-Object and an Export-Clixml round trip' {
        $direct = Measure-PodLog -Root $root -Namespace istio-system
        $file = Join-Path $TestDrive 'dirs.xml'
        Get-PodLogDirectory -Root $root -Namespace istio-system | Select-Object Namespace, PodName, PodUid, Root | Export-Clixml $file
        $piped = Import-Clixml $file | Measure-PodLog
        ($piped | ForEach-Object { "$($_.ContainerId)=$($_.TotalBytes)" }) -join ';' | Should -Be (($direct | ForEach-Object { "$($_.ContainerId)=$($_.TotalBytes)" }) -join ';')
    }

    It 'its records survive Select-Object and Export-Clixml with their figures' {
        $file = Join-Path $TestDrive 'usage.xml'
        $instances | Select-Object * | Export-Clixml $file
        $back = Import-Clixml $file
        ($back | ForEach-Object { "$($_.PodUid)/$($_.ContainerName)/$($_.RestartCount)=$($_.TotalBytes),$($_.FileCount),$([PodLogs.Core.RotationState]$_.RotationState)" }) -join ';' |
            Should -Be (($instances | ForEach-Object { "$($_.PodUid)/$($_.ContainerName)/$($_.RestartCount)=$($_.TotalBytes),$($_.FileCount),$([PodLogs.Core.RotationState]$_.RotationState)" }) -join ';')
    }

    It 'DeletedOpenBytes: null (with a verbose note) under another -Root without -ProcPath' {
        $verbose = Measure-PodLog -Root $root -Namespace istio-system -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match 'DeletedOpenBytes is not measured'
        Measure-PodLog -Root $root -Namespace istio-system | ForEach-Object { $_.DeletedOpenBytes | Should -BeNullOrEmpty }
    }

    It 'DeletedOpenBytes with -ProcPath: a rotated log this process holds open after it was deleted, once per file' {
        $segment = Get-Local $root "$istio4.1"
        $bytes = (Measure-PodLog -Root $root -PodName $Sample.IstioPod -RestartCount 4).RotatedBytes
        $held = [IO.File]::OpenRead($segment); $again = [IO.File]::OpenRead($segment)
        try {
            Remove-Item -LiteralPath $segment
            $u = Measure-PodLog -Root $root -PodName $Sample.IstioPod -RestartCount 4 -ProcPath /proc
            $u.DeletedOpenBytes | Should -Be $bytes
            $u.RotatedBytes | Should -Be 0
            (Measure-PodLog -Root $root -ProcPath /proc -By Node).DeletedOpenBytes | Should -Be $bytes
        }
        finally { $held.Dispose(); $again.Dispose() }
    }

    It 'shows a table with sizes in binary units' {
        $text = Measure-PodLog -Root $root -By Pod | Out-String -Width 200
        $text | Should -Match 'TOTAL'
        $text | Should -Match '\d+Ki'
        $text | Should -Match ([regex]::Escape("$($Sample.IstioNs)/$($Sample.IstioPod)"))
    }
}
