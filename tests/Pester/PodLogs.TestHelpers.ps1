# Shared by the PodLogs Pester tests; dot-sourced in each file's BeforeAll after Import-Module.
# Facts about the embedded sample node (src/PodLogs.Core/Samples/SampleNode.cs), the helpers that make
# fresh sample nodes under $TestDrive, snapshot a tree, and check ErrorRecords.

$Sample = @{
    ReloaderNs    = 'default'
    ReloaderPod   = 'stakater-reloader-598f958967-ddkl7'
    ReloaderUid   = '2681cb7f-daa4-4620-bb60-1d449709181c'
    ReloaderOwner = 'ea8b9161-bee3-4bf6-a4e3-65fe256e3771'   # the ReplicaSet's uid: never names the directory
    Reloader1     = 'cc75d79b3aef49f739b03f5fa7379f75c69944cbeb0a4555d3833a26ebfe06b4'
    Reloader6     = 'e9bc97e0cdd1e4258f17bb18db976ac371860103b861529cb690005ada97d153'
    Reloader7     = 'c73e273fd2886df631739b03fd71a8216054549b11c651a7c8c38ce902342332'
    IstioNs       = 'istio-system'
    IstioPod      = 'istio-ingressgateway-c694cfd-cgk2n'
    IstioUid      = 'c6ea97b6-d858-4c4c-8d83-17477599aebf'
    Istio3        = '4b1e0f3c2d5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'
    Istio4        = 'cff000d9fc5edad5a8b042b8879fedd1d7de978b928c522a53c11b3217c220df'
    CorednsPod    = 'coredns-5d78c9869d-x7k2p'
    CorednsUid    = '8f14e45f-ceea-467f-a0e6-cb4b4b31c0b5'
    CorednsId     = 'a3f9c1e2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081'
    ApiServerPod  = 'kube-apiserver-node-1'
    ApiServerUid  = '3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09'
    ApiServerId   = '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f'
    LongPodNs     = 'monitoring'
    LongPodUid    = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'
    LongPodId     = '9a8b7c6d5e4f30211203f4e5d6c7b8a99a8b7c6d5e4f30211203f4e5d6c7b8a9'
    ForgerPod     = 'log-forger-6d4b8c7f9-qrx5z'
    ForgerUid     = 'f0e1d2c3-b4a5-4968-8776-655443322110'
    ForgerId      = 'd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeed'
    ForgedPath    = '/etc/cron.d/podlogs-forged'
    # issue #13's disk story, all in observability: loki-0 (CRI: OverLimit with a cut-short .tmp; its sidecar TooManyFiles
    # with a plain copy beside its .gz), grafana (docker rotations), and the dead tsdb-backup pod's directory.
    DiskNs        = 'observability'
    LokiPod       = 'loki-0'
    LokiUid       = '5b6c7d8e-9fa0-4b1c-8d2e-3f405162a7b8'
    GrafanaPod    = 'grafana-7d9c8b6f5-tq4mz'
    GrafanaUid    = 'e4f5a6b7-c8d9-4e0f-a1b2-c3d4e5f60718'
    GrafanaId     = '6a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978879'
    BackupPod     = 'tsdb-backup-29412360-k8d2f'
    BackupUid     = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'
    KubeletMaxSize = 8KB   # the sample kubelet's containerLogMaxSize: 8Ki
    Namespaces    = @('default', 'istio-system', 'kube-system', 'monitoring', 'observability')
    Containers    = @('backup', 'coredns', 'exporter', 'forger', 'grafana', 'istio-proxy', 'kube-apiserver', 'loki', 'loki-sc-rules', 'stakater-reloader')
    PodCount      = 9
    EntryCount    = 25
}
$Sample.ReloaderDir = "/var/log/pods/default_$($Sample.ReloaderPod)_$($Sample.ReloaderUid)"
$Sample.IstioDir = "/var/log/pods/istio-system_$($Sample.IstioPod)_$($Sample.IstioUid)"
$Sample.CorednsDir = "/var/log/pods/kube-system_$($Sample.CorednsPod)_$($Sample.CorednsUid)"
$Sample.ApiServerDir = "/var/log/pods/kube-system_$($Sample.ApiServerPod)_$($Sample.ApiServerUid)"
$Sample.ForgerDir = "/var/log/pods/default_$($Sample.ForgerPod)_$($Sample.ForgerUid)"
$Sample.LokiDir = "/var/log/pods/observability_$($Sample.LokiPod)_$($Sample.LokiUid)"
$Sample.BackupDir = "/var/log/pods/observability_$($Sample.BackupPod)_$($Sample.BackupUid)"

function Get-DockerJsonLog([string] $Id) { "/var/lib/docker/containers/$Id/$Id-json.log" }
function Get-LegacyLinkPath([string] $Pod, [string] $Namespace, [string] $Container, [string] $Id) { "/var/log/containers/${Pod}_${Namespace}_${Container}-$Id.log" }

# The three actions a repair of the untouched sample takes, as (Action, Kind, NodePath, Target).
$Sample.ExpectedRepairs = @(
    @{ Action = 'Created'; Kind = 'PodLog'; NodePath = "$($Sample.ReloaderDir)/stakater-reloader/6.log"; Target = (Get-DockerJsonLog $Sample.Reloader6); PreviousTarget = $null }
    @{ Action = 'Replaced'; Kind = 'PodLog'; NodePath = "$($Sample.IstioDir)/istio-proxy/4.log"; Target = (Get-DockerJsonLog $Sample.Istio4); PreviousTarget = (Get-DockerJsonLog $Sample.Istio3) }
    @{ Action = 'Created'; Kind = 'Legacy'; NodePath = (Get-LegacyLinkPath $Sample.ReloaderPod 'default' 'stakater-reloader' $Sample.Reloader7); Target = "$($Sample.ReloaderDir)/stakater-reloader/7.log"; PreviousTarget = $null }
)

function Import-PodLogsUnderTest {
    $path = if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { Join-Path $PSScriptRoot '../../out/PodLogs' }
    Import-Module $path -Force -ErrorAction Stop
}

function New-SampleRoot([string] $Name = 'node') {
    # A fresh, empty directory per call: New-PodLogSampleNode writes only into an empty one.
    $path = Join-Path $TestDrive "$Name-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
    (New-PodLogSampleNode -Path $path -ErrorAction Stop).FullName
}

function Get-Local([string] $Root, [string] $NodePath) { $Root.TrimEnd('/') + $NodePath }

function Get-LinkText([string] $LocalPath) { [IO.FileInfo]::new($LocalPath).LinkTarget }

function Get-TreeSnapshot([string] $Root) {
    # Every path under the root, without following links: type, mode, link text, file bytes hash,
    # directory mtime (a link created and removed again still changes its directory's mtime).
    $full = [IO.Path]::GetFullPath($Root).TrimEnd('/')
    $options = [IO.EnumerationOptions]@{ RecurseSubdirectories = $true; AttributesToSkip = [IO.FileAttributes]0; IgnoreInaccessible = $false }
    $lines = foreach ($path in [IO.Directory]::EnumerateFileSystemEntries($full, '*', $options)) {
        $relative = $path.Substring($full.Length)
        $info = [IO.FileInfo]::new($path)
        if ($null -ne $info.LinkTarget) { "L $relative -> $($info.LinkTarget)" }
        elseif ([IO.Directory]::Exists($path)) { "D $relative $([IO.File]::GetUnixFileMode($path)) $([IO.Directory]::GetLastWriteTimeUtc($path).Ticks)" }
        else { "F $relative $([IO.File]::GetUnixFileMode($path)) $([Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([IO.File]::ReadAllBytes($path))))" }
    }
    $sorted = [string[]]@($lines)
    [Array]::Sort($sorted, [StringComparer]::Ordinal)
    , $sorted
}

function Compare-TreeSnapshot([string[]] $Before, [string[]] $After) {
    # Differences as '<= line' (gone) and '=> line' (new): empty when the trees are identical.
    @(Compare-Object -ReferenceObject $Before -DifferenceObject $After -CaseSensitive | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" })
}

function Assert-PodLogsError {
    param(
        [Parameter(Mandatory)] [Management.Automation.ErrorRecord] $ErrorRecord,
        [Parameter(Mandatory)] [string] $ErrorId,
        [Parameter(Mandatory)] [Management.Automation.ErrorCategory] $Category,
        [object] $TargetObject
    )
    $ErrorRecord.FullyQualifiedErrorId | Should -BeLike "$ErrorId,PodLogs.Commands.*"
    $ErrorRecord.CategoryInfo.Category | Should -Not -Be ([Management.Automation.ErrorCategory]::NotSpecified)
    $ErrorRecord.CategoryInfo.Category | Should -Be $Category
    $ErrorRecord.TargetObject | Should -Not -BeNullOrEmpty
    if ($PSBoundParameters.ContainsKey('TargetObject')) {
        if ($TargetObject -is [string]) { $ErrorRecord.TargetObject | Should -BeExactly $TargetObject }
        else { [object]::ReferenceEquals($ErrorRecord.TargetObject, $TargetObject) | Should -BeTrue -Because 'the error names the input object itself' }
    }
    $ErrorRecord.Exception.Message | Should -Not -BeNullOrEmpty
}

function Get-Completion([string] $InputScript) {
    (TabExpansion2 -inputScript $InputScript -cursorColumn $InputScript.Length).CompletionMatches
}

# The test Kubernetes API server (tests/PodLogs.TestKubeApi) in a child process: build.ps1 builds it and
# names its dll in PODLOGS_TEST_KUBEAPI. -State is a hashtable/object { nodes = @(...); pods = @(...) }
# of raw API objects, JSON text, or the path of such a JSON file. Returns Url, Kubeconfig (the
# kubeconfig it wrote: current context -> this server, its CA, the chosen user), Context, CaFile,
# ClientCertFile, RequestLog, Process, with methods Stop() and GetRequests().
function Start-TestKubeApi {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [object] $State,
        # Where to write the kubeconfig; a new file under $TestDrive (or the temp directory) by default.
        [string] $Kubeconfig,
        [string] $Context,
        # The user's bearer token (and the user it authenticates as); the server's default token otherwise.
        [string] $Token,
        [string] $TokenUser,
        # A client-certificate user instead (e.g. system:node:node-1 with organization system:nodes); with
        # -ClientCertOut the certificate and key go to <dir>/kubelet-client-current.pem, named by path in
        # the kubeconfig as kubelet.conf does, else they are embedded.
        [string] $ClientCertCN,
        [string[]] $ClientCertOrganization,
        [string] $ClientCertOut,
        # Write the CA there and name it as certificate-authority instead of embedding it.
        [string] $CaOut,
        # <verb>:<resource> denied to the kubeconfig's user, e.g. list:pods.
        [string[]] $Forbid,
        [int] $DelayMs,
        # status=<code>[,retry-after=<s>] | close | delay-ms=<n>, each optionally ,path=<prefix>,times=<n>.
        [string[]] $Fault,
        [int] $TimeoutSec = 30
    )
    $dll = if ($env:PODLOGS_TEST_KUBEAPI) { $env:PODLOGS_TEST_KUBEAPI } else { Join-Path $PSScriptRoot '../PodLogs.TestKubeApi/bin/Release/net10.0/PodLogs.TestKubeApi.dll' }
    if (-not (Test-Path $dll)) { throw "The test API server is not built ($dll): run build.ps1 Test, or dotnet build tests/PodLogs.TestKubeApi -c Release." }
    $dotnet = if ($env:DOTNET_HOST_PATH) { $env:DOTNET_HOST_PATH } else { (Get-Command dotnet -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source }
    $base = if (Get-Variable TestDrive -ErrorAction Ignore) { $TestDrive } else { [IO.Path]::GetTempPath() }
    $dir = (New-Item -ItemType Directory -Path (Join-Path $base "kubeapi-$([guid]::NewGuid().ToString('n').Substring(0, 8))")).FullName

    $statePath = Join-Path $dir 'state.json'
    if ($State -is [string] -and $State.TrimStart().StartsWith('{')) { Set-Content -LiteralPath $statePath -Value $State }
    elseif ($State -is [string]) { $statePath = (Resolve-Path -LiteralPath $State).Path }
    else { $State | ConvertTo-Json -Depth 100 | Set-Content -LiteralPath $statePath }
    if (-not $Kubeconfig) { $Kubeconfig = Join-Path $dir 'kubeconfig' }
    $requestLog = Join-Path $dir 'requests.jsonl'

    $arguments = @($dll, '--state', $statePath, '--kubeconfig', $Kubeconfig, '--requests-out', $requestLog)
    if ($Context) { $arguments += '--context', $Context }
    if ($Token) { $arguments += '--token', $Token }
    if ($TokenUser) { $arguments += '--token-user', $TokenUser }
    if ($ClientCertCN) { $arguments += '--client-cert-cn', $ClientCertCN }
    foreach ($organization in $ClientCertOrganization) { $arguments += '--client-cert-org', $organization }
    if ($ClientCertOut) { $arguments += '--client-cert-out', $ClientCertOut }
    if ($CaOut) { $arguments += '--ca-out', $CaOut }
    foreach ($rule in $Forbid) { $arguments += '--forbid', $rule }
    if ($DelayMs) { $arguments += '--delay-ms', $DelayMs }
    foreach ($spec in $Fault) { $arguments += '--fault', $spec }

    $start = [Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($argument in $arguments) { $start.ArgumentList.Add([string]$argument) }
    $start.UseShellExecute = $false
    # The server stops when its stdin closes: Stop() closes it, and so does this process's end.
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $process = [Diagnostics.Process]::Start($start)
    $ready = $process.StandardOutput.ReadLineAsync()
    if (-not $ready.Wait([TimeSpan]::FromSeconds($TimeoutSec))) {
        $process.Kill()
        throw "The test API server did not report ready within $TimeoutSec s."
    }
    if ($ready.Result -notmatch '^listening (https://\S+)$') {
        $process.WaitForExit(5000) | Out-Null
        throw "The test API server did not start (exit code $(if ($process.HasExited) { $process.ExitCode } else { 'none yet' })): '$($ready.Result)'."
    }
    $server = [pscustomobject]@{
        PSTypeName     = 'PodLogs.TestKubeApi'
        Url            = $Matches[1]
        Kubeconfig     = $Kubeconfig
        Context        = if ($Context) { $Context } else { 'podlogs-test' }
        CaFile         = if ($CaOut) { (Resolve-Path -LiteralPath $CaOut).Path } else { $null }
        ClientCertFile = if ($ClientCertOut) { Join-Path (Resolve-Path -LiteralPath $ClientCertOut).Path 'kubelet-client-current.pem' } else { $null }
        RequestLog     = $requestLog
        Process        = $process
    }
    $server | Add-Member -MemberType ScriptMethod -Name Stop -Value { Stop-TestKubeApi -Server $this }
    $server | Add-Member -MemberType ScriptMethod -Name GetRequests -Value { Get-TestKubeApiRequest -Server $this }
    $server
}

# Stops a server from Start-TestKubeApi: closes its stdin, waits, kills it only if it hangs.
function Stop-TestKubeApi {
    param([Parameter(Mandatory, ValueFromPipeline)] [object] $Server)
    process {
        $process = $Server.Process
        if ($process.HasExited) { return }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit(10000)) {
            $process.Kill()
            $process.WaitForExit()
        }
    }
}

# The requests a server from Start-TestKubeApi has settled so far: method, path, query (decoded
# parameters), user (null when unauthenticated), status, clientDisconnected, connectionClosed.
function Get-TestKubeApiRequest {
    param([Parameter(Mandatory)] [object] $Server)
    if (-not (Test-Path -LiteralPath $Server.RequestLog)) { return }
    Get-Content -LiteralPath $Server.RequestLog | Where-Object { $_ } | ConvertFrom-Json
}
