# Issue #14 item 5: records that come back from PowerShell remoting over SSH keep their views and pipe back into the
# module's cmdlets. A real sshd (Debian openssh-server) on 127.0.0.1, on a free port, with its own config, host key and
# authorized key in the test's temporary directory; key auth only; the powershell subsystem is this pwsh.
BeforeAll {
    Import-Module $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" }) -Force
    . $PSScriptRoot/PodLogs.TestHelpers.ps1
    $PSStyle.OutputRendering = 'PlainText'
    $modulePath = (Get-Module PodLogs).ModuleBase
    $root = New-SampleRoot 'remote'

    $dir = (New-Item -ItemType Directory (Join-Path $TestDrive "sshd-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName
    foreach ($key in 'host_key', 'client_key') {
        & ssh-keygen -q -t ed25519 -N '' -C "podlogs-test-$key" -f (Join-Path $dir $key)
        if ($LASTEXITCODE -ne 0) { throw "ssh-keygen failed for $key." }
    }
    Copy-Item (Join-Path $dir 'client_key.pub') (Join-Path $dir 'authorized_keys')

    # The pwsh here is a dotnet tool: sshd starts the subsystem through this script, which gives it the .NET runtime
    # and a home under the test's directory (nothing of the session is written to the real home).
    $home_ = (New-Item -ItemType Directory (Join-Path $dir 'home')).FullName
    $dotnetRoot = [IO.Path]::GetFullPath((Join-Path ([Runtime.InteropServices.RuntimeEnvironment]::GetRuntimeDirectory()) '../../..'))
    $subsystem = Join-Path $dir 'pwsh-subsystem.sh'
    Set-Content -LiteralPath $subsystem -Value @"
#!/bin/sh
export HOME='$home_' XDG_CONFIG_HOME='$home_/.config' XDG_DATA_HOME='$home_/.local/share' XDG_CACHE_HOME='$home_/.cache'
export DOTNET_ROOT='$dotnetRoot' NO_COLOR=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
exec '$(Join-Path $PSHOME 'pwsh')' "`$@"
"@
    [IO.File]::SetUnixFileMode($subsystem, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute')

    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $config = Join-Path $dir 'sshd_config'
    # StrictModes no: the keys sit below /tmp, which is world-writable. UsePAM no: no PAM session in a container.
    Set-Content -LiteralPath $config -Value @"
ListenAddress 127.0.0.1
Port $port
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem powershell $subsystem -sshs -NoLogo
"@
    $sshdLog = Join-Path $dir 'sshd.log'
    # sshd wants its privilege-separation directory /run/sshd: it gets one on a tmpfs in a private mount namespace,
    # so nothing is written to the machine's /run.
    $start = [Diagnostics.ProcessStartInfo]::new('unshare')
    foreach ($argument in @('--mount', '--propagation', 'private', '--', '/bin/sh', '-c',
            "mount -t tmpfs -o mode=0755 podlogs-sshd /run && mkdir -m 0755 /run/sshd && exec /usr/sbin/sshd -D -e -E '$sshdLog' -f '$config'")) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $sshd = [Diagnostics.Process]::Start($start)
    $ready = $false
    for ($i = 0; $i -lt 300 -and -not $ready -and -not $sshd.HasExited; $i++) {
        $client = [Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $port); $ready = $true } catch { Start-Sleep -Milliseconds 100 } finally { $client.Dispose() }
    }
    if (-not $ready) { throw "sshd did not listen on 127.0.0.1:${port}: $(Get-Content -Raw -LiteralPath $sshdLog -ErrorAction Ignore)" }

    # The client trusts exactly this host key and offers exactly this key; nothing is read from or written to ~/.ssh.
    $knownHosts = Join-Path $dir 'known_hosts'
    Set-Content -LiteralPath $knownHosts -Value "[127.0.0.1]:$port $((Get-Content -Raw -LiteralPath (Join-Path $dir 'host_key.pub')).Trim())"
    $remote = @{
        HostName    = '127.0.0.1'
        Port        = $port
        UserName    = 'root'
        KeyFilePath = Join-Path $dir 'client_key'
        Options     = @{ UserKnownHostsFile = $knownHosts; GlobalKnownHostsFile = '/dev/null'; StrictHostKeyChecking = 'yes'; IdentitiesOnly = 'yes'; BatchMode = 'yes' }
    }
    $links = @(Invoke-Command @remote -ScriptBlock { Import-Module $using:modulePath; Get-ContainerLogLink -Root $using:root } -ErrorAction Stop)
}

AfterAll {
    if ($sshd) {
        if (-not $sshd.HasExited) { $sshd.Kill($true) }
        $sshd.WaitForExit()
    }
    # Nothing of the test may go on running: sshd's session processes and the remote pwsh all name the test's directory.
    if ($dir) {
        $find = { @(Get-ChildItem /proc -Directory | Where-Object Name -Match '^\d+$' | Where-Object {
                    (Get-Content -Raw -LiteralPath "$($_.FullName)/cmdline" -ErrorAction Ignore) -replace "`0", ' ' -like "*$dir*" }) }
        # A session's processes may take a moment to go after their parent: waited for, not asserted on.
        for ($i = 0; $i -lt 50 -and ($left = & $find); $i++) { Start-Sleep -Milliseconds 100 }
        foreach ($process in $left) { Stop-Process -Id ([int]$process.Name) -Force -ErrorAction Ignore }
        if ($left) { throw "Processes of the remoting test were still running and were killed: $($left.Name -join ', ')" }
    }
}

Describe 'Remoting over SSH (Invoke-Command -HostName)' {
    It 'brings back every link record of the node, deserialized and marked with PSComputerName' {
        $local = @(Get-ContainerLogLink -Root $root)
        $links.Count | Should -Be $local.Count
        $links.Count | Should -Be $Sample.EntryCount
        $links | ForEach-Object {
            $_.PSComputerName | Should -Be '127.0.0.1'
            $_.PSObject.TypeNames[0] | Should -Be 'Deserialized.PodLogs.Core.ContainerLogLink'
        }
        ($links | ForEach-Object { "$($_.Status) $($_.NodePath)" }) | Should -Be ($local | ForEach-Object { "$($_.Status) $($_.NodePath)" })
    }

    It 'formats the records with the module''s table view, as the local records, and adds the computer''s name' {
        # PowerShell adds PSComputerName as the last column of a view for records that came from a remote session.
        $rows = @(($links | Format-Table | Out-String -Width 250) -split "`n" | Where-Object { $_.Trim() })
        $rows[0] | Should -Match '^STATUS\s+POD\s+CONTAINER\s+N\s+REASON\s+PSComputerName\s*$'
        $rows | Should -Not -Match 'RunspaceId'
        $localRows = @((Get-ContainerLogLink -Root $root | Format-Table | Out-String -Width 250) -split "`n" | Where-Object { $_.Trim() })
        $rows.Count | Should -Be $localRows.Count
        # STATUS, POD, CONTAINER and N have fixed widths (55 columns): the same cells as the local table.
        for ($i = 2; $i -lt $rows.Count; $i++) {
            $rows[$i].Substring(0, 55) | Should -BeExactly $localRows[$i].Substring(0, 55)
            $rows[$i] | Should -Match '\s127\.0\.0\.1\s*$'
        }
        $links | Format-Table -View Wide | Out-String -Width 250 | Should -Match 'STATUS\s+KIND\s+NAMESPACE\s+POD\s+CONTAINER\s+N\s+ID\s+REASON'
    }

    It 'pipes the records back into Get-ContainerLog, which reads the lines of the instances they name' {
        $coredns = @($links | Where-Object PodName -EQ $Sample.CorednsPod)
        $coredns | Should -Not -BeNullOrEmpty
        $lines = @($coredns | Get-ContainerLog -Root $root -ErrorAction Stop)
        $expected = @(Get-ContainerLog -Root $root -Namespace kube-system -PodName $Sample.CorednsPod -ErrorAction Stop)
        $expected.Count | Should -BeGreaterThan 0
        ($lines | ForEach-Object { "$($_.TimestampText) $($_.Message)" }) | Should -Be ($expected | ForEach-Object { "$($_.TimestampText) $($_.Message)" })
        $lines | ForEach-Object { $_.PodName | Should -Be $Sample.CorednsPod }
    }

    It 'pipes the records into Get-ContainerLog on the node they came from, where their Root binds by property name' {
        $coredns = @($links | Where-Object PodName -EQ $Sample.CorednsPod)
        $lines = @(Invoke-Command @remote -ScriptBlock { Import-Module $using:modulePath; $using:coredns | Get-ContainerLog } -ErrorAction Stop)
        $expected = @(Get-ContainerLog -Root $root -Namespace kube-system -PodName $Sample.CorednsPod -ErrorAction Stop)
        $lines.Count | Should -Be $expected.Count
        ($lines | ForEach-Object { "$($_.TimestampText) $($_.Message)" }) | Should -Be ($expected | ForEach-Object { "$($_.TimestampText) $($_.Message)" })
        $lines | ForEach-Object { $_.PSComputerName | Should -Be '127.0.0.1' }
        $lines | Out-String -Width 250 | Should -BeExactly ($expected | Out-String -Width 250) -Because 'a log line keeps its view too'
    }

    It 'keeps a Test-ContainerLogLink summary''s failing records (one level deeper than remoting''s default)' {
        $summary = Invoke-Command @remote -ScriptBlock { Import-Module $using:modulePath; Test-ContainerLogLink -Root $using:root -Detailed } -ErrorAction Stop
        $summary.PSObject.TypeNames[0] | Should -Be 'Deserialized.PodLogs.Core.ContainerLogLinkTestResult'
        $local = Test-ContainerLogLink -Root $root -Detailed
        @($summary.Failures).Count | Should -Be @($local.Failures).Count
        ($summary.Failures | ForEach-Object { "$($_.Status): $($_.NodePath)" }) | Should -Be ($local.Failures | ForEach-Object { "$($_.Status): $($_.NodePath)" })
        $summary | Out-String -Width 250 | Should -Match "(?m)^Failures\s+: Missing: $([regex]::Escape($local.Failures[0].NodePath))"
    }
}
