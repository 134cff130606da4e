# The node-problem-detector plugin (deploy/npd, issue #14 item 2) run as NPD runs it: a child process whose exit code
# is the verdict (0 OK, 1 problem, other unknown) and whose first stdout line, at most 80 characters, is the message.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1

    $script:plugin = (Resolve-Path "$PSScriptRoot/../../deploy/npd/podlogs-npd-check.ps1").Path
    $script:monitor = (Resolve-Path "$PSScriptRoot/../../deploy/npd/podlogs-monitor.json").Path
    $script:module = (Get-Module PodLogs).ModuleBase

    function Invoke-Plugin([string[]] $Arguments, [string] $ModulePath = $script:module) {
        $out = @(& (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -File $script:plugin @Arguments -ModulePath $ModulePath)
        [pscustomobject]@{ Code = $LASTEXITCODE; Lines = $out; Message = [string]$out[0] }
    }

    function Assert-Verdict($Result, [int] $Code, [string] $Message) {
        # NPD's contract: the exit code, one line of stdout, within max_output_length (80).
        $Result.Code | Should -Be $Code -Because $Result.Message
        $Result.Lines.Count | Should -Be 1
        $Result.Message.Length | Should -BeLessOrEqual 80
        if ($Message) { $Result.Message | Should -BeExactly $Message }
    }

    function New-HealthyNode {
        # The sample node pruned to its one CRI pod kept within kubelet's limits (coredns: WithinLimit, links intact):
        # the other pods, their legacy links and docker's containers go, kubelet's config stays.
        $root = New-SampleRoot 'healthy'
        Get-ChildItem -LiteralPath (Get-Local $root '/var/log/pods') | Where-Object Name -NE ([IO.Path]::GetFileName($Sample.CorednsDir)) | Remove-Item -Recurse -Force
        Get-ChildItem -LiteralPath (Get-Local $root '/var/log/containers') | Where-Object Name -NotLike "$($Sample.CorednsPod)_*" | Remove-Item -Force
        Get-ChildItem -LiteralPath (Get-Local $root '/var/lib/docker/containers') | Remove-Item -Recurse -Force
        $root
    }

    function Get-LogShare([string] $Root) {
        # What the plugin compares: the node's log bytes as a percentage of the size of the filesystem holding var/log/pods.
        $total = (Measure-PodLog -Root $Root -By Node).TotalBytes
        $size = [IO.DriveInfo]::new((Get-Local $Root '/var/log/pods')).TotalSize
        100.0 * $total / $size
    }
}

Describe 'NPD plugin on a healthy node' {
    BeforeAll { $script:healthy = New-HealthyNode }

    It 'the healthy node really is healthy to the module' {
        Test-ContainerLogLink -Root $healthy | Should -BeTrue
        (Measure-PodLog -Root $healthy).RotationState | Should -Be @('WithinLimit')
    }

    It 'ContainerLogChainBroken exits 0 with one short line' {
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogChainBroken', '-Root', $healthy
        Assert-Verdict $r 0 'Container log links intact (2 checked)'
    }

    It 'ContainerLogDiskPressure exits 0 below the share, 1 above it' {
        $share = Get-LogShare $healthy
        $share | Should -BeGreaterThan 0
        $under = Invoke-Plugin -Arguments '-Condition', 'ContainerLogDiskPressure', '-Root', $healthy, '-MaxLogPercent', ($share * 2)
        $under.Code | Should -Be 0 -Because $under.Message
        $under.Message | Should -Match '^Container logs 12 KiB = [0-9.]+% of .+, rotation OK$'
        $over = Invoke-Plugin -Arguments '-Condition', 'ContainerLogDiskPressure', '-Root', $healthy, '-MaxLogPercent', ($share / 2)
        $over.Code | Should -Be 1 -Because $over.Message
        $over.Lines.Count | Should -Be 1
        $over.Message.Length | Should -BeLessOrEqual 80
        $over.Message | Should -Match '^Container logs 12 KiB = [0-9.]+% of .+ > [0-9.E-]+%$'
    }
}

Describe 'NPD plugin on the sample node as it is' {
    BeforeAll { $script:asIs = New-SampleRoot 'as-is' }

    It 'ContainerLogChainBroken exits 1 naming how many links are broken and the first' {
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogChainBroken', '-Root', $asIs
        # Dangling 1, Missing 4, Stale 2 (Test-ContainerLogLink.Tests): the forger's missing 0.log comes first.
        Assert-Verdict $r 1 "7 broken log links; first: Missing default/$($Sample.ForgerPod)/forger"
    }

    It 'after Repair-ContainerLogLink only what it may not repair is left' {
        $repaired = New-SampleRoot 'repaired'
        $done = @(Repair-ContainerLogLink -Root $repaired -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused)
        $done.Count | Should -Be 3
        $refused.Count | Should -Be 2 -Because 'the forger''s 0.log and legacy link are refused'
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogChainBroken', '-Root', $repaired
        # The forger's entries (its logpath label is not kubelet's path): not trusted, so not repaired.
        Assert-Verdict $r 1 "2 broken log links; first: Missing default/$($Sample.ForgerPod)/forger"
    }

    It 'ContainerLogDiskPressure exits 1 for stuck rotation, cutting the names to fit' {
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogDiskPressure', '-Root', $asIs
        # NotRotated 5 (the docker pods without a rotating owner), OverLimit loki, TooManyFiles loki-sc-rules.
        Assert-Verdict $r 1 "rotation stuck: 7 logs; first: NotRotated $($Sample.ForgerPod)/forger"
    }
}

Describe 'NPD plugin as NPD starts it' {
    It 'is executable with a pwsh shebang: exec''d directly, it answers' {
        # NPD execs the rule's path with its args, no interpreter in between.
        $start = [Diagnostics.ProcessStartInfo]::new($plugin)
        foreach ($a in '-Condition', 'ContainerLogChainBroken', '-Root', (New-HealthyNode), '-ModulePath', $module) { $start.ArgumentList.Add($a) }
        $start.RedirectStandardOutput = $true
        $start.UseShellExecute = $false
        $start.Environment['PATH'] = "$PSHOME$([IO.Path]::PathSeparator)$env:PATH"
        $process = [Diagnostics.Process]::Start($start)
        $out = $process.StandardOutput.ReadToEnd()
        $process.WaitForExit()
        $process.ExitCode | Should -Be 0 -Because $out
        $out | Should -BeExactly "Container log links intact (2 checked)$([Environment]::NewLine)"
    }
}

Describe 'NPD plugin when it cannot tell' {
    It 'exits 2 when the root does not exist' {
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogChainBroken', '-Root', (Join-Path $TestDrive 'no-such-root')
        $r.Code | Should -Be 2
        $r.Message | Should -Match '^Unknown: root is not a readable directory: /'
    }

    It 'exits 2 when the root is not a node''s /' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty')
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogDiskPressure', '-Root', $empty.FullName
        $r.Code | Should -Be 2
        $r.Message | Should -BeLike 'Unknown: no var/log/containers under *'
    }

    It 'exits 2 when the module cannot be loaded' {
        $r = Invoke-Plugin -Arguments '-Condition', 'ContainerLogChainBroken', '-Root', (New-HealthyNode) -ModulePath (Join-Path $TestDrive 'missing/PodLogs')
        $r.Code | Should -Be 2
        $r.Lines.Count | Should -Be 1
        $r.Message.Length | Should -BeLessOrEqual 80
        $r.Message | Should -BeLike 'Unknown: *'
    }

    # pwsh -File itself exits 1 on a parameter binding error: the script takes any argument and says unknown itself.
    It 'exits 2, not 1, for bad arguments: <Name>' -ForEach @(
        @{ Name = 'no condition'; Arguments = @(); Pattern = 'Unknown: -Condition is ContainerLogChainBroken or ContainerLogDiskPressure' }
        @{ Name = 'an unknown condition'; Arguments = @('-Condition', 'Nonsense'); Pattern = 'Unknown: -Condition is ContainerLogChainBroken or ContainerLogDiskPressure' }
        @{ Name = 'a share not a number'; Arguments = @('-Condition', 'ContainerLogDiskPressure', '-MaxLogPercent', 'lots'); Pattern = "Unknown: -MaxLogPercent must be a number from 0 to 100, not 'lots'" }
        @{ Name = 'a share over 100'; Arguments = @('-Condition', 'ContainerLogDiskPressure', '-MaxLogPercent', '101'); Pattern = 'Unknown: -MaxLogPercent must be *' }
        @{ Name = 'an unknown parameter'; Arguments = @('-Condition', 'ContainerLogChainBroken', '-Bogus', 'x'); Pattern = 'Unknown: unexpected argument(s): -Bogus x' }
    ) {
        $r = Invoke-Plugin -Arguments ($Arguments + @('-Root', (New-HealthyNode)))
        $r.Code | Should -Be 2 -Because $r.Message
        $r.Lines.Count | Should -Be 1
        $r.Message | Should -BeLike $Pattern
    }
}

Describe 'NPD monitor config' {
    BeforeAll {
        $script:config = Get-Content -Raw -LiteralPath $monitor | ConvertFrom-Json -AsHashtable
        $script:conditions = 'ContainerLogChainBroken', 'ContainerLogDiskPressure'
    }

    It 'is a custom plugin monitor with its plugin config' {
        $config.plugin | Should -BeExactly 'custom'
        $config.source | Should -BeExactly 'podlogs-monitor'
        $config.pluginConfig.max_output_length | Should -Be 80
        $config.pluginConfig.concurrency | Should -BeOfType [long]
        $config.pluginConfig.concurrency | Should -BeGreaterOrEqual 1
        foreach ($key in 'invoke_interval', 'timeout') { $config.pluginConfig[$key] | Should -Match '^\d+(s|m)$' -Because $key }
    }

    It 'names conditions the script knows: each runs to a verdict on a healthy node' {
        $healthy = New-HealthyNode
        foreach ($c in $config.conditions) {
            $r = Invoke-Plugin -Arguments '-Condition', $c.type, '-Root', $healthy
            $r.Code | Should -Be 0 -Because "$($c.type): $($r.Message)"
        }
    }

    It 'declares each condition of the script with a default reason and message' {
        ($config.conditions | ForEach-Object { $_.type } | Sort-Object) | Should -Be ($conditions | Sort-Object)
        foreach ($c in $config.conditions) {
            $c.reason | Should -Not -BeNullOrEmpty
            $c.reason | Should -Not -Be $c.type -Because 'the default reason is the OK one'
            $c.message | Should -Not -BeNullOrEmpty
        }
    }

    It 'has a permanent rule per condition and a temporary event rule, each running the script for its condition' {
        $permanent = @($config.rules | Where-Object { $_.type -eq 'permanent' })
        ($permanent | ForEach-Object { $_.condition } | Sort-Object) | Should -Be ($conditions | Sort-Object)
        @($config.rules | Where-Object { $_.type -eq 'temporary' }).Count | Should -BeGreaterOrEqual 1
        foreach ($rule in $config.rules) {
            $rule.type | Should -BeIn 'permanent', 'temporary'
            $rule.path | Should -BeExactly '/opt/podlogs/podlogs-npd-check.ps1'
            $rule.reason | Should -Not -BeNullOrEmpty
            $i = [array]::IndexOf($rule.args, '-Condition')
            $rule.args[$i + 1] | Should -BeIn $conditions
            if ($rule.type -eq 'permanent') { $rule.args[$i + 1] | Should -BeExactly $rule.condition }
            $rule.timeout | Should -Match '^\d+(s|m)$'
        }
    }
}
