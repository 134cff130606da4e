using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace PodLogs.TestKubeApi;

/// <summary>
/// Who a request is, as the apiserver's union authenticator decides: a client certificate issued
/// by the server's CA (user = CN, groups = O), else a known bearer token; otherwise nobody (401).
/// A certificate from another CA is not an error by itself: a valid token still authenticates.
/// </summary>
internal sealed class Authenticator(TestCertificateAuthority authority)
{
    const string Authenticated = "system:authenticated";

    readonly ConcurrentDictionary<string, ApiUser> tokens = new(StringComparer.Ordinal);

    public void AddToken(string token, string user, IEnumerable<string> groups) =>
        tokens[token] = new ApiUser(user, groups.Append(Authenticated).Distinct().ToList());

    public bool RemoveToken(string token) => tokens.TryRemove(token, out _);

    public ApiUser? Authenticate(X509Certificate2? clientCertificate, string? authorization)
    {
        if (clientCertificate is not null && authority.IssuedClientCertificate(clientCertificate))
        {
            var subject = clientCertificate.SubjectName.EnumerateRelativeDistinguishedNames().ToList();
            var commonName = subject.Where(n => n.GetSingleElementType().Value == "2.5.4.3").Select(n => n.GetSingleElementValue()).LastOrDefault();
            var organizations = subject.Where(n => n.GetSingleElementType().Value == "2.5.4.10").Select(n => n.GetSingleElementValue()!);
            if (!string.IsNullOrEmpty(commonName)) return new ApiUser(commonName, organizations.Append(Authenticated).ToList());
        }
        const string bearer = "Bearer ";
        if (authorization is not null && authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
            && tokens.TryGetValue(authorization[bearer.Length..].Trim(), out var user))
            return user;
        return null;
    }
}
