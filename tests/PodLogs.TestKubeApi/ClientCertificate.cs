using System.Security.Cryptography.X509Certificates;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A client certificate and its private key as PEM: what a kubeconfig's
/// client-certificate(-data) and client-key(-data) hold.
/// </summary>
/// <param name="CommonName">The subject's CN, the user name the API server sees.</param>
/// <param name="CertificatePem">The certificate (BEGIN CERTIFICATE).</param>
/// <param name="PrivateKeyPem">The key (BEGIN EC PRIVATE KEY, as kubelet writes it).</param>
public sealed record ClientCertificate(string CommonName, string CertificatePem, string PrivateKeyPem)
{
    /// <summary>
    /// Certificate then key in one file, the layout of kubelet's
    /// /var/lib/kubelet/pki/kubelet-client-current.pem (kubelet.conf names that file as both
    /// client-certificate and client-key).
    /// </summary>
    public string CombinedPem => CertificatePem + PrivateKeyPem;

    /// <summary>Writes <see cref="CombinedPem"/> to <paramref name="path"/> (mode 0600, as kubelet does).</summary>
    public void WriteCombinedPem(string path)
    {
        File.WriteAllText(path, CombinedPem);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The certificate with its key, for an HttpClient's client certificates.</summary>
    public X509Certificate2 ToX509Certificate2() => X509Certificate2.CreateFromPem(CertificatePem, PrivateKeyPem);
}
