using System.Runtime.InteropServices;
using PodLogs.TestKubeApi;

// Runnable mode, for Pester and the benchmarks (tests/Pester/PodLogs.TestHelpers.ps1 Start-TestKubeApi).
ServerCommandLine options;
try
{
    options = ServerCommandLine.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(ServerCommandLine.Usage);
    return 2;
}

using var requestLog = options.RequestsPath is null ? null : new RequestLog(options.RequestsPath);
await using var server = await KubeApiServer.StartAsync(new KubeApiServerOptions { Port = options.Port, RequestCompleted = requestLog is null ? null : requestLog.Append });
try
{
    if (options.StatePath is not null) StateFile.Load(options.StatePath, server);
}
catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"The state could not be loaded: {e.Message}");
    return 2;
}

var user = ConfigureUser(options, server);
foreach (var (verb, resource) in options.Forbidden) server.Forbid(user.Name, verb, resource);
foreach (var fault in options.Faults) server.InjectFault(fault.Matches, fault.Fault, fault.Times);
new Kubeconfig().AddContext(options.Context, Cluster(options, server), user.Entry).Write(options.KubeconfigPath);

Console.Out.WriteLine($"listening {server.BaseAddress.GetLeftPart(UriPartial.Authority)}");
Console.Out.Flush();
await WaitForStopAsync(options.IgnoreStdin);
return 0;

static (string Name, KubeconfigUser Entry) ConfigureUser(ServerCommandLine options, KubeApiServer server)
{
    if (options.ClientCertCommonName is { } commonName)
    {
        var certificate = server.IssueClientCertificate(commonName, [.. options.ClientCertOrganizations]);
        if (options.ClientCertDirectory is not { } directory) return (commonName, KubeconfigUser.WithClientCertificate(certificate, commonName));
        Directory.CreateDirectory(directory);
        var file = Path.GetFullPath(Path.Combine(directory, "kubelet-client-current.pem"));
        certificate.WriteCombinedPem(file);
        return (commonName, KubeconfigUser.WithClientCertificateFiles(file, file, commonName));
    }
    if (options.Token is not { } token) return (options.TokenUser, KubeconfigUser.WithToken(server.DefaultToken));
    server.AddToken(token, options.TokenUser);
    return (options.TokenUser, KubeconfigUser.WithToken(token));
}

static KubeconfigCluster Cluster(ServerCommandLine options, KubeApiServer server)
{
    if (options.CaPath is not { } caPath) return server.Cluster();
    server.CertificateAuthority.WriteCertificatePem(caPath);
    return server.Cluster() with { CertificateAuthorityPem = null, CertificateAuthorityFile = Path.GetFullPath(caPath) };
}

static async Task WaitForStopAsync(bool ignoreStdin)
{
    var stop = new TaskCompletionSource();
    void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        stop.TrySetResult();
    }
    using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    if (!ignoreStdin)
    {
        // A parent that dies or closes our stdin stops us too: no server outlives its test run.
        _ = Task.Run(async () =>
        {
            await Console.OpenStandardInput().CopyToAsync(Stream.Null);
            stop.TrySetResult();
        });
    }
    await stop.Task;
}
