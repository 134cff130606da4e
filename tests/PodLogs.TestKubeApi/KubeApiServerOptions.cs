namespace PodLogs.TestKubeApi;

/// <summary>How <see cref="KubeApiServer.StartAsync"/> sets up a server.</summary>
public sealed class KubeApiServerOptions
{
    /// <summary>The port on 127.0.0.1; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The CA that signs the serving certificate and accepted client certificates; a new one when null.
    /// Share one to have two servers of the same "cluster".</summary>
    public TestCertificateAuthority? CertificateAuthority { get; init; }

    /// <summary>A token valid from the start (<see cref="KubeApiServer.DefaultToken"/>).</summary>
    public string DefaultToken { get; init; } = "podlogs-test-token";

    /// <summary>The user <see cref="DefaultToken"/> authenticates as.</summary>
    public string DefaultTokenUser { get; init; } = "podlogs-test-admin";

    /// <summary>What /version reports.</summary>
    public string KubernetesVersion { get; init; } = "v1.31.2";

    /// <summary>
    /// Called once a request's outcome is settled: just before its answer is sent, when the
    /// connection is closed on purpose, or when the client left first. From Kestrel's threads.
    /// </summary>
    public Action<RecordedRequest>? RequestCompleted { get; init; }
}
