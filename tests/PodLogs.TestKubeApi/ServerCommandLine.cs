using System.Globalization;

namespace PodLogs.TestKubeApi;

/// <summary>The command line of the runnable server (see <see cref="Usage"/>).</summary>
internal sealed class ServerCommandLine
{
    public const string Usage = """
        PodLogs.TestKubeApi: a Kubernetes API server for tests, on https://127.0.0.1 with its own CA.
          --state <file>            {"nodes":[...],"pods":[...]}: raw API objects to serve
          --kubeconfig <file>       where to write the kubeconfig for this server (required)
          --context <name>          its context name (default podlogs-test)
          --token <t>               the kubeconfig user's bearer token (default: the server's default token)
          --token-user <name>       the user --token authenticates as (default podlogs-test-admin)
          --client-cert-cn <CN>     make the kubeconfig user a client certificate with this CN (e.g. system:node:node-1)
          --client-cert-org <O>     an organization (group) of that certificate; repeatable (e.g. system:nodes)
          --client-cert-out <dir>   write it to <dir>/kubelet-client-current.pem (certificate + key, as kubelet)
                                    and name that file in the kubeconfig instead of embedding it
          --ca-out <file>           write the CA certificate there and name it as certificate-authority
                                    instead of embedding certificate-authority-data
          --forbid <verb>:<resource>  deny the kubeconfig's user that (e.g. list:pods); repeatable
          --delay-ms <n>            answer every request n ms late
          --fault <spec>            status=<code>[,retry-after=<s>] | close | delay-ms=<n>,
                                    optionally with ,path=<path prefix> and ,times=<n>; repeatable
          --requests-out <file>     append one JSON line per finished request
          --port <n>                listen on this port (default: a free one)
          --ignore-stdin            run until SIGTERM/SIGINT only (default: also stop at end of stdin)
        Prints "listening https://127.0.0.1:<port>" once ready.
        """;

    public string? StatePath { get; private set; }
    public string KubeconfigPath { get; private set; } = "";
    public string Context { get; private set; } = "podlogs-test";
    public string? Token { get; private set; }
    public string TokenUser { get; private set; } = "podlogs-test-admin";
    public string? ClientCertCommonName { get; private set; }
    public List<string> ClientCertOrganizations { get; } = [];
    public string? ClientCertDirectory { get; private set; }
    public string? CaPath { get; private set; }
    public List<(string Verb, string Resource)> Forbidden { get; } = [];
    public List<FaultSpec> Faults { get; } = [];
    public string? RequestsPath { get; private set; }
    public int Port { get; private set; }
    public bool IgnoreStdin { get; private set; }

    public static ServerCommandLine Parse(IReadOnlyList<string> args)
    {
        var parsed = new ServerCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{option} needs a value.");
            switch (option)
            {
                case "--state": parsed.StatePath = Value(); break;
                case "--kubeconfig": parsed.KubeconfigPath = Value(); break;
                case "--context": parsed.Context = Value(); break;
                case "--token": parsed.Token = Value(); break;
                case "--token-user": parsed.TokenUser = Value(); break;
                case "--client-cert-cn": parsed.ClientCertCommonName = Value(); break;
                case "--client-cert-org": parsed.ClientCertOrganizations.Add(Value()); break;
                case "--client-cert-out": parsed.ClientCertDirectory = Value(); break;
                case "--ca-out": parsed.CaPath = Value(); break;
                case "--forbid": parsed.Forbidden.Add(ParseForbid(Value())); break;
                case "--delay-ms": parsed.Faults.Add(FaultSpec.Parse("delay-ms=" + Value())); break;
                case "--fault": parsed.Faults.Add(FaultSpec.Parse(Value())); break;
                case "--requests-out": parsed.RequestsPath = Value(); break;
                case "--port": parsed.Port = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--ignore-stdin": parsed.IgnoreStdin = true; break;
                default: throw new ArgumentException($"Unknown option {option}.");
            }
        }
        if (parsed.KubeconfigPath.Length == 0) throw new ArgumentException("--kubeconfig is required.");
        if (parsed.ClientCertDirectory is not null && parsed.ClientCertCommonName is null) throw new ArgumentException("--client-cert-out needs --client-cert-cn.");
        return parsed;
    }

    static (string, string) ParseForbid(string text) =>
        text.Split(':') is [var verb, var resource] && verb.Length > 0 && resource.Length > 0
            ? (verb, resource)
            : throw new ArgumentException($"--forbid takes <verb>:<resource>, not '{text}'.");
}
