using System.Text;
using System.Text.RegularExpressions;

namespace PodLogs.TestKubeApi;

/// <summary>
/// Writes a kubeconfig (apiVersion v1, kind Config) with one or more contexts, the first being
/// current unless <see cref="UseContext"/> says otherwise. Clusters and users are named after their
/// context unless they carry a name; entries sharing a name must be equal.
/// </summary>
public sealed partial class Kubeconfig
{
    readonly List<(string Name, string Cluster, string User, string? Namespace)> contexts = [];
    readonly Dictionary<string, KubeconfigCluster> clusters = new(StringComparer.Ordinal);
    readonly Dictionary<string, KubeconfigUser> users = new(StringComparer.Ordinal);
    string? currentContext;

    /// <summary>Adds a context joining a cluster and a user.</summary>
    public Kubeconfig AddContext(string name, KubeconfigCluster cluster, KubeconfigUser user, string? defaultNamespace = null)
    {
        if (contexts.Any(c => c.Name == name)) throw new ArgumentException($"The kubeconfig already has a context named '{name}'.", nameof(name));
        var clusterName = cluster.Name ?? name;
        var userName = user.Name ?? name;
        AddEntry(clusters, clusterName, cluster with { Name = clusterName });
        AddEntry(users, userName, user with { Name = userName });
        contexts.Add((name, clusterName, userName, defaultNamespace));
        return this;
    }

    /// <summary>Sets current-context (it need not exist: that is a case worth testing too).</summary>
    public Kubeconfig UseContext(string name)
    {
        currentContext = name;
        return this;
    }

    /// <summary>Writes <see cref="ToYaml"/> to <paramref name="path"/> (mode 0600, as kubectl does).</summary>
    public void Write(string path)
    {
        File.WriteAllText(path, ToYaml());
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The kubeconfig's YAML text, laid out as kubectl writes it.</summary>
    public string ToYaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("apiVersion: v1\n");
        yaml.Append("clusters:\n");
        foreach (var (name, cluster) in clusters)
        {
            yaml.Append("- cluster:\n");
            if (cluster.CertificateAuthorityPem is { } caPem) Field(yaml, 4, "certificate-authority-data", Base64(caPem));
            if (cluster.CertificateAuthorityFile is { } caFile) Field(yaml, 4, "certificate-authority", caFile);
            if (cluster.InsecureSkipTlsVerify) yaml.Append("    insecure-skip-tls-verify: true\n");
            Field(yaml, 4, "server", cluster.Server.AbsoluteUri.TrimEnd('/'));
            Field(yaml, 2, "name", name);
        }
        yaml.Append("contexts:\n");
        foreach (var context in contexts)
        {
            yaml.Append("- context:\n");
            Field(yaml, 4, "cluster", context.Cluster);
            if (context.Namespace is { } ns) Field(yaml, 4, "namespace", ns);
            Field(yaml, 4, "user", context.User);
            Field(yaml, 2, "name", context.Name);
        }
        Field(yaml, 0, "current-context", currentContext ?? contexts.FirstOrDefault().Name ?? "");
        yaml.Append("kind: Config\n");
        yaml.Append("preferences: {}\n");
        yaml.Append("users:\n");
        foreach (var (name, user) in users)
        {
            Field(yaml, 0, "- name", name);
            yaml.Append("  user:\n");
            if (user.ClientCertificateFile is { } certFile) Field(yaml, 4, "client-certificate", certFile);
            if (user.ClientCertificatePem is { } certPem) Field(yaml, 4, "client-certificate-data", Base64(certPem));
            if (user.ClientKeyFile is { } keyFile) Field(yaml, 4, "client-key", keyFile);
            if (user.ClientKeyPem is { } keyPem) Field(yaml, 4, "client-key-data", Base64(keyPem));
            if (user.Token is { } token) Field(yaml, 4, "token", token);
        }
        return yaml.ToString();
    }

    static void AddEntry<T>(Dictionary<string, T> entries, string name, T entry)
    {
        if (entries.TryGetValue(name, out var existing) && !Equals(existing, entry))
            throw new ArgumentException($"Two different kubeconfig entries are named '{name}'.", nameof(name));
        entries[name] = entry;
    }

    static string Base64(string pem) => Convert.ToBase64String(Encoding.ASCII.GetBytes(pem));

    static void Field(StringBuilder yaml, int indent, string key, string value) =>
        yaml.Append(' ', indent).Append(key).Append(": ").Append(Scalar(value)).Append('\n');

    // Plain where kubectl writes plain (names with colons such as system:node:node-1, URLs, base64);
    // double-quoted where YAML would read something else (empty, true, 123, a leading '*', ': ').
    static string Scalar(string value) =>
        PlainScalar().IsMatch(value) && !ReservedPlainScalar().IsMatch(value)
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    [GeneratedRegex(@"^[A-Za-z0-9/._][A-Za-z0-9/._:@+=~-]*$")]
    private static partial Regex PlainScalar();

    [GeneratedRegex(@"^(?:[-+]?[0-9][0-9_.:]*|true|false|yes|no|on|off|null|~|y|n)$|:$", RegexOptions.IgnoreCase)]
    private static partial Regex ReservedPlainScalar();
}
