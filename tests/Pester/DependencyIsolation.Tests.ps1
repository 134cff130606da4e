# The live adapters and their packages (Docker.DotNet, Newtonsoft.Json, gRPC; KubernetesClient, YamlDotNet,
# Fractions) load into the module's private AssemblyLoadContext, and only when a command talks to a daemon
# (issue #3) or to the API server (issue #4).
BeforeAll {
    $script:module = if ($env:PODLOGS_MODULE) { $env:PODLOGS_MODULE } else { Join-Path $PSScriptRoot '../../out/PodLogs' }
    $script:pwsh = Join-Path $PSHOME 'pwsh'
    function Invoke-Child([string] $script) {
        $json = & $script:pwsh -NoProfile -NonInteractive -Command $script
        if ($LASTEXITCODE -ne 0) { throw "child pwsh failed: $json" }
        $json | ConvertFrom-Json
    }
    # The end of a child script: the error it caught and what each load context holds.
    $script:reportLoadContexts = @'
$private = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'PodLogs.Dependencies'
[pscustomobject]@{
    ErrorId = $errorId
    Default = @([System.Runtime.Loader.AssemblyLoadContext]::Default.Assemblies.GetName().Name)
    Private = @($private.Assemblies.GetName().Name)
} | ConvertTo-Json -Compress
'@
}

Describe 'Dependency isolation' {
    It 'Import-Module loads no Docker.DotNet, gRPC, Protobuf, KubernetesClient, YamlDotNet or Fractions assembly' {
        $r = Invoke-Child @"
Import-Module '$script:module'
[pscustomobject]@{ Loaded = @([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name) } | ConvertTo-Json -Compress
"@
        $r.Loaded | Should -Contain 'PodLogs'
        $r.Loaded | Should -Not -Contain 'Docker.DotNet'
        $r.Loaded | Should -Not -Contain 'Grpc.Net.Client'
        $r.Loaded | Should -Not -Contain 'Google.Protobuf'
        $r.Loaded | Should -Not -Contain 'KubernetesClient'
        $r.Loaded | Should -Not -Contain 'YamlDotNet'
        $r.Loaded | Should -Not -Contain 'Fractions'
        $r.Loaded | Should -Not -Contain 'PodLogs.Runtime'
    }

    It 'a file-only command loads none of them either' {
        $r = Invoke-Child @"
Import-Module '$script:module'
`$node = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
New-PodLogSampleNode -Path `$node | Out-Null
`$null = Get-ContainerLogLink -Root `$node
Remove-Item `$node -Recurse -Force
[pscustomobject]@{ Loaded = @([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name) } | ConvertTo-Json -Compress
"@
        $r.Loaded | Should -Not -Contain 'Docker.DotNet'
        $r.Loaded | Should -Not -Contain 'PodLogs.Runtime'
    }

    It 'the first call to a daemon loads Docker.DotNet into the private context, never the default one' {
        $r = Invoke-Child @"
Import-Module '$script:module'
`$dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
# A node without pods: kubelet has made /var/log/containers (else the root draws a warning, issue #10).
New-Item -ItemType Directory (Join-Path `$dir var/log/containers) | Out-Null
`$sock = Join-Path `$dir 'docker.sock'
# A daemon that accepts and never answers: the call must give up after -TimeoutSec. Endpoints are node
# paths under -Root, so the socket at <dir>/docker.sock is unix:///docker.sock.
`$listener = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
`$listener.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new(`$sock))
`$listener.Listen(4)
try { Get-ContainerLogLink -Root `$dir -Source Docker -DockerEndpoint "unix:///docker.sock" -TimeoutSec 1 -ErrorAction Stop } catch { `$errorId = `$_.FullyQualifiedErrorId }
`$listener.Dispose()
Remove-Item `$dir -Recurse -Force
$script:reportLoadContexts
"@
        $r.ErrorId | Should -BeLike 'RuntimeUnavailable,*'
        $r.Private | Should -Contain 'PodLogs.Runtime'
        $r.Private | Should -Contain 'Docker.DotNet'
        $r.Private | Should -Not -Contain 'PodLogs.Core'
        $r.Default | Should -Not -Contain 'Docker.DotNet'
        $r.Default | Should -Not -Contain 'PodLogs.Runtime'
    }

    It 'the first cluster call loads KubernetesClient and YamlDotNet into the private context, never the default one' {
        $r = Invoke-Child @"
Import-Module '$script:module'
`$dir = Join-Path ([IO.Path]::GetTempPath()) ([guid]::NewGuid())
# A node without pods: kubelet has made /var/log/containers (else the root draws a warning, issue #10).
New-Item -ItemType Directory (Join-Path `$dir var/log/containers) | Out-Null
# A port nothing listens on: the kubeconfig is parsed (YamlDotNet) and the call fails with ClusterUnreachable.
`$probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); `$probe.Start(); `$port = `$probe.LocalEndpoint.Port; `$probe.Stop()
Set-Content (Join-Path `$dir 'kubeconfig') @'
apiVersion: v1
kind: Config
clusters:
- name: closed
  cluster:
    server: https://127.0.0.1:PORT
    insecure-skip-tls-verify: true
users:
- name: u
  user:
    token: t
contexts:
- name: closed
  context:
    cluster: closed
    user: u
current-context: closed
'@.Replace('PORT', "`$port")
try { Get-PodLogDirectory -Root `$dir -Cluster -Kubeconfig (Join-Path `$dir 'kubeconfig') -NodeName node-1 -TimeoutSec 5 -ErrorAction Stop } catch { `$errorId = `$_.FullyQualifiedErrorId }
Remove-Item `$dir -Recurse -Force
$script:reportLoadContexts
"@
        $r.ErrorId | Should -BeLike 'ClusterUnreachable,*'
        $r.Private | Should -Contain 'KubernetesClient'
        $r.Private | Should -Contain 'YamlDotNet'
        $r.Default | Should -Not -Contain 'KubernetesClient'
        $r.Default | Should -Not -Contain 'YamlDotNet'
        $r.Default | Should -Not -Contain 'PodLogs.Runtime'
    }
}
