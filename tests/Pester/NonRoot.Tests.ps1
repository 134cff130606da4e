# Issue #10 item 4, "non-root is an answer, not a different node": the cmdlets run as an unprivileged user (nobody,
# through setpriv) on a copy of the sample node made the way a real node is (docker's data root 0700, log files 0640).
# What that user cannot read comes as an error (DockerStateUnreadable, LogEntryUnreadable, LogFileAccessDenied) with
# no record; every verdict the user does get is root's verdict for the same entry.
# Needs root (to switch to nobody). pwsh and the module are copied to a temporary directory nobody can read: the
# dotnet tool store that holds pwsh is under /root, which nobody cannot enter, and nothing under /root is changed.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'PodLogs.TestHelpers.ps1')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'PodLogs.TestHelpers.ps1')
    Import-PodLogsUnderTest
    if ((id -u) -ne '0') { throw 'NonRoot.Tests.ps1 runs the cmdlets as nobody through setpriv: run it as root.' }
    $setpriv = (Get-Command setpriv -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
    $dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { (Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }

    # A place nobody can read: pwsh, the module, a home directory, and the node.
    $script:Shared = Join-Path ([IO.Path]::GetTempPath()) "podlogs-nonroot-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    New-Item -ItemType Directory -Path $Shared | Out-Null
    Copy-Item -Path $PSHOME -Destination (Join-Path $Shared 'pwsh') -Recurse
    $module = (Get-Module PodLogs).ModuleBase
    Copy-Item -Path $module -Destination (Join-Path $Shared 'PodLogs') -Recurse
    New-Item -ItemType Directory -Path (Join-Path $Shared 'home') | Out-Null
    $script:Root = (New-PodLogSampleNode -Path (Join-Path $Shared 'node') -ErrorAction Stop).FullName
    # A second node whose /var/log only root may enter: neither log directory can be reached.
    $script:Hidden = (New-PodLogSampleNode -Path (Join-Path $Shared 'hidden') -ErrorAction Stop).FullName
    # A third node with a dead legacy link (its pod's directory is gone), for the removal nobody may not make.
    $script:Removal = (New-PodLogSampleNode -Path (Join-Path $Shared 'removal') -ErrorAction Stop).FullName
    $script:DeadLink = "/var/log/containers/gone-7c9d_default_app-$('ab' * 32).log"
    New-Item -ItemType SymbolicLink -Path (Get-Local $Removal $DeadLink) -Target '/var/log/pods/default_gone-7c9d_0badc0de-1111-4222-8333-444455556666/app/0.log' | Out-Null
    chmod -R 'a+rX' $Shared
    chmod 0700 (Get-Local $Hidden '/var/log')
    chmod 'a+rwx' (Join-Path $Shared 'home')

    # A real node: docker's data root 0700, kubelet's and docker's log files 0640, all owned by root.
    chmod 0700 (Get-Local $Root '/var/lib/docker')
    # containerd's task state (its /run/containerd is root's alone) and a CRI socket only root may connect to.
    New-Item -ItemType Directory -Path (Get-Local $Root '/run/containerd/io.containerd.runtime.v2.task/k8s.io') -Force | Out-Null
    chmod 0700 (Get-Local $Root '/run/containerd')
    New-Item -ItemType Directory -Path (Get-Local $Root '/run/cri') -Force | Out-Null
    $script:Socket = [Net.Sockets.Socket]::new([Net.Sockets.AddressFamily]::Unix, [Net.Sockets.SocketType]::Stream, [Net.Sockets.ProtocolType]::Unspecified)
    $Socket.Bind([Net.Sockets.UnixDomainSocketEndPoint]::new((Get-Local $Root '/run/cri/cri.sock')))
    $Socket.Listen(1)
    chmod 0660 (Get-Local $Root '/run/cri/cri.sock')
    Get-ChildItem -LiteralPath (Get-Local $Root '/var/log/pods'), (Get-Local $Root '/var/lib/docker/containers') -Recurse -File -Attributes !ReparsePoint |
        ForEach-Object { chmod 0640 $_.FullName }

    # The same script for root (in a child pwsh too) and for nobody: what each cmdlet emits and reports, as JSON.
    $script:Probe = Join-Path $Shared 'probe.ps1'
    Set-Content -LiteralPath $Probe -Value @'
param([string] $Module, [string] $Root, [string] $Hidden, [string] $RemoveRoot)
$ErrorActionPreference = 'Continue'
Import-Module $Module -ErrorAction Stop
function Errors($list) { @($list | ForEach-Object { [pscustomobject]@{ ErrorId = $_.FullyQualifiedErrorId.Split(',')[0]; Category = "$($_.CategoryInfo.Category)"; Target = "$($_.TargetObject)" } }) }
$none = $null; $auto = $null; $dirs = $null; $read = $null
$links = @(Get-ContainerLogLink -Root $Root -Source None -ErrorVariable none -ErrorAction SilentlyContinue)
$autoLinks = @(Get-ContainerLogLink -Root $Root -ErrorVariable auto -ErrorAction SilentlyContinue)
$directories = @(Get-PodLogDirectory -Root $Root -ErrorVariable dirs -ErrorAction SilentlyContinue)
$containerd = $null
$null = @(Get-ContainerLogLink -Root $Root -Source ContainerdFiles -ErrorVariable containerd -ErrorAction SilentlyContinue)
$named = $null
$null = @(Get-ContainerLogLink -Root $Root -CriEndpoint unix:///run/cri/cri.sock -TimeoutSec 1 -ErrorVariable named -ErrorAction SilentlyContinue)
$asked = try { $null = Get-ContainerLogLink -Root $Root -Source Cri -CriEndpoint unix:///run/cri/cri.sock -TimeoutSec 1 -ErrorAction Stop; @() } catch { @($_) }
$hiddenErrors = $null
$hiddenLinks = @(Get-ContainerLogLink -Root $Hidden -Source None -ErrorVariable hiddenErrors -ErrorAction SilentlyContinue)
$lines = @(Get-ContainerLog -Root $Root -Source None -Namespace kube-system -PodName coredns-* -ErrorVariable read -ErrorAction SilentlyContinue)
# Only nobody tries the removal: root would make it.
$removeErrors = $null; $removed = 0
if ((id -un) -eq 'nobody') { $removed = @(Remove-ContainerLogLink -Root $RemoveRoot -Source None -GracePeriod 0 -Confirm:$false -ErrorVariable removeErrors -ErrorAction SilentlyContinue).Count }
[pscustomobject]@{
    User        = (id -un)
    Links       = @($links | ForEach-Object { [pscustomobject]@{ Key = "$($_.Kind) $($_.NodePath)"; Status = "$($_.Status)"; FullName = $_.FullName; Reason = "$($_.Reason)" } })
    LinkErrors  = Errors $none
    AutoSource  = @($autoLinks | ForEach-Object Source | Select-Object -Unique)
    AutoErrors  = Errors $auto
    Directories = @($directories | ForEach-Object { "$($_.NodePath) $($_.TotalBytes) $($_.Containers -join ',')" })
    DirErrors   = Errors $dirs
    ContainerdErrors = Errors $containerd
    NamedCriErrors   = Errors $named
    AskedCri         = Errors $asked
    HiddenLinks  = $hiddenLinks.Count
    HiddenErrors = Errors $hiddenErrors
    Lines       = $lines.Count
    ReadErrors  = Errors $read
    Removed     = $removed
    RemoveErrors = Errors $removeErrors
} | ConvertTo-Json -Depth 5 -Compress
'@
    chmod 'a+r' $Probe

    function Invoke-Probe([switch] $AsNobody) {
        $pwshDll = Join-Path $Shared 'pwsh/pwsh.dll'
        $arguments = @($pwshDll, '-NoProfile', '-NonInteractive', '-File', $Probe, '-Module', (Join-Path $Shared 'PodLogs'), '-Root', $Root, '-Hidden', $Hidden, '-RemoveRoot', $Removal)
        $env:HOME_BEFORE = $env:HOME
        # The probe's working directory must be one nobody may enter: the clone may sit in a 0700 directory
        # (mktemp -d), where processes nobody starts (id) cannot run.
        Push-Location -LiteralPath $Shared
        try {
            $env:HOME = Join-Path $Shared 'home'
            $env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
            $json = if ($AsNobody) { & $setpriv --reuid=65534 --regid=65534 --clear-groups -- $dotnet @arguments 2>&1 }
                    else { & $dotnet @arguments 2>&1 }
        }
        finally { $env:HOME = $env:HOME_BEFORE; Pop-Location }
        $text = ($json | Out-String).Trim()
        $last = ($text -split "`n")[-1]
        try { $last | ConvertFrom-Json } catch { throw "The probe did not answer with JSON$(if ($AsNobody) { ' as nobody' }): $text" }
    }

    $script:AsRoot = Invoke-Probe
    $script:AsNobody = Invoke-Probe -AsNobody
}

AfterAll {
    if ($Socket) { $Socket.Dispose() }
    if ($Shared -and (Test-Path -LiteralPath $Shared)) { Remove-Item -LiteralPath $Shared -Recurse -Force }
}

Describe 'The cmdlets as an unprivileged user on a node with docker''s data root 0700 and log files 0640' {
    It 'runs the probe as nobody and as root' {
        $AsNobody.User | Should -Be 'nobody'
        $AsRoot.User | Should -Be 'root'
        @($AsRoot.Links).Count | Should -BeGreaterThan 10
        @($AsRoot.LinkErrors) | Should -BeNullOrEmpty
    }

    It 'reports docker''s state that is there but cannot be read as DockerStateUnreadable, not as no docker state' {
        @($AsRoot.AutoErrors) | Should -BeNullOrEmpty
        $AsRoot.AutoSource | Should -Be 'DockerFiles'
        $unreadable = @($AsNobody.AutoErrors | Where-Object ErrorId -eq 'DockerStateUnreadable')
        $unreadable | Should -HaveCount 1
        $unreadable[0].Category | Should -Be 'PermissionDenied'
        $unreadable[0].Target | Should -Be (Get-Local $Root '/var/lib/docker/containers')
    }

    It 'reports containerd''s task state that is there but cannot be read as ContainerdStateUnreadable' {
        @($AsRoot.ContainerdErrors) | Should -BeNullOrEmpty
        # (The links into docker's data root are LogEntryUnreadable here too, as with any source.)
        @($AsNobody.ContainerdErrors | Where-Object ErrorId -NotIn 'ContainerdStateUnreadable', 'LogEntryUnreadable') | Should -BeNullOrEmpty
        $errors = @($AsNobody.ContainerdErrors | Where-Object ErrorId -eq 'ContainerdStateUnreadable')
        $errors | Should -HaveCount 1
        $errors[0].Category | Should -Be 'PermissionDenied'
        $errors[0].Target | Should -Be (Get-Local $Root '/run/containerd/io.containerd.runtime.v2.task/k8s.io')
    }

    It 'reports a named CRI socket it may not connect to as CriStateUnreadable, and as RuntimeUnavailable (PermissionDenied) when -Source Cri asks for it' {
        @($AsRoot.NamedCriErrors | Where-Object ErrorId -eq 'CriStateUnreadable') | Should -BeNullOrEmpty
        $named = @($AsNobody.NamedCriErrors | Where-Object ErrorId -eq 'CriStateUnreadable')
        $named | Should -HaveCount 1
        $named[0].Category | Should -Be 'PermissionDenied'
        $asked = @($AsNobody.AskedCri)
        $asked | Should -HaveCount 1
        $asked[0].ErrorId | Should -Be 'RuntimeUnavailable'
        $asked[0].Category | Should -Be 'PermissionDenied'
        @($AsRoot.AskedCri)[0].Category | Should -Not -Be 'PermissionDenied'
    }

    It 'reports log directories it cannot enter as DirectoryUnreadable, the legacy links directory too' {
        $AsRoot.HiddenLinks | Should -BeGreaterThan 0
        $AsNobody.HiddenLinks | Should -Be 0
        $errors = @($AsNobody.HiddenErrors)
        @($errors | Where-Object ErrorId -ne 'DirectoryUnreadable') | Should -BeNullOrEmpty
        @($errors | ForEach-Object Target | Sort-Object) | Should -Be @((Get-Local $Hidden '/var/log/containers'), (Get-Local $Hidden '/var/log/pods'))
        @($errors | ForEach-Object Category | Select-Object -Unique) | Should -Be 'PermissionDenied'
    }

    It 'gives every entry it can read root''s verdict, and nothing root does not see' {
        $rootByKey = @{}
        foreach ($r in $AsRoot.Links) { $rootByKey[$r.Key] = $r }
        @($AsNobody.Links).Count | Should -BeGreaterThan 0 -Because 'the CRI pod''s regular files and links are readable'
        foreach ($r in $AsNobody.Links) {
            $rootByKey.ContainsKey($r.Key) | Should -BeTrue -Because "root sees $($r.Key) too"
            $r.Status | Should -Be $rootByKey[$r.Key].Status -Because "$($r.Key) is '$($rootByKey[$r.Key].Reason)' for root, '$($r.Reason)' for nobody"
        }
    }

    It 'reports each entry root sees and nobody cannot read as LogEntryUnreadable (PermissionDenied), with no record' {
        $seen = @($AsNobody.Links | ForEach-Object Key)
        $unreadable = @($AsRoot.Links | Where-Object Key -NotIn $seen)
        $unreadable.Count | Should -BeGreaterThan 0 -Because 'the links into docker''s data root cannot be followed'
        foreach ($r in $unreadable) {
            $errors = @($AsNobody.LinkErrors | Where-Object Target -eq $r.FullName)
            $errors | Should -HaveCount 1 -Because "$($r.Key) ($($r.Status) for root) must come as one error"
            $errors[0].ErrorId | Should -BeIn 'LogEntryUnreadable', 'DockerStateUnreadable'
            $errors[0].Category | Should -Be 'PermissionDenied'
        }
        @($AsNobody.LinkErrors | Where-Object ErrorId -NotIn 'LogEntryUnreadable', 'DockerStateUnreadable') | Should -BeNullOrEmpty
        @($AsNobody.LinkErrors).Count | Should -Be $unreadable.Count
    }

    It 'lists the same pod directories with the same sizes' {
        @($AsNobody.DirErrors) | Should -BeNullOrEmpty
        $AsNobody.Directories | Should -Be $AsRoot.Directories
    }

    It 'reports log files it cannot open as LogFileAccessDenied and reads no line from elsewhere' {
        $AsRoot.Lines | Should -BeGreaterThan 0
        @($AsRoot.ReadErrors) | Should -BeNullOrEmpty
        $AsNobody.Lines | Should -Be 0
        @($AsNobody.ReadErrors).Count | Should -BeGreaterThan 0
        @($AsNobody.ReadErrors | Where-Object ErrorId -ne 'LogFileAccessDenied') | Should -BeNullOrEmpty
        @($AsNobody.ReadErrors | ForEach-Object Category | Select-Object -Unique) | Should -Be 'PermissionDenied'
    }

    It 'reports a dead link it may not remove as RemovalPermissionDenied, and leaves it' {
        $AsNobody.Removed | Should -Be 0
        # The link, and the sample node's own leftovers: each its own error, all PermissionDenied.
        $errors = @($AsNobody.RemoveErrors)
        $errors.Count | Should -BeGreaterThan 1
        @($errors | Where-Object { $_.ErrorId -ne 'RemovalPermissionDenied' -or $_.Category -ne 'PermissionDenied' }) | Should -BeNullOrEmpty
        @($errors | Where-Object Target -EQ (Get-Local $Removal $DeadLink)) | Should -HaveCount 1
        (Get-Item -LiteralPath (Get-Local $Removal $DeadLink) -Force).LinkTarget | Should -Not -BeNullOrEmpty
    }

    It 'runs the DaemonSet agent as nobody: what it cannot read is an error line and a podlogs_errors series, and the loop goes on' {
        # The agent imports PodLogs by name, as in the image: the copy nobody can read is on PSModulePath.
        $agent = Join-Path $Shared 'podlogs-agent.ps1'
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot '../../deploy/podlogs-agent.ps1') -Destination $agent
        chmod 'a+r' $agent
        $metrics = Join-Path $Shared 'home/podlogs.prom'
        $before = $env:PSModulePath
        Push-Location -LiteralPath $Shared
        try {
            $env:PSModulePath = $Shared
            $lines = @(& $setpriv --reuid=65534 --regid=65534 --clear-groups -- $dotnet (Join-Path $Shared 'pwsh/pwsh.dll') -NoProfile -NonInteractive `
                    -File $agent -Root $Hidden -MetricsPath $metrics -IntervalSec 1 -MaxCycles 2)
            $code = $LASTEXITCODE
        }
        finally { $env:PSModulePath = $before; Pop-Location }
        $code | Should -Be 0 -Because ($lines -join "`n")
        $events = @($lines | ConvertFrom-Json)
        $errors = @($events | Where-Object event -EQ 'error')
        @($errors.errorId | Select-Object -Unique) | Should -Be 'DirectoryUnreadable'
        @($errors | Where-Object time -LE @($events | Where-Object event -EQ 'cycle')[0].time | ForEach-Object target | Sort-Object) |
            Should -Be @((Get-Local $Hidden '/var/log/containers'), (Get-Local $Hidden '/var/log/pods'))
        @($events | Where-Object event -EQ 'cycle').errors | Should -Be 2, 2
        $events[-1].event | Should -Be 'stop'
        Get-Content -Raw -LiteralPath $metrics | Should -Match '(?m)^podlogs_errors\{error_id="DirectoryUnreadable"\} 2$'
        (& stat -c %u $metrics) | Should -Be '65534' -Because 'nobody wrote it'
    }
}
