using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A certificate authority made in memory, as kubeadm makes a cluster's CA: it signs the API
/// server's serving certificate and the client certificates the server accepts. A second
/// instance stands in for the wrong CA (a kubeconfig from another cluster).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    static readonly TimeSpan ClockSkew = TimeSpan.FromHours(1);
    static readonly TimeSpan LeafLifetime = TimeSpan.FromDays(30);

    readonly ECDsa key;

    TestCertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        this.key = key;
        Certificate = certificate;
        CertificatePem = certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate as PEM, what a kubeconfig's certificate-authority(-data) holds.</summary>
    public string CertificatePem { get; }

    /// <summary>A new self-signed CA (ECDSA P-256): BasicConstraints CA=true, KeyUsage keyCertSign.</summary>
    public static TestCertificateAuthority Create(string commonName = "podlogs-test-ca")
    {
        var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = DateTimeOffset.UtcNow;
        using var selfSigned = request.CreateSelfSigned(now - ClockSkew, now.AddYears(1));
        // Keep only the public certificate: the key stays in this object and signs the leaves.
        return new TestCertificateAuthority(caKey, X509CertificateLoader.LoadCertificate(selfSigned.RawData));
    }

    /// <summary>Writes <see cref="CertificatePem"/> to a file (a kubeconfig's certificate-authority path).</summary>
    public void WriteCertificatePem(string path) => File.WriteAllText(path, CertificatePem);

    /// <summary>
    /// A client certificate as a kubelet's: subject CN=<paramref name="commonName"/> (the user, e.g.
    /// system:node:node-1), O=each organization (the groups, e.g. system:nodes), ECDSA P-256 key,
    /// ExtendedKeyUsage clientAuth.
    /// </summary>
    public ClientCertificate IssueClientCertificate(string commonName, params string[] organizations)
    {
        var subject = new X500DistinguishedNameBuilder();
        foreach (var organization in organizations) subject.AddOrganizationName(organization);
        subject.AddCommonName(commonName);
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = Issue(subject.Build(), leafKey, ClientAuth, subjectAlternativeNames: null);
        return new ClientCertificate(commonName, certificate.ExportCertificatePem() + "\n", leafKey.ExportECPrivateKeyPem() + "\n");
    }

    /// <summary>The API server's serving certificate: SAN IP 127.0.0.1 and DNS localhost, serverAuth, with its key.</summary>
    internal X509Certificate2 IssueServerCertificate()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes");
        names.AddDnsName("kubernetes.default.svc");
        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);   // lives as long as the certificate
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName("kube-apiserver");
        using var certificate = Issue(subject.Build(), leafKey, ServerAuth, names.Build());
        return certificate.CopyWithPrivateKey(leafKey);
    }

    /// <summary>
    /// Whether a client presented a certificate this CA issued for client authentication, checked
    /// as the apiserver's x509 authenticator does: chain to this CA alone, in its validity period.
    /// </summary>
    internal bool IssuedClientCertificate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Certificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        return chain.Build(certificate);
    }

    X509Certificate2 Issue(X500DistinguishedName subject, ECDsa leafKey, Oid usage, X509Extension? subjectAlternativeNames)
    {
        var request = new CertificateRequest(subject, leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { usage }, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (subjectAlternativeNames is not null) request.CertificateExtensions.Add(subjectAlternativeNames);
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        var now = DateTimeOffset.UtcNow;
        var generator = X509SignatureGenerator.CreateForECDsa(key);
        return request.Create(Certificate.SubjectName, generator, now - ClockSkew, now + LeafLifetime, serial);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        key.Dispose();
        Certificate.Dispose();
    }
}
