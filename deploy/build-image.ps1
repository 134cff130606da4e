#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds the PodLogs image from deploy/Dockerfile and an already published module.
.DESCRIPTION
    Stages a minimal build context (the published module, the agent, the node-problem-detector plugin and the
    Dockerfile; never the repository) in -Context and runs `docker build` on it, with the module manifest's
    ModuleVersion as the VERSION build argument and the default tag. `build.ps1 Image` publishes the module and calls
    this; the image test calls it with a module published before and a base made from Debian packages, so both build
    the image the same way. Talks to the docker daemon the docker CLI talks to (DOCKER_HOST, or the default socket).
.EXAMPLE
    ./deploy/build-image.ps1 -ModulePath out/PodLogs -Context out/image -BaseImage mcr.microsoft.com/dotnet/sdk:10.0
#>
[CmdletBinding()]
param(
    # The published module directory (build.ps1 Build's out/PodLogs).
    [Parameter(Mandatory)]
    [string] $ModulePath,

    # Where to stage the build context; emptied first.
    [Parameter(Mandatory)]
    [string] $Context,

    # The base image (the Dockerfile's BASE_IMAGE); the Dockerfile's default when not given.
    [string] $BaseImage,

    # The image's name; podlogs:<ModuleVersion> by default.
    [string] $Tag
)

$ErrorActionPreference = 'Stop'
$deploy = $PSScriptRoot

$manifest = Join-Path $ModulePath 'PodLogs.psd1'
if (-not (Test-Path $manifest)) { throw "No published module at '$ModulePath' (no PodLogs.psd1): run 'dotnet pwsh ./build.ps1 Build' first." }
$version = (Import-PowerShellDataFile $manifest).ModuleVersion
if (-not $Tag) { $Tag = "podlogs:$version" }

$agent = Join-Path $deploy 'podlogs-agent.ps1'
$npdCheck = Join-Path $deploy 'npd/podlogs-npd-check.ps1'
foreach ($file in $agent, $npdCheck) { if (-not (Test-Path $file)) { throw "'$file' is missing: the image carries it." } }

$docker = Get-Command docker -CommandType Application -ErrorAction Ignore | Select-Object -First 1
if (-not $docker) { throw "Building the image needs the docker CLI and a docker daemon: install docker (Debian: apt-get install docker.io) and start dockerd." }
# One round trip that fails plainly when no daemon answers, before anything is staged.
$server = & $docker.Source version --format '{{.Server.Version}}' 2>&1
if ($LASTEXITCODE -ne 0) {
    $where = if ($env:DOCKER_HOST) { "DOCKER_HOST=$env:DOCKER_HOST" } else { 'the default socket (unix:///var/run/docker.sock)' }
    throw "Building the image needs a docker daemon, and none answers at ${where}: start dockerd (or set DOCKER_HOST). docker said: $(($server | Out-String).Trim())"
}

if (Test-Path $Context) { Remove-Item $Context -Recurse -Force }
$null = New-Item -ItemType Directory $Context
Copy-Item $ModulePath (Join-Path $Context 'PodLogs') -Recurse
Copy-Item $agent, $npdCheck, (Join-Path $deploy 'Dockerfile') $Context

$arguments = @('build', '--tag', $Tag, '--build-arg', "VERSION=$version")
if ($BaseImage) { $arguments += '--build-arg', "BASE_IMAGE=$BaseImage" }
Write-Host "Building image $Tag (module $version, base $(if ($BaseImage) { $BaseImage } else { "the Dockerfile's default" })) on docker $server"
& $docker.Source @arguments $Context | Out-Host
if ($LASTEXITCODE -ne 0) { throw "docker build failed with exit code $LASTEXITCODE." }
$Tag
