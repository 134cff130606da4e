#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and demonstrates the PodLogs module.
.DESCRIPTION
    Build      publishes the module to out/PodLogs (import it from there).
    Package    builds, then packs out/PodLogs into out/PodLogs.<ModuleVersion>.nupkg, the PowerShell Gallery's package
               (Install-PSResource installs it from a repository registered on its directory).
    Image      builds, then builds the container image from deploy/Dockerfile (deploy/build-image.ps1): the module,
               the agent and the node-problem-detector plugin on a PowerShell base (-BaseImage, the Dockerfile's
               default otherwise), tagged -Tag (podlogs:<ModuleVersion> by default). Needs a docker daemon.
    Test       builds, runs every test (xunit for Core, Pester for the module), and prints
               "N passed, N failed, N skipped" as its last line; exits non-zero on any failure or
               when no test ran.
    Demo       builds, writes the embedded sample node to a temporary directory and runs the main
               job on it: list pods, show what is broken and why, repair with -WhatIf, repair,
               show the result.
    Benchmark  builds and runs every benchmark in benchmarks/, or only those named by -Name: a script
               benchmarks/<Name>.ps1 (run with -ModulePath), or a project benchmarks/<Name>/<Name>.csproj (run
               with dotnet inside `unshare --mount --propagation private`). They need root for a private
               mount namespace. Benchmarks print tables; they are not tests.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 Benchmark -Name RuntimeSourceBench
.EXAMPLE
    dotnet pwsh ./build.ps1 Image -BaseImage mcr.microsoft.com/dotnet/sdk:10.0 -Tag registry.example/podlogs:0.1.0
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Benchmark', 'Package', 'Image')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Benchmark: which benchmarks to run (file or project names in benchmarks/, without extension); all by default.
    [string[]] $Name,

    # Image: the base image (the Dockerfile's BASE_IMAGE) and the image's name.
    [string] $BaseImage,
    [string] $Tag
)

. $PSScriptRoot/.ci/quiet-environment.ps1

$repo = $PSScriptRoot
$out = Join-Path $repo 'out'
$moduleDir = Join-Path $out 'PodLogs'
$pwshExe = Join-Path $PSHOME 'pwsh'

function Invoke-Native([string] $what, [scriptblock] $command) {
    & $command
    if ($LASTEXITCODE -ne 0) { throw "$what failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    Write-Host "Building PodLogs ($Configuration) -> $moduleDir"
    if (Test-Path $moduleDir) { Remove-Item $moduleDir -Recurse -Force }
    Invoke-Native 'dotnet publish' { dotnet publish (Join-Path $repo 'src/PodLogs/PodLogs.csproj') -c $Configuration -o $moduleDir --nologo -v quiet }
    # The live runtime adapters and their packages load into a private AssemblyLoadContext from
    # Dependencies/; PodLogs.Core must resolve to the module's own copy, so none is kept there.
    $dependencies = Join-Path $moduleDir 'Dependencies'
    Invoke-Native 'dotnet publish (runtime adapters)' { dotnet publish (Join-Path $repo 'src/PodLogs.Runtime/PodLogs.Runtime.csproj') -c $Configuration -o $dependencies --nologo -v quiet }
    Get-ChildItem $dependencies -Filter 'PodLogs.Core.*' | Remove-Item
    Copy-Item (Join-Path $repo 'PodLogs.psd1'), (Join-Path $repo 'LICENSE') $moduleDir
    # The MAML help is built from its sources: each cmdlet's own help, and each shared parameter's one description.
    & (Join-Path $repo 'src/PodLogs/en-US/Expand-Help.ps1') -Destination (Join-Path $moduleDir 'en-US/PodLogs.dll-Help.xml')
    # The publish output must not carry PowerShellStandard's reference System.Management.Automation.dll.
    Get-ChildItem $moduleDir -Filter 'System.Management.Automation.dll' | Remove-Item
}

function Invoke-Package {
    # PSResourceGet (built into pwsh 7.4+) packs the published module as Publish-PSResource would, without a repository.
    $version = (Import-PowerShellDataFile (Join-Path $moduleDir 'PodLogs.psd1')).ModuleVersion
    $package = Join-Path $out "PodLogs.$version.nupkg"
    Remove-Item $package -ErrorAction Ignore
    # In a child pwsh whose home is a temporary directory: PSResourceGet creates its repository store in the home's
    # .local/share, or in the working directory when that does not exist (.NET gives it an empty path then).
    $home_ = New-Item -ItemType Directory (Join-Path ([IO.Path]::GetTempPath()) "podlogs-package-$([guid]::NewGuid().ToString('n'))")
    $null = New-Item -ItemType Directory (Join-Path $home_ '.local/share')
    $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME }
    Push-Location $home_
    try {
        $env:HOME = $home_.FullName
        $env:XDG_DATA_HOME = $env:XDG_CONFIG_HOME = $env:XDG_CACHE_HOME = $null
        Invoke-Native 'Compress-PSResource' { & $pwshExe -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; Compress-PSResource -Path '$moduleDir' -DestinationPath '$out'" }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Pop-Location
        Remove-Item $home_ -Recurse -Force
    }
    if (-not (Test-Path $package)) { throw "Compress-PSResource did not write $package." }
    Write-Host "Packed $package"
}

function Invoke-Image {
    # The context is staged under out/ (the module, the agent, the plugin, the Dockerfile), never the repository.
    $arguments = @{ ModulePath = $moduleDir; Context = (Join-Path $out 'image') }
    if ($BaseImage) { $arguments.BaseImage = $BaseImage }
    if ($Tag) { $arguments.Tag = $Tag }
    $null = & (Join-Path $repo 'deploy/build-image.ps1') @arguments
}

function Get-PesterModulePath {
    $packages = Join-Path $out 'packages'
    $psd1 = Join-Path $packages 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $psd1) -or -not (Test-Path (Join-Path $packages 'yamldotnet/16.3.0'))) {
        Invoke-Native 'restoring Pester' { dotnet restore (Join-Path $repo 'tests/Pester/PesterPackage.proj') --packages $packages --nologo -v quiet }
    }
    $psd1
}

# What the runtime integration tests need on the machine (issue #3): real dockerd, containerd and runc
# (docker.io), busybox for the test images (busybox-static), Europe/Berlin for the time-zone test (tzdata),
# unshare for their private mount namespace (util-linux), and logrotate to prove the rotation tests' rule files
# are ones it accepts (issue #13). Test installs what is missing (issue #10).
$IntegrationPrerequisites = @(
    @{ What = 'dockerd'; Package = 'docker.io'; Present = { [bool](Get-Command dockerd -ErrorAction Ignore) } }
    @{ What = 'containerd'; Package = 'docker.io'; Present = { [bool](Get-Command containerd -ErrorAction Ignore) } }
    @{ What = 'busybox'; Package = 'busybox-static'; Present = { [bool](Get-Command busybox -ErrorAction Ignore) } }
    # The image test builds and runs the image with the docker CLI; its base comes from apt-get download and dpkg-deb
    # (apt and dpkg, always there), so it needs no other package (issue #14 item 3).
    @{ What = 'docker'; Package = 'docker.io'; Present = { [bool](Get-Command docker -ErrorAction Ignore) } }
    @{ What = '/usr/share/zoneinfo/Europe/Berlin'; Package = 'tzdata'; Present = { Test-Path /usr/share/zoneinfo/Europe/Berlin } }
    @{ What = 'unshare'; Package = 'util-linux'; Present = { [bool](Get-Command unshare -ErrorAction Ignore) } }
    @{ What = 'logrotate'; Package = 'logrotate'; Present = { [bool](Get-Command logrotate -ErrorAction Ignore) -or (Test-Path /usr/sbin/logrotate) } }
    # The remoting test's real sshd and the ssh client Invoke-Command -HostName runs (issue #14 item 5).
    @{ What = 'sshd'; Package = 'openssh-server'; Present = { Test-Path /usr/sbin/sshd } }
    @{ What = 'ssh'; Package = 'openssh-client'; Present = { [bool](Get-Command ssh -ErrorAction Ignore) -and [bool](Get-Command ssh-keygen -ErrorAction Ignore) } }

    @{ What = 'promtool'; Package = 'prometheus'; Present = { [bool](Get-Command promtool -ErrorAction Ignore) } }
    @{ What = 'prometheus-node-exporter'; Package = 'prometheus-node-exporter'; Present = { [bool](Get-Command prometheus-node-exporter -ErrorAction Ignore) } }
)

function Install-TestPrerequisites {
    $missing = @($IntegrationPrerequisites | Where-Object { -not (& $_.Present) })
    if (-not $missing) { return }
    $packages = @($missing.Package | Select-Object -Unique)
    $command = "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $($packages -join ' ')"
    $what = ($missing | ForEach-Object { $_.What }) -join ', '
    $isRoot = [Environment]::IsPrivilegedProcess
    if (-not $isRoot -or -not (Get-Command apt-get -ErrorAction Ignore)) {
        $why = if (-not $isRoot) { 'not running as root' } else { 'no apt-get on this machine' }
        # Plain lines (not a thrown error, which the error view wraps): the command must be copyable.
        [Console]::Error.WriteLine("The integration tests need $what, which this machine lacks, and they cannot be installed here ($why).")
        [Console]::Error.WriteLine("Install them as root, then run the tests again:`n    $command")
        exit 2
    }
    Write-Host "The integration tests need $what; installing the Debian packages $($packages -join ', ')."
    # apt's and dpkg's progress lines are kept out of the test log, and shown when a step fails.
    $env:DEBIAN_FRONTEND = 'noninteractive'
    foreach ($step in @(@('update', '-qq'), @(@('install', '-y', '-qq', '--no-install-recommends') + $packages))) {
        $log = & apt-get @step 2>&1
        if ($LASTEXITCODE -ne 0) { $log | Out-Host; throw "apt-get $($step[0]) failed with exit code $LASTEXITCODE (run: $command)." }
    }
    $still = @($IntegrationPrerequisites | Where-Object { -not (& $_.Present) })
    if ($still) { throw "Installed $($packages -join ', '), but $(($still | ForEach-Object { $_.What }) -join ', ') is still missing." }
}

function Invoke-XunitTests {
    $results = Join-Path $out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $common = @('-c', $Configuration, '--nologo', '--results-directory', $results, '--logger', 'console;verbosity=minimal')
    dotnet test (Join-Path $repo 'tests/PodLogs.Core.Tests/PodLogs.Core.Tests.csproj') @common --logger 'trx;LogFileName=core.trx' | Out-Host
    # The runtime integration tests start real dockerd and containerd and bind-mount a test node over
    # /var/log and /var/lib/docker: only inside a private mount namespace, as root.
    $runtimeTests = Join-Path $repo 'tests/PodLogs.Runtime.Tests/PodLogs.Runtime.Tests.csproj'
    unshare --mount --propagation private -- dotnet test $runtimeTests @common --logger 'trx;LogFileName=runtime.trx' | Out-Host
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0; FailedNames = [System.Collections.Generic.List[string]]::new() }
    foreach ($name in 'core.trx', 'runtime.trx') {
        $trx = Get-ChildItem $results -Filter $name -Recurse | Select-Object -First 1
        if (-not $trx) { Write-Host "No results from ${name}: that test run did not complete."; $total.Failed++; $total.FailedNames.Add("$name (did not complete)"); continue }
        $run = ([xml](Get-Content $trx.FullName -Raw)).TestRun
        foreach ($result in @($run.Results.UnitTestResult | Where-Object outcome -ne 'Passed' | Where-Object outcome -ne 'NotExecuted')) {
            $message = "$($result.Output.ErrorInfo.Message)" -split "`n" | Select-Object -First 1
            $total.FailedNames.Add("$($result.testName): $message")
        }
        $counters = $run.ResultSummary.Counters
        $total.Passed += [int]$counters.passed
        $total.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $total.Skipped += [int]$counters.notExecuted
    }
    $total
}

function Invoke-TestKubeApiBuild {
    # The test Kubernetes API server Pester starts in a child process (Start-TestKubeApi in
    # tests/Pester/PodLogs.TestHelpers.ps1), found through PODLOGS_TEST_KUBEAPI.
    $project = Join-Path $repo 'tests/PodLogs.TestKubeApi/PodLogs.TestKubeApi.csproj'
    Invoke-Native 'dotnet build (test API server)' { dotnet build $project -c $Configuration --nologo -v quiet }
    $env:PODLOGS_TEST_KUBEAPI = Join-Path $repo "tests/PodLogs.TestKubeApi/bin/$Configuration/net10.0/PodLogs.TestKubeApi.dll"
}

function Invoke-PesterTests {
    $pester = Get-PesterModulePath
    $summary = Join-Path $out 'pester-summary.json'
    Remove-Item $summary -ErrorAction Ignore
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $repo 'tests/Pester')'
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Normal'
`$config.Output.RenderMode = 'Plaintext'
`$r = Invoke-Pester -Configuration `$config
`$failedNames = @(`$r.Failed | ForEach-Object { "`$(`$_.ExpandedPath): `$(("`$(`$_.ErrorRecord | Select-Object -First 1)" -split "``n")[0])" }) + @(`$r.FailedBlocks + `$r.FailedContainers | ForEach-Object { "`$(`$_.Name) (block or file)" })
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount; FailedNames = `$failedNames } | ConvertTo-Json | Set-Content '$summary'
"@
    $env:PODLOGS_MODULE = $moduleDir
    $env:PODLOGS_TEST_PACKAGES = Join-Path $out 'packages'
    & $pwshExe -NoProfile -NonInteractive -Command $script | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0; FailedNames = @('Pester (the run did not complete)') } }
    Get-Content $summary -Raw | ConvertFrom-Json
}

function Invoke-Test {
    # First, so a machine that cannot run the integration tests says so at once, not through failing tests.
    Install-TestPrerequisites
    Invoke-Build
    # tests/Pester/Package.Tests.ps1 installs this package.
    Invoke-Package
    $xunit = Invoke-XunitTests
    Invoke-TestKubeApiBuild
    $pester = Invoke-PesterTests
    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    # Last, beside the counts: a CI log is often read from its tail only.
    foreach ($name in @($xunit.FailedNames) + @($pester.FailedNames) | Where-Object { $_ }) { Write-Host "FAILED: $name" }
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    & $pwshExe -NoProfile -NonInteractive -File (Join-Path $repo 'docs/demo.ps1') -ModulePath $moduleDir
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

function Invoke-Benchmark {
    $benchmarks = Join-Path $repo 'benchmarks'
    $found = @(Get-ChildItem $benchmarks -Filter '*.ps1' -File | ForEach-Object { [pscustomobject]@{ Name = $_.BaseName; Path = $_.FullName; Project = $false } }) +
        @(Get-ChildItem $benchmarks -Directory | Where-Object { Test-Path (Join-Path $_.FullName "$($_.Name).csproj") } |
            ForEach-Object { [pscustomobject]@{ Name = $_.Name; Path = (Join-Path $_.FullName "$($_.Name).csproj"); Project = $true } })
    if ($Name) {
        $unknown = @($Name | Where-Object { $_ -notin $found.Name })
        if ($unknown) { throw "No benchmark named $($unknown -join ', ') in benchmarks/ (there are: $($found.Name -join ', '))." }
        $found = @($found | Where-Object Name -in $Name)
    }
    if (-not $found) { throw 'No benchmark found in benchmarks/.' }
    Invoke-Build
    $failed = @()
    foreach ($benchmark in $found) {
        Write-Host "== $($benchmark.Name)"
        if ($benchmark.Project) {
            # Real daemons on a node tree bind-mounted over /var/log and /var/lib/docker: a private mount namespace.
            if (-not (Get-Command unshare -ErrorAction Ignore)) { throw 'unshare (util-linux) is required to run the benchmarks.' }
            unshare --mount --propagation private -- dotnet run --project $benchmark.Path -c $Configuration -- --module $moduleDir --pwsh $pwshExe | Out-Host
        }
        else {
            & $pwshExe -NoProfile -NonInteractive -File $benchmark.Path -ModulePath $moduleDir | Out-Host
        }
        if ($LASTEXITCODE -ne 0) { $failed += "$($benchmark.Name) (exit code $LASTEXITCODE)" }
    }
    if ($failed) { Write-Host "Failed: $($failed -join ', ')"; exit 1 }
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Test' { Invoke-Test }
    'Demo' { Invoke-Demo }
    'Benchmark' { Invoke-Benchmark }
    'Package' { Invoke-Build; Invoke-Package }
    'Image' { Invoke-Build; Invoke-Image }
}
