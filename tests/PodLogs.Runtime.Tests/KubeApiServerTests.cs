using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using PodLogs.TestKubeApi;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// The test API server itself: TLS trusted through its CA only, the apiserver's authentication and
/// Status errors, selectors, paging, faults — over plain HttpClient with the CA pinned — and
/// KubernetesClient reading its JSON through kubeconfigs it wrote.
/// </summary>
public sealed class KubeApiServerTests : IAsyncLifetime
{
    const string Unauthorized = """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""";

    readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("podlogs-kubeapi-");
    KubeApiServer server = null!;

    public async Task InitializeAsync() => server = await KubeApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        scratch.Delete(recursive: true);
    }

    [Fact]
    public async Task TLS_is_trusted_through_the_servers_CA_and_refused_without_it()
    {
        using var pinned = Client();
        Assert.Equal(HttpStatusCode.OK, (await pinned.GetAsync("/version")).StatusCode);

        using var systemTrust = new HttpClient { BaseAddress = server.BaseAddress };
        await Assert.ThrowsAsync<HttpRequestException>(() => systemTrust.GetAsync("/version"));

        using var otherCa = TestCertificateAuthority.Create("other-cluster-ca");
        using var wrongCa = Client(trust: otherCa.Certificate);
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.GetAsync("/version"));
    }

    [Fact]
    public async Task No_or_unknown_credentials_are_401_with_the_Status_body_and_tokens_name_their_user()
    {
        using var anonymous = Client(token: null);
        await AssertAnswer(anonymous, "/api/v1/pods", HttpStatusCode.Unauthorized, Unauthorized);
        using var badToken = Client(token: "not-a-token");
        await AssertAnswer(badToken, "/api/v1/pods", HttpStatusCode.Unauthorized, Unauthorized);

        server.AddToken("reader-token", "system:serviceaccount:podlogs:reader");
        using var reader = Client(token: "reader-token");
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/pods")).StatusCode);
        server.RevokeToken("reader-token");
        await AssertAnswer(reader, "/api/v1/pods", HttpStatusCode.Unauthorized, Unauthorized);

        Assert.Equal([null, null, "system:serviceaccount:podlogs:reader", null], server.Requests.Select(r => r.User));
    }

    [Fact]
    public async Task A_client_certificate_from_the_CA_authenticates_as_its_CN_and_one_from_another_CA_is_401()
    {
        using var kubelet = Client(token: null, certificate: server.IssueClientCertificate("system:node:node-1", "system:nodes").ToX509Certificate2());
        Assert.Equal(HttpStatusCode.OK, (await kubelet.GetAsync("/api/v1/nodes")).StatusCode);

        using var otherCa = TestCertificateAuthority.Create("other-cluster-ca");
        using var stranger = Client(token: null, certificate: otherCa.IssueClientCertificate("system:node:node-1").ToX509Certificate2());
        await AssertAnswer(stranger, "/api/v1/nodes", HttpStatusCode.Unauthorized, Unauthorized);

        Assert.Equal(["system:node:node-1", null], server.Requests.Select(r => r.User));
    }

    [Fact]
    public async Task Forbidden_and_missing_objects_are_answered_as_RBAC_and_the_registry_word_them()
    {
        server.AddToken("node-token", "system:node:node-1");
        server.Forbid("system:node:node-1", "list", "pods");
        server.Forbid("system:node:node-1", "get", "pods");
        using var node = Client(token: "node-token");

        await AssertAnswer(node, "/api/v1/pods", HttpStatusCode.Forbidden,
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \"system:node:node-1\" cannot list resource \"pods\" in API group \"\" at the cluster scope","reason":"Forbidden","details":{"kind":"pods"},"code":403}""");
        await AssertAnswer(node, "/api/v1/namespaces/default/pods/web-0", HttpStatusCode.Forbidden,
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-0\" is forbidden: User \"system:node:node-1\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\"","reason":"Forbidden","details":{"name":"web-0","kind":"pods"},"code":403}""");
        Assert.Equal(HttpStatusCode.OK, (await node.GetAsync("/api/v1/nodes")).StatusCode);

        using var admin = Client();
        await AssertAnswer(admin, "/api/v1/namespaces/default/pods/web-0", HttpStatusCode.NotFound,
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"web-0\" not found","reason":"NotFound","details":{"name":"web-0","kind":"pods"},"code":404}""");
        await AssertAnswer(admin, "/api/v1/nodes/node-9", HttpStatusCode.NotFound,
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"nodes \"node-9\" not found","reason":"NotFound","details":{"name":"node-9","kind":"nodes"},"code":404}""");
    }

    [Fact]
    public async Task A_get_returns_the_object_with_kind_and_a_list_its_items_without()
    {
        var pod = KubeObjects.Pod("default", "web-0").OnNode("node-1").Container("web");
        server.Pods.Add(pod.ToJson());
        using var client = Client();

        var got = await GetJson(client, "/api/v1/namespaces/default/pods/web-0");
        Assert.Equal(("Pod", "v1", pod.Uid), ((string?)got["kind"], (string?)got["apiVersion"], (string?)got["metadata"]!["uid"]));

        var list = await GetJson(client, "/api/v1/namespaces/default/pods");
        Assert.Equal(("PodList", "v1"), ((string?)list["kind"], (string?)list["apiVersion"]));
        Assert.False(string.IsNullOrEmpty((string?)list["metadata"]!["resourceVersion"]));
        var item = Assert.Single(list["items"]!.AsArray())!.AsObject();
        Assert.False(item.ContainsKey("kind") || item.ContainsKey("apiVersion"));
        Assert.Equal(got["metadata"]!["resourceVersion"]!.ToString(), item["metadata"]!["resourceVersion"]!.ToString());
        Assert.Empty((await GetJson(client, "/api/v1/namespaces/other/pods"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Field_and_label_selectors_pick_pods_as_the_apiserver_does()
    {
        server.Pods.Add(KubeObjects.Pod("default", "web-0").OnNode("node-1").Label("app", "web").ToJson());
        server.Pods.Add(KubeObjects.Pod("default", "web-1").OnNode("node-2").Label("app", "web").ToJson());
        server.Pods.Add(KubeObjects.Pod("kube-system", "coredns-0").OnNode("node-1").Label("k8s-app", "kube-dns").ToJson());
        server.Pods.Add(KubeObjects.Pod("default", "pending-0").ToJson());
        using var client = Client();

        Assert.Equal(["default/web-0", "kube-system/coredns-0"], await PodNames(client, "/api/v1/pods?fieldSelector=" + Uri.EscapeDataString("spec.nodeName=node-1")));
        Assert.Equal(["default/web-0"], await PodNames(client, "/api/v1/pods?fieldSelector=" + Uri.EscapeDataString("spec.nodeName=node-1,metadata.namespace!=kube-system")));
        Assert.Equal(["default/pending-0"], await PodNames(client, "/api/v1/pods?fieldSelector=" + Uri.EscapeDataString("spec.nodeName=")));
        Assert.Equal(["default/web-1"], await PodNames(client, "/api/v1/namespaces/default/pods?fieldSelector=" + Uri.EscapeDataString("metadata.name==web-1")));
        Assert.Equal(["default/web-0", "default/web-1"], await PodNames(client, "/api/v1/pods?labelSelector=" + Uri.EscapeDataString("app=web")));
        Assert.Equal(["kube-system/coredns-0"], await PodNames(client, "/api/v1/pods?labelSelector=" + Uri.EscapeDataString("k8s-app in (kube-dns,other),!app")));

        var refused = await client.GetAsync("/api/v1/pods?fieldSelector=spec.host%3Dnode-1");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("field label not supported: spec.host", await refused.Content.ReadAsStringAsync());
        Assert.Equal("spec.nodeName=node-1", server.Requests[0].Query["fieldSelector"]);
    }

    [Fact]
    public async Task Limit_pages_in_key_order_with_continue_tokens_until_the_last_page()
    {
        foreach (var (ns, name) in new[] { ("b", "pod-1"), ("a", "pod-2"), ("a", "pod-1"), ("c", "pod-1"), ("b", "pod-0") })
            server.Pods.Add(KubeObjects.Pod(ns, name).OnNode("node-1").ToJson());
        using var client = Client();

        var pages = new List<(List<string> Names, JsonNode? Remaining)>();
        var path = "/api/v1/pods?limit=2";
        while (true)
        {
            var page = await GetJson(client, path);
            pages.Add((Names(page), page["metadata"]!["remainingItemCount"]));
            if ((string?)page["metadata"]!["continue"] is not { Length: > 0 } token) break;
            path = "/api/v1/pods?limit=2&continue=" + Uri.EscapeDataString(token);
        }

        Assert.Equal([["a/pod-1", "a/pod-2"], ["b/pod-0", "b/pod-1"], ["c/pod-1"]], pages.Select(p => p.Names));
        Assert.Equal([3, 1, (int?)null], pages.Select(p => (int?)p.Remaining));
        var bad = await client.GetAsync("/api/v1/pods?limit=2&continue=garbage");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_delayed_answer_ends_when_the_client_gives_up_and_the_server_sees_it_leave()
    {
        server.InjectFault(r => r.Path == "/api/v1/pods", Fault.Delay(TimeSpan.FromMinutes(5)));
        using var client = Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("/api/v1/pods", timeout.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        var request = Assert.Single(server.Requests);
        await WaitUntil(() => request.ClientDisconnected);
        Assert.Null(request.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/nodes")).StatusCode);
    }

    [Fact]
    public async Task Stopping_the_server_drops_a_delayed_request_at_once()
    {
        server.InjectFault(_ => true, Fault.Delay(TimeSpan.FromMinutes(5)));
        using var client = Client();
        var pending = client.GetAsync("/api/v1/pods");
        await WaitUntil(() => server.Requests.Count == 1);
        var clock = Stopwatch.StartNew();

        await server.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.True(server.Requests[0].ConnectionClosed);
    }

    [Fact]
    public async Task Injected_statuses_and_closed_connections_hit_only_the_requests_picked_and_only_as_often_as_asked()
    {
        server.InjectFault(r => r.Path == "/api/v1/pods", Fault.Status(429, retryAfter: TimeSpan.FromSeconds(2)), times: 1);
        server.InjectFault(r => r.Path == "/api/v1/nodes", Fault.CloseConnection, times: 1);
        using var client = Client();

        var throttled = await client.GetAsync("/api/v1/pods");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), throttled.Headers.RetryAfter?.Delta);
        Assert.Contains("\"reason\":\"TooManyRequests\"", await throttled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/pods")).StatusCode);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("/api/v1/nodes"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/nodes")).StatusCode);
        Assert.Equal([429, 200, null, 200], server.Requests.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task KubernetesClient_reads_pods_and_nodes_through_kubeconfigs_with_a_token_an_embedded_and_a_kubelet_style_certificate()
    {
        var machineId = KubeObjects.NewMachineId();
        server.Nodes.Add(KubeObjects.Node("node-1", machineId));
        var web = KubeObjects.Pod("default", "web-0").OnNode("node-1", "10.0.0.11").PodIP("10.244.0.7").OwnedBy("ReplicaSet", "web-5d9c")
            .InitContainer("setup")
            .Container("web", "nginx:1.27", s => s.Waiting("CrashLoopBackOff", "back-off 40s restarting failed container").LastTerminated(exitCode: 137, reason: "OOMKilled").RestartCount(4))
            .EphemeralContainer("debugger", targetContainerName: "web");
        var hash = KubeObjects.NewStaticPodHash();
        var apiServer = KubeObjects.MirrorPod("kube-system", "kube-apiserver", "node-1", hash).Container("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.31.2");
        server.Pods.Add(web.ToJson());
        server.Pods.Add(apiServer.ToJson());
        server.Pods.Add(KubeObjects.Pod("default", "elsewhere").OnNode("node-2").Container("app").ToJson());

        var certificate = server.IssueClientCertificate("system:node:node-1", "system:nodes");
        var pem = Path.Join(scratch.FullName, "kubelet-client-current.pem");
        certificate.WriteCombinedPem(pem);
        var kubeconfig = Path.Join(scratch.FullName, "config");
        new Kubeconfig()
            .AddContext("admin", server.Cluster("kubernetes"), KubeconfigUser.WithToken(server.DefaultToken, "admin"))
            .AddContext("embedded", server.Cluster("kubernetes"), KubeconfigUser.WithClientCertificate(certificate, "node-embedded"))
            .AddContext("system:node:node-1@kubernetes", server.Cluster("kubernetes"), KubeconfigUser.WithClientCertificateFiles(pem, pem, "system:node:node-1"))
            .Write(kubeconfig);

        foreach (var context in new[] { "admin", "embedded", "system:node:node-1@kubernetes" })
        {
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context));

            var pods = await client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: "spec.nodeName=node-1");
            Assert.Equal(["web-0", "kube-apiserver-node-1"], pods.Items.Select(p => p.Metadata.Name));
            var mirror = pods.Items[1];
            Assert.Equal(hash, mirror.Metadata.Annotations["kubernetes.io/config.mirror"]);
            Assert.NotEqual(hash, mirror.Metadata.Uid);
            Assert.Equal("Node", Assert.Single(mirror.Metadata.OwnerReferences).Kind);
            var status = pods.Items[0].Status;
            var container = Assert.Single(status.ContainerStatuses);
            Assert.Equal(("CrashLoopBackOff", 137, 4), (container.State.Waiting.Reason, container.LastState.Terminated.ExitCode, container.RestartCount));
            Assert.Equal(web.Uid, pods.Items[0].Metadata.Uid);
            Assert.StartsWith("containerd://", container.LastState.Terminated.ContainerID);
            Assert.Equal(container.LastState.Terminated.ContainerID, container.ContainerID);
            Assert.Equal("Completed", Assert.Single(status.InitContainerStatuses).State.Terminated.Reason);
            Assert.NotNull(Assert.Single(status.EphemeralContainerStatuses).State.Running.StartedAt);

            var node = await client.CoreV1.ReadNodeAsync("node-1");
            Assert.Equal(machineId, node.Status.NodeInfo.MachineID);
            Assert.Equal("8025424Ki", node.Status.Capacity["memory"].ToString());
        }

        Assert.Equal(["podlogs-test-admin", "podlogs-test-admin", "system:node:node-1", "system:node:node-1", "system:node:node-1", "system:node:node-1"], server.Requests.Select(r => r.User));
        Assert.All(server.Requests.Where(r => r.Path == "/api/v1/pods"), r => Assert.Equal("spec.nodeName=node-1", r.Query["fieldSelector"]));
    }

    [Fact]
    public async Task KubernetesClient_refuses_a_server_its_CA_did_not_sign_reports_a_closed_port_and_surfaces_Status_errors()
    {
        using var otherCa = TestCertificateAuthority.Create("other-cluster-ca");
        var closed = KubeApiServer.ReserveClosedPort();
        var kubeconfig = Path.Join(scratch.FullName, "config");
        var user = KubeconfigUser.WithToken(server.DefaultToken, "admin");
        new Kubeconfig()
            .AddContext("wrong-ca", server.Cluster() with { Name = "wrong-ca", CertificateAuthorityPem = otherCa.CertificatePem }, user)
            .AddContext("down", new KubeconfigCluster(new Uri($"https://127.0.0.1:{closed}")) { CertificateAuthorityPem = server.CaCertificatePem }, user)
            .AddContext("bad-token", server.Cluster("kubernetes"), KubeconfigUser.WithToken("expired"))
            .Write(kubeconfig);

        using var wrongCa = Connect(kubeconfig, "wrong-ca");
        await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.CoreV1.ListNodeAsync());
        using var down = Connect(kubeconfig, "down");
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => down.CoreV1.ListNodeAsync());
        Assert.Equal(HttpRequestError.ConnectionError, refused.HttpRequestError);
        using var badToken = Connect(kubeconfig, "bad-token");
        var unauthorized = await Assert.ThrowsAsync<HttpOperationException>(() => badToken.CoreV1.ListNodeAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.Response.StatusCode);
        Assert.Equal(Unauthorized, unauthorized.Response.Content);
        Assert.Equal([null], server.Requests.Select(r => r.User));
    }

    static Kubernetes Connect(string kubeconfig, string context) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig, context));

    HttpClient Client(string? token = "", X509Certificate2? certificate = null, X509Certificate2? trust = null)
    {
        var authority = trust ?? server.CertificateAuthority.Certificate;
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, errors) => IsSignedBy(presented, authority, errors),
        };
        if (certificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(certificate);
        }
        var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        token = token == "" ? server.DefaultToken : token;
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    // The pinning a careful client does: the name must match, and the chain must end at this CA alone.
    static bool IsSignedBy(X509Certificate2? presented, X509Certificate2 authority, SslPolicyErrors errors)
    {
        if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    static async Task AssertAnswer(HttpClient client, string path, HttpStatusCode code, string body)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(code, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    static async Task<JsonObject> GetJson(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    static async Task<List<string>> PodNames(HttpClient client, string path) => Names(await GetJson(client, path));

    static List<string> Names(JsonObject list) =>
        list["items"]!.AsArray().Select(i => $"{i!["metadata"]!["namespace"]}/{i["metadata"]!["name"]}").ToList();

    static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(5), "The condition did not become true within 5 s.");
            await Task.Delay(20);
        }
    }
}
