namespace PodLogs.TestKubeApi;

/// <summary>
/// A kubeconfig cluster entry: the server and how to trust it. Make variants with <c>with</c>,
/// e.g. <c>server.Cluster() with { CertificateAuthorityPem = otherCa.CertificatePem }</c>.
/// </summary>
/// <param name="Server">The API server URL.</param>
public sealed record KubeconfigCluster(Uri Server)
{
    /// <summary>The entry's name; the context's name when null.</summary>
    public string? Name { get; init; }

    /// <summary>Written base64-encoded as certificate-authority-data.</summary>
    public string? CertificateAuthorityPem { get; init; }

    /// <summary>Written as certificate-authority (a path, as some distributions' kubelet.conf does).</summary>
    public string? CertificateAuthorityFile { get; init; }

    /// <summary>Written as insecure-skip-tls-verify: true.</summary>
    public bool InsecureSkipTlsVerify { get; init; }
}

/// <summary>A kubeconfig user entry: a bearer token or a client certificate, embedded or by path.</summary>
public sealed record KubeconfigUser
{
    /// <summary>The entry's name; the context's name when null.</summary>
    public string? Name { get; init; }

    /// <summary>Written as token.</summary>
    public string? Token { get; init; }

    /// <summary>Written base64-encoded as client-certificate-data.</summary>
    public string? ClientCertificatePem { get; init; }

    /// <summary>Written base64-encoded as client-key-data.</summary>
    public string? ClientKeyPem { get; init; }

    /// <summary>Written as client-certificate (a path).</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>Written as client-key (a path).</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>A user that sends <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public static KubeconfigUser WithToken(string token, string? name = null) => new() { Name = name, Token = token };

    /// <summary>A user with the certificate and key embedded (client-certificate-data, client-key-data).</summary>
    public static KubeconfigUser WithClientCertificate(ClientCertificate certificate, string? name = null) =>
        new() { Name = name, ClientCertificatePem = certificate.CertificatePem, ClientKeyPem = certificate.PrivateKeyPem };

    /// <summary>
    /// A user whose certificate and key are files, as kubelet.conf names
    /// /var/lib/kubelet/pki/kubelet-client-current.pem for both (see <see cref="ClientCertificate.WriteCombinedPem"/>).
    /// </summary>
    public static KubeconfigUser WithClientCertificateFiles(string certificateFile, string keyFile, string? name = null) =>
        new() { Name = name, ClientCertificateFile = certificateFile, ClientKeyFile = keyFile };
}
