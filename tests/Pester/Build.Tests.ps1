# The README's test command sets itself up (issue #10): a machine that lacks what the integration tests
# need and cannot install it is told so at once, with the command to run, before anything is built.
Describe 'build.ps1 Test on a machine that cannot install the integration prerequisites' {
    BeforeAll {
        $build = Join-Path $PSScriptRoot '../../build.ps1'
        $pwsh = Join-Path $PSHOME 'pwsh'
    }

    It 'fails at once with the apt-get command when neither the daemons nor apt-get are on PATH' {
        # A PATH with nothing on it: no dockerd, containerd, busybox, unshare, apt-get or dotnet.
        $empty = New-Item -ItemType Directory (Join-Path $TestDrive 'empty-path') -Force
        $output = & {
            $saved = $env:PATH
            try { $env:PATH = $empty.FullName; & $pwsh -NoProfile -NonInteractive -File $build Test 2>&1 }
            finally { $env:PATH = $saved }
        } | Out-String
        $LASTEXITCODE | Should -Be 2
        $output | Should -Match 'no apt-get on this machine'
        $output | Should -Match 'apt-get install -y --no-install-recommends docker\.io busybox-static'
        $output | Should -Match 'need dockerd, containerd, busybox'
        $output | Should -Not -Match 'Building PodLogs'
    }
}
