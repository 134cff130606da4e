# Issue #14 item 4: the PowerShell Gallery package build.ps1 Package (and Test) writes next to the published module.
# A local PSResourceGet repository stands in for the Gallery; every pwsh that touches PSResourceGet runs with HOME and
# the XDG directories in the test's temporary directory, so the user's repositories and modules are never touched.
BeforeAll {
    $moduleDir = (Resolve-Path $(if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { "$PSScriptRoot/../../out/PodLogs" })).Path
    $manifest = Import-PowerShellDataFile (Join-Path $moduleDir 'PodLogs.psd1')
    $version = $manifest.ModuleVersion
    $package = Join-Path (Split-Path $moduleDir) "PodLogs.$version.nupkg"
    if (-not (Test-Path $package)) { throw "No package ${package}: run build.ps1 Package (build.ps1 Test makes it too)." }
    $pwsh = Join-Path $PSHOME 'pwsh'

    $gallery = (New-Item -ItemType Directory (Join-Path $TestDrive 'gallery')).FullName
    Copy-Item $package $gallery
    $home_ = (New-Item -ItemType Directory (Join-Path $TestDrive 'home')).FullName
    # It must exist: .NET gives PSResourceGet an empty path for a missing one, and it would write into the working directory.
    $dataHome = (New-Item -ItemType Directory (Join-Path $home_ '.local/share')).FullName
    $node = Join-Path $TestDrive 'node'

    # What PSResourceGet and pwsh keep in the real home: compared after the test.
    $realData = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.local/share' }
    function Get-UserState {
        foreach ($path in (Join-Path $realData 'PSResourceGet'), (Join-Path $realData 'powershell/Modules')) {
            if (Test-Path $path) { Get-ChildItem $path -Recurse -File | ForEach-Object { "$($_.FullName) $((Get-FileHash $_.FullName).Hash)" } }
            else { "$path absent" }
        }
    }
    $userStateBefore = @(Get-UserState)

    # A fresh pwsh with the temporary home (and, with -ModulePath, only that module path of its own); its output as text.
    function Invoke-IsolatedPwsh([string] $Command, [string] $ModulePath) {
        $names = 'HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PSModulePath'
        $saved = @{}
        foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        try {
            $env:HOME = $home_
            $env:XDG_DATA_HOME = $dataHome
            $env:XDG_CONFIG_HOME = Join-Path $home_ '.config'
            $env:XDG_CACHE_HOME = Join-Path $home_ '.cache'
            $env:PSModulePath = $ModulePath
            Push-Location $home_
            $output = & $pwsh -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Command" 2>&1 | Out-String
            if ($LASTEXITCODE -ne 0) { throw "pwsh failed with exit code ${LASTEXITCODE}: $output" }
            $output
        }
        finally {
            Pop-Location
            foreach ($name in $names) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }

    $installed = Invoke-IsolatedPwsh @"
Register-PSResourceRepository -Name PodLogsLocal -Uri '$gallery' -Trusted
Install-PSResource PodLogs -Repository PodLogsLocal -Scope CurrentUser -Quiet
Get-InstalledPSResource PodLogs | Select-Object Name, @{ n = 'Version'; e = { "`$(`$_.Version)" } }, InstalledLocation, ProjectUri, LicenseUri, ReleaseNotes, Tags | ConvertTo-Json -Compress
"@ | ConvertFrom-Json
    $modules = Join-Path $dataHome 'powershell/Modules'
    $installedDir = Join-Path $modules "PodLogs/$version"
}

Describe 'The PowerShell Gallery package' {
    It 'is named after the manifest''s ModuleVersion, the version of the assemblies too' {
        $version | Should -Match '^\d+\.\d+\.\d+$'
        (Get-Item (Join-Path $moduleDir 'PodLogs.dll')).VersionInfo.FileVersion | Should -Be "$version.0"
        (Get-Item (Join-Path $moduleDir 'PodLogs.Core.dll')).VersionInfo.FileVersion | Should -Be "$version.0"
    }

    It 'carries the Gallery''s metadata from the manifest' {
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.PowerShellVersion | Should -Be '7.4'
        $manifest.Description | Should -Not -BeNullOrEmpty
        $psData = $manifest.PrivateData.PSData
        foreach ($key in 'ProjectUri', 'LicenseUri') { [uri]::IsWellFormedUriString($psData[$key], 'Absolute') | Should -BeTrue -Because "$key is a URI" }
        $psData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $psData.Tags | Should -Contain 'Kubernetes'
        $psData.Tags | Should -Contain 'Linux'
        $psData.Tags | Where-Object { $_ -match '\s' } | Should -BeNullOrEmpty -Because 'a Gallery tag has no spaces'

        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try {
            $reader = [IO.StreamReader]::new($zip.GetEntry('PodLogs.nuspec').Open())
            $nuspec = ([xml]$reader.ReadToEnd()).package.metadata
            $reader.Dispose()
            $zip.Entries.FullName | Should -Contain 'LICENSE'
        }
        finally { $zip.Dispose() }
        $nuspec.id | Should -Be 'PodLogs'
        $nuspec.version | Should -Be $version
        $nuspec.projectUrl | Should -Be $psData.ProjectUri
        $nuspec.licenseUrl | Should -Be $psData.LicenseUri
        $nuspec.releaseNotes | Should -Be $psData.ReleaseNotes
        $nuspec.tags -split ' ' | Should -Contain 'kubelet'
    }

    It 'installs with Install-PSResource from a repository registered on its directory, into the temporary scope' {
        $installed.Name | Should -Be 'PodLogs'
        $installed.Version | Should -Be $version
        $installed.InstalledLocation | Should -Be $modules
        $installed.ProjectUri | Should -Be $manifest.PrivateData.PSData.ProjectUri
        $installed.ReleaseNotes | Should -Be $manifest.PrivateData.PSData.ReleaseNotes
        Test-Path (Join-Path $installedDir 'PodLogs.psd1') | Should -BeTrue
    }

    It 'holds exactly the published module' {
        $relative = { param($base) Get-ChildItem $base -Recurse -File | ForEach-Object { "$([IO.Path]::GetRelativePath($base, $_.FullName)) $((Get-FileHash $_.FullName).Hash)" } | Sort-Object }
        # PSGetModuleInfo.xml is PSResourceGet's record of the installation.
        $inPackage = @(& $relative $installedDir | Where-Object { $_ -notlike 'PSGetModuleInfo.xml *' })
        $inPackage | Should -Be @(& $relative $moduleDir) -Because 'the package is made from out/PodLogs (run build.ps1 Package after a Build)'
    }

    It 'imports by name in a fresh pwsh whose module path is the installation, and checks the sample node' {
        $result = Invoke-IsolatedPwsh -ModulePath $modules @"
Import-Module PodLogs
`$links = @(Get-ContainerLogLink -Root (New-PodLogSampleNode -Path '$node').FullName)
[pscustomobject]@{
    ModuleBase = (Get-Module PodLogs).ModuleBase
    Version    = "`$((Get-Module PodLogs).Version)"
    Cmdlets    = @((Get-Command -Module PodLogs).Name | Sort-Object)
    Links      = `$links.Count
    Statuses   = @(`$links | ForEach-Object { "`$(`$_.Status) `$(`$_.NodePath)" })
} | ConvertTo-Json -Compress
"@ | ConvertFrom-Json
        $result.ModuleBase | Should -Be $installedDir
        $result.Version | Should -Be $version
        $result.Cmdlets | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $result.Links | Should -Be 25
        Import-Module $moduleDir -Force
        $result.Statuses | Should -Be @(Get-ContainerLogLink -Root $node | ForEach-Object { "$($_.Status) $($_.NodePath)" })
    }

    It 'keeps the registered repository in the temporary home and leaves the user''s repositories and modules as they were' {
        Get-Content -Raw (Join-Path $dataHome 'PSResourceGet/PSResourceRepository.xml') | Should -Match ([regex]::Escape($gallery))
        @(Get-UserState) | Should -Be $userStateBefore
    }
}
