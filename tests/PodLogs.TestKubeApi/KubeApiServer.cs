using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A Kubernetes API server for tests, in process, on https://127.0.0.1:&lt;port&gt;: Kestrel with a
/// serving certificate from its own CA, the core/v1 endpoints PodLogs reads (pods, nodes,
/// discovery) answering with the API's real JSON, and the apiserver's authentication (bearer
/// tokens, client certificates from the CA) and Status errors.
/// <code>
/// await using var server = await KubeApiServer.StartAsync();
/// server.Nodes.Add(KubeObjects.Node("node-1", machineId));
/// server.Pods.Add(KubeObjects.Pod("default", "web-0").OnNode("node-1").Container("web").ToJson());
/// server.WriteKubeconfig(path);                                                     // token user
/// server.WriteKubeconfig(path, KubeconfigUser.WithClientCertificate(
///     server.IssueClientCertificate("system:node:node-1", "system:nodes")));        // kubelet-like user
/// server.Forbid("system:node:node-1", "list", "pods");                              // 403
/// server.InjectFault(r => r.Path == "/api/v1/pods", Fault.Delay(TimeSpan.FromSeconds(30)));
/// Assert.Contains(server.Requests, r => r.Query.GetValueOrDefault("fieldSelector") == "spec.nodeName=node-1");
/// </code>
/// For several contexts, another CA or a closed port use <see cref="Kubeconfig"/> with
/// <see cref="Cluster"/>, <see cref="TestCertificateAuthority.Create"/> and <see cref="ReserveClosedPort"/>.
/// </summary>
public sealed class KubeApiServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly bool ownsAuthority;
    readonly Authenticator authenticator;
    readonly AccessRules access = new();
    readonly FaultRules faults = new();
    readonly CancellationTokenSource stopping = new();
    int disposed;
    readonly object requestsGate = new();
    readonly List<RecordedRequest> requests = [];

    KubeApiServer(KubeApiServerOptions options, TestCertificateAuthority authority, bool ownsAuthority)
    {
        CertificateAuthority = authority;
        this.ownsAuthority = ownsAuthority;
        DefaultToken = options.DefaultToken;
        var clock = new ResourceVersionClock();
        Pods = new KubeObjectCollection("Pod", "pods", namespaced: true, clock);
        Nodes = new KubeObjectCollection("Node", "nodes", namespaced: false, clock);
        authenticator = new Authenticator(authority);
        authenticator.AddToken(options.DefaultToken, options.DefaultTokenUser, []);
        var router = new ApiRouter(Pods, Nodes, access, options.KubernetesVersion, () => BaseAddress);
        var handler = new ApiRequestHandler(authenticator, faults, router, Record, options.RequestCompleted, stopping.Token);
        app = BuildApplication(options.Port, authority.IssueServerCertificate(), handler);
    }

    /// <summary>https://127.0.0.1:&lt;port&gt;/</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The CA that signed the serving certificate and signs client certificates.</summary>
    public TestCertificateAuthority CertificateAuthority { get; }

    /// <summary>The CA certificate as PEM (a kubeconfig's certificate-authority-data, decoded).</summary>
    public string CaCertificatePem => CertificateAuthority.CertificatePem;

    /// <summary>The token valid from the start (<see cref="KubeApiServerOptions.DefaultToken"/>).</summary>
    public string DefaultToken { get; }

    /// <summary>The pods served, namespaced.</summary>
    public KubeObjectCollection Pods { get; }

    /// <summary>The nodes served, cluster-scoped.</summary>
    public KubeObjectCollection Nodes { get; }

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (requestsGate) return requests.ToArray(); }
    }

    /// <summary>Starts a server and returns once it accepts connections.</summary>
    public static async Task<KubeApiServer> StartAsync(KubeApiServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubeApiServerOptions();
        var authority = options.CertificateAuthority ?? TestCertificateAuthority.Create();
        var server = new KubeApiServer(options, authority, ownsAuthority: options.CertificateAuthority is null);
        await server.app.StartAsync(cancellationToken);
        var address = server.app.Urls.Single();
        server.BaseAddress = new Uri(new Uri(address).GetLeftPart(UriPartial.Authority) + "/");
        return server;
    }

    /// <summary>A port on 127.0.0.1 nothing listens on (bound, then released), for "the API is down".</summary>
    public static int ReserveClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Makes <paramref name="token"/> authenticate as <paramref name="user"/> (plus system:authenticated).</summary>
    public void AddToken(string token, string user, params string[] groups) => authenticator.AddToken(token, user, groups);

    /// <summary>Makes <paramref name="token"/> invalid from now on.</summary>
    public bool RevokeToken(string token) => authenticator.RemoveToken(token);

    /// <summary>A client certificate signed by this server's CA; it authenticates as <paramref name="commonName"/>.</summary>
    public ClientCertificate IssueClientCertificate(string commonName, params string[] organizations) =>
        CertificateAuthority.IssueClientCertificate(commonName, organizations);

    /// <summary>
    /// Denies <paramref name="user"/> the <paramref name="verb"/> (get, list, watch) on
    /// <paramref name="resource"/> (pods, nodes): 403 with the RBAC message. "*" matches anything.
    /// </summary>
    public void Forbid(string user, string verb, string resource) => access.Forbid(user, verb, resource);

    /// <summary>
    /// Applies <paramref name="fault"/> to requests <paramref name="when"/> picks, at most
    /// <paramref name="times"/> times. Dispose the result to remove the rule.
    /// </summary>
    public IDisposable InjectFault(Func<RecordedRequest, bool> when, Fault fault, int times = int.MaxValue) => faults.Add(when, fault, times);

    /// <summary>Removes every injected fault.</summary>
    public void ClearFaults() => faults.Clear();

    /// <summary>Forgets the recorded requests.</summary>
    public void ClearRequests()
    {
        lock (requestsGate) requests.Clear();
    }

    /// <summary>This server as a kubeconfig cluster entry, trusting its CA through certificate-authority-data.</summary>
    public KubeconfigCluster Cluster(string? name = null) => new(BaseAddress) { Name = name, CertificateAuthorityPem = CaCertificatePem };

    /// <summary>
    /// Writes a kubeconfig with one context, <paramref name="context"/>, for this server and
    /// <paramref name="user"/> (the default token's user when null).
    /// </summary>
    public void WriteKubeconfig(string path, KubeconfigUser? user = null, string context = "podlogs-test") =>
        new Kubeconfig().AddContext(context, Cluster(), user ?? KubeconfigUser.WithToken(DefaultToken)).Write(path);

    /// <summary>Stops the server at once: requests held by an injected delay lose their connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await stopping.CancelAsync();
        using (var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await app.StopAsync(grace.Token);
        await app.DisposeAsync();
        if (ownsAuthority) CertificateAuthority.Dispose();
        stopping.Dispose();
    }

    void Record(RecordedRequest request)
    {
        lock (requestsGate) requests.Add(request);
    }

    static WebApplication BuildApplication(int port, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, ApiRequestHandler handler)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    // Asked for, never required, and judged per request by the authenticator, as
                    // kube-apiserver does (tls.RequestClientCert): a foreign certificate is a 401, not a failed handshake.
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                    CheckCertificateRevocation = false,
                });
            });
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        return app;
    }
}
