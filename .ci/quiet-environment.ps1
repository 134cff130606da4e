# Dot-sourced by build.ps1 and the benchmark scripts: strict errors, and no colour, telemetry, update
# checks or banners in the output they print (the README and CI logs quote it).
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$env:NO_COLOR = '1'
$env:POWERSHELL_TELEMETRY_OPTOUT = '1'
$env:POWERSHELL_UPDATECHECK = 'Off'
$env:DOTNET_NOLOGO = '1'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$PSStyle.OutputRendering = 'PlainText'
