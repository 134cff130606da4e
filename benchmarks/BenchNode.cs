// The benchmark's node generator (compiled by benchmarks/LinkScan.ps1 with Add-Type).
// Writes a docker node the way dockershim/cri-dockerd and kubelet lay it out (docs/kubelet-facts.md §1, §2, §7,
// src/PodLogs.Core/Samples/SampleNode.cs) under a directory that stands for the node's '/':
//   /var/log/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log -> /var/lib/docker/containers/<id>/<id>-json.log
//   /var/log/containers/<pod>_<ns>_<container>-<id>.log       -> the newest <attempt>.log
//   /var/lib/docker/containers/<id>/{config.v2.json,hostconfig.json}  (only when docker state is written)
//   /var/lib/docker/containers/<id>/<id>-json.log.1, .2, …            (only when docker's rotations are written)
// or, for a CRI runtime (WriteCriLogs), each <attempt>.log a regular file in CRI format and nothing else.
// Everything is derived from a fixed seed, so every run writes the same node.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;

namespace PodLogsBench
{
    public sealed class BenchContainer
    {
        public string Namespace, Pod, Uid, Name, Id;
        public int Attempt;
        public bool Running;
        public DateTimeOffset StartedAt;
    }

    public static class BenchNode
    {
        const string PodLogs = "/var/log/pods";
        const string Legacy = "/var/log/containers";
        const string DockerRoot = "/var/lib/docker";
        static readonly string[] Namespaces = { "default", "payments", "search", "checkout", "monitoring", "kube-system", "ingress", "batch" };
        static readonly string[] Apps = { "web", "api", "worker", "cache", "gateway", "indexer", "billing", "notifier" };
        static readonly string[] ContainerNames = { "app", "istio-proxy", "log-shipper", "metrics", "init-config" };

        /// <summary>The node's containers: pods x containers x attempts (0..restarts-1); the last attempt runs.</summary>
        public static List<BenchContainer> Plan(int pods, int containersPerPod, int restarts, int seed)
        {
            if (containersPerPod > ContainerNames.Length) throw new ArgumentOutOfRangeException(nameof(containersPerPod), $"at most {ContainerNames.Length}");
            var rng = new Random(seed);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<BenchContainer>(pods * containersPerPod * restarts);
            var epoch = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            for (var p = 0; p < pods; p++)
            {
                var ns = Namespaces[p % Namespaces.Length];
                var pod = $"{Apps[p / Namespaces.Length % Apps.Length]}-{Hex(rng, 10)}-{Suffix(rng)}";
                var uid = Uuid(rng);
                for (var c = 0; c < containersPerPod; c++)
                    for (var a = 0; a < restarts; a++)
                    {
                        string id;
                        do id = Hex(rng, 64); while (!ids.Add(id));
                        list.Add(new BenchContainer
                        {
                            Namespace = ns, Pod = pod, Uid = uid, Name = ContainerNames[c], Id = id, Attempt = a,
                            Running = a == restarts - 1,
                            StartedAt = epoch.AddMinutes(p).AddSeconds(c * 10 + a),
                        });
                    }
            }
            return list;
        }

        /// <summary>Pod logs, json logs and legacy links (the newest attempt of each container gets one).</summary>
        public static void WriteLogs(string root, List<BenchContainer> containers)
        {
            var newest = new Dictionary<string, BenchContainer>(StringComparer.Ordinal);
            foreach (var c in containers)
            {
                var json = JsonLogPath(c.Id);
                Directory.CreateDirectory(Local(root, Parent(json)));
                File.WriteAllText(Local(root, json), JsonLines(c));
                var podLog = PodLogPath(c);
                Directory.CreateDirectory(Local(root, Parent(podLog)));
                File.CreateSymbolicLink(Local(root, podLog), json);
                var key = c.Namespace + "/" + c.Pod + "/" + c.Name;
                if (!newest.TryGetValue(key, out var n) || n.Attempt < c.Attempt) newest[key] = c;
            }
            Directory.CreateDirectory(Local(root, Legacy));
            foreach (var c in newest.Values)
            {
                var name = $"{c.Pod}_{c.Namespace}_{c.Name}-{c.Id}";
                if (Encoding.UTF8.GetByteCount(name) > 251) throw new InvalidOperationException("benchmark names must not need kubelet's cut");
                File.CreateSymbolicLink(Local(root, $"{Legacy}/{name}.log"), PodLogPath(c));
            }
        }

        /// <summary>A CRI runtime's node instead: each container's <c>&lt;attempt&gt;.log</c> a regular file of <paramref name="lines"/> CRI lines. Returns their node paths.</summary>
        public static List<string> WriteCriLogs(string root, List<BenchContainer> containers, int lines)
        {
            var paths = new List<string>(containers.Count);
            foreach (var c in containers)
            {
                var podLog = PodLogPath(c);
                Directory.CreateDirectory(Local(root, Parent(podLog)));
                var sb = new StringBuilder();
                for (var i = 0; i < lines; i++)
                    sb.Append(c.StartedAt.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'")).Append(i % 3 == 2 ? " stderr F " : " stdout F ")
                      .Append(c.Name).Append(" restart ").Append(c.Attempt).Append(": line ").Append(i).Append('\n');
                File.WriteAllText(Local(root, podLog), sb.ToString());
                paths.Add(podLog);
            }
            return paths;
        }

        /// <summary>
        /// config.v2.json and hostconfig.json for every container, as docker writes them for kubelet's containers; with
        /// <paramref name="maxFiles"/> &gt; 0 the LogConfig says json-file rotates at 10m keeping that many files.
        /// </summary>
        public static int WriteDockerState(string root, List<BenchContainer> containers, int maxFiles = 0)
        {
            var logOpts = maxFiles > 0 ? $"{{\"max-size\":\"10m\",\"max-file\":\"{maxFiles}\"}}" : "{}";
            var sandbox = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in containers)
            {
                if (!sandbox.TryGetValue(c.Uid, out var sandboxId)) sandbox[c.Uid] = sandboxId = Sha(c.Uid);
                var labels = new Dictionary<string, string>
                {
                    ["io.kubernetes.docker.type"] = "container",
                    ["io.kubernetes.pod.name"] = c.Pod,
                    ["io.kubernetes.pod.namespace"] = c.Namespace,
                    ["io.kubernetes.pod.uid"] = c.Uid,
                    ["io.kubernetes.container.name"] = c.Name,
                    ["io.kubernetes.container.logpath"] = PodLogPath(c),
                    ["annotation.io.kubernetes.container.restartCount"] = c.Attempt.ToString(),
                    ["io.kubernetes.sandbox.id"] = sandboxId,
                };
                var started = c.StartedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
                var finished = c.Running ? "0001-01-01T00:00:00Z" : c.StartedAt.AddSeconds(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
                var config = new
                {
                    ID = c.Id,
                    Name = $"/k8s_{c.Name}_{c.Pod}_{c.Namespace}_{c.Uid}_{c.Attempt}",
                    Created = started,
                    State = new { Running = c.Running, Paused = false, Restarting = false, Pid = c.Running ? 4242 : 0, ExitCode = c.Running ? 0 : 2, StartedAt = started, FinishedAt = finished },
                    Config = new { Hostname = "node-1", Image = "local/busybox:latest", Labels = labels },
                    LogPath = JsonLogPath(c.Id),
                    Driver = "overlay2",
                };
                var dir = $"{DockerRoot}/containers/{c.Id}";
                File.WriteAllText(Local(root, dir + "/config.v2.json"), JsonSerializer.Serialize(config));
                File.WriteAllText(Local(root, dir + "/hostconfig.json"), $"{{\"LogConfig\":{{\"Type\":\"json-file\",\"Config\":{logOpts}}},\"NetworkMode\":\"none\"}}");
            }
            return containers.Count;
        }

        /// <summary>
        /// docker's json-file rotations beside each json log: <c>&lt;id&gt;-json.log.1</c> … <c>.&lt;rotations&gt;</c>
        /// (docs/kubelet-facts.md §5; .1 the newest), file k holding 40·k lines (its content is never read), so the
        /// rotated files take more blocks than the active one. Returns the number of files written.
        /// </summary>
        public static int WriteDockerRotations(string root, List<BenchContainer> containers, int rotations)
        {
            foreach (var c in containers)
                for (var k = 1; k <= rotations; k++)
                    File.WriteAllText(Local(root, $"{JsonLogPath(c.Id)}.{k}"), JsonLines(c, 40 * k));
            return containers.Count * rotations;
        }

        public static string PodLogPath(BenchContainer c) => $"{PodLogs}/{c.Namespace}_{c.Pod}_{c.Uid}/{c.Name}/{c.Attempt}.log";
        public static string JsonLogPath(string id) => $"{DockerRoot}/containers/{id}/{id}-json.log";

        static string JsonLines(BenchContainer c, int lines = 3)
        {
            var sb = new StringBuilder();
            for (var i = 0; i < lines; i++)
                sb.Append(JsonSerializer.Serialize(new
                {
                    log = $"{c.Name} restart {c.Attempt}: line {i}\n",
                    stream = i % 3 == 2 ? "stderr" : "stdout",
                    time = c.StartedAt.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"),
                })).Append('\n');
            return sb.ToString();
        }

        static string Local(string root, string nodePath) => root.TrimEnd('/') + nodePath;
        static string Parent(string nodePath) => nodePath.Substring(0, nodePath.LastIndexOf('/'));

        static string Hex(Random rng, int length)
        {
            const string digits = "0123456789abcdef";
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = digits[rng.Next(16)];
            return new string(chars);
        }

        static string Suffix(Random rng)
        {
            const string alphabet = "bcdfghjklmnpqrstvwxz2456789"; // Kubernetes' rand.String alphabet
            var chars = new char[5];
            for (var i = 0; i < 5; i++) chars[i] = alphabet[rng.Next(alphabet.Length)];
            return new string(chars);
        }

        static string Uuid(Random rng)
        {
            var h = Hex(rng, 32).ToCharArray();
            h[12] = '4';
            h[16] = "89ab"[rng.Next(4)];
            var s = new string(h);
            return $"{s.Substring(0, 8)}-{s.Substring(8, 4)}-{s.Substring(12, 4)}-{s.Substring(16, 4)}-{s.Substring(20)}";
        }

        static string Sha(string text)
        {
            var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));
            return Convert.ToHexString(hash).ToLowerInvariant();
        }
    }
}
