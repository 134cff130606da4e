using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Repair;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

/// <summary>
/// One Kubernetes container instance as dockershim / cri-dockerd leaves it in docker's state.
/// Defaults are what a healthy docker node has; tests override one fact at a time.
/// </summary>
public sealed record FakeContainer(string Namespace, string Pod, string Uid, string Container, int Attempt, string Id)
{
    public string StartedAt { get; init; } = "2026-03-01T10:00:00Z";
    public bool Running { get; init; } = true;
    /// <summary>Docker's Name; null = <c>/k8s_&lt;container&gt;_&lt;pod&gt;_&lt;ns&gt;_&lt;uid&gt;_&lt;attempt&gt;</c>.</summary>
    public string? DockerName { get; init; }
    /// <summary>Appended as <c>_&lt;suffix&gt;</c> to the default name (cri-dockerd's randomizeName).</summary>
    public string? RandomSuffix { get; init; }
    /// <summary>The <c>io.kubernetes.container.logpath</c> label; null = kubelet's path.</summary>
    public string? LogPathLabel { get; init; }
    /// <summary>config.v2.json LogPath; null = docker's json-file path under <see cref="DockerRoot"/>; "" = never started.</summary>
    public string? DockerLogPath { get; init; }
    public string? LogDriver { get; init; } = "json-file";
    public string Type { get; init; } = "container";
    public bool WriteJsonLog { get; init; } = true;
    /// <summary>Docker's own RestartCount (which kubelet never uses for the attempt).</summary>
    public int DockerRestartCount { get; init; }
    /// <summary>The config.v2.json ID; null = <see cref="Id"/>.</summary>
    public string? ConfigId { get; init; }
    /// <summary>Label overrides; a null value removes the label.</summary>
    public IReadOnlyDictionary<string, string?> Labels { get; init; } = new Dictionary<string, string?>();
    /// <summary>Where docker keeps its state, as dockerd spells it (the canonical path when the data root is a link).</summary>
    public string DockerRoot { get; init; } = FakeNode.DockerRoot;

    public string JsonLog => DockershimNames.JsonLogPath(DockerRoot, Id);
    public string PodLogFile => KubeletPaths.BuildContainerLogFile(FakeNode.PodLogs, Namespace, Pod, Uid, Container, Attempt);
    public string PodDirectory => KubeletPaths.BuildPodLogsDirectory(FakeNode.PodLogs, Namespace, Pod, Uid);
    public string ContainerDirectory => NodePath.Parent(PodLogFile);
    public string LegacyLink => KubeletPaths.LegacyLinkPath(FakeNode.Legacy, Pod, Namespace, Container, Id);
    public string StateDirectory => NodePath.Combine(DockerRoot, "containers", Id);
}

/// <summary>What one inspection of a fake node saw.</summary>
public sealed record Inspected(NodeLayout Layout, RuntimeSnapshot? Runtime, CollectingReporter Reporter, LinkInspector Inspector, List<ContainerLogLink> Entries)
{
    public ContainerLogLink At(string nodePath)
    {
        var matches = Entries.Where(e => e.NodePath == nodePath).ToList();
        Assert.True(matches.Count == 1, $"expected one entry at {nodePath}, found {matches.Count}:\n{Describe()}");
        return matches[0];
    }

    public bool Has(string nodePath) => Entries.Any(e => e.NodePath == nodePath);

    public string Describe() => string.Join('\n', Entries.Select(e => $"{e.Kind} {e.Status} {e.NodePath} -> {e.Target} ({e.Reason})"));
}

/// <summary>What one repair run did.</summary>
public sealed record Repaired(RepairPlan Plan, List<LinkRepairResult> Results, CollectingReporter Reporter, List<(string Target, string Action)> Asked)
{
    public IEnumerable<string> RefusalIds => Plan.Refusals.Select(r => r.ErrorId);
    public PodLogsFailure Refusal(string errorId) => Assert.Single(Plan.Refusals, r => r.ErrorId == errorId);
}

/// <summary>
/// A temporary directory that stands for a node's '/', with helpers that lay out kubelet's and
/// docker's files there the way they are on a real node: real files, real symbolic links.
/// </summary>
public sealed partial class FakeNode : IDisposable
{
    public const string PodLogs = "/var/log/pods";
    public const string Legacy = "/var/log/containers";
    public const string DockerRoot = "/var/lib/docker";
    public const string Uid1 = "2681cb7f-daa4-4620-bb60-1d449709181c";
    public const string Uid2 = "c6ea97b6-d858-4c4c-8d83-17477599aebf";
    public const string StaticUid = "3c0f2a5b8e7d4c1f9a6b5e4d3c2b1a09";

    public FakeNode() => Root = Directory.CreateTempSubdirectory("podlogs-test-").FullName;

    /// <summary>The local directory that stands for the node's '/'.</summary>
    public string Root { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>A 64-hex container id derived from a seed, so tests read as names.</summary>
    public static string Id(string seed) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(seed))).ToLowerInvariant();

    public string Local(string nodePath) => nodePath == "/" ? Root : Root + nodePath;

    public void Mkdir(string nodePath) => Directory.CreateDirectory(Local(nodePath));

    public void WriteFile(string nodePath, string content) => WriteBytes(nodePath, Encoding.UTF8.GetBytes(content));

    public void WriteBytes(string nodePath, byte[] content)
    {
        Mkdir(NodePath.Parent(nodePath));
        File.WriteAllBytes(Local(nodePath), content);
    }

    public void Link(string nodePath, string target)
    {
        Mkdir(NodePath.Parent(nodePath));
        File.CreateSymbolicLink(Local(nodePath), target);
    }

    /// <summary>Points an existing link elsewhere.</summary>
    public void Relink(string nodePath, string target)
    {
        File.Delete(Local(nodePath));
        File.CreateSymbolicLink(Local(nodePath), target);
    }

    public void Fifo(string nodePath)
    {
        Mkdir(NodePath.Parent(nodePath));
        Assert.Equal(0, MkFifo(Local(nodePath), 0b110_100_100));
    }

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkFifo(string path, uint mode);

    /// <summary>The raw text of a link, byte for byte, or null when the entry is not a link.</summary>
    public byte[]? ReadLinkBytes(string nodePath) =>
        Posix.ReadLink(Local(nodePath), out var target) == 0 ? Encoding.UTF8.GetBytes(target) : null;

    public string? ReadLink(string nodePath) => Posix.ReadLink(Local(nodePath), out var target) == 0 ? target : null;

    /// <summary>Whether anything (even a dangling link) is at the path.</summary>
    public bool Exists(string nodePath) => Posix.LStat(Local(nodePath), out _) == 0;

    public FileKind KindOf(string nodePath) => Posix.LStat(Local(nodePath), out var s) == 0 ? s.Kind : FileKind.None;

    /// <summary>Writes config.v2.json, hostconfig.json and (unless told not to) the json log of one container.</summary>
    public FakeContainer Docker(FakeContainer c)
    {
        var labels = new Dictionary<string, string>
        {
            [DockershimNames.ContainerTypeLabel] = c.Type,
            [DockershimNames.PodNameLabel] = c.Pod,
            [DockershimNames.PodNamespaceLabel] = c.Namespace,
            [DockershimNames.PodUidLabel] = c.Uid,
            [DockershimNames.ContainerNameLabel] = c.Container,
            [DockershimNames.LogPathLabel] = c.LogPathLabel ?? c.PodLogFile,
            [DockershimNames.RestartCountLabel] = c.Attempt.ToString(),
            ["io.kubernetes.sandbox.id"] = Id("sandbox-" + c.Pod),
        };
        foreach (var (k, v) in c.Labels)
            if (v is null) labels.Remove(k);
            else labels[k] = v;
        var name = c.DockerName ?? $"/k8s_{c.Container}_{c.Pod}_{c.Namespace}_{c.Uid}_{c.Attempt}" + (c.RandomSuffix is null ? "" : "_" + c.RandomSuffix);
        var logPath = c.DockerLogPath ?? c.JsonLog;
        var config = new Dictionary<string, object?>
        {
            ["ID"] = c.ConfigId ?? c.Id,
            ["Name"] = name,
            ["RestartCount"] = c.DockerRestartCount,
            ["State"] = new
            {
                Running = c.Running,
                ExitCode = c.Running ? 0 : 1,
                StartedAt = c.StartedAt,
                FinishedAt = c.Running ? "0001-01-01T00:00:00Z" : c.StartedAt,
            },
            ["Config"] = new { Hostname = "node-1", Labels = labels },
            ["LogPath"] = logPath,
            ["Driver"] = "overlay2",
        };
        WriteFile(NodePath.Combine(c.StateDirectory, "config.v2.json"), JsonSerializer.Serialize(config));
        if (c.LogDriver is not null)
            WriteFile(NodePath.Combine(c.StateDirectory, "hostconfig.json"), JsonSerializer.Serialize(new { LogConfig = new { Type = c.LogDriver, Config = new { } } }));
        if (c.WriteJsonLog && logPath.Length > 0)
            WriteFile(logPath, $"{{\"log\":\"{c.Container} attempt {c.Attempt}\\n\",\"stream\":\"stdout\",\"time\":\"{c.StartedAt}\"}}\n");
        return c;
    }

    /// <summary>N.log → the json log, as dockershim writes it (absolute node path).</summary>
    public void PodLogLink(FakeContainer c, string? target = null) => Link(c.PodLogFile, target ?? c.JsonLog);

    /// <summary>The legacy link → N.log, as kubelet writes it (absolute node path).</summary>
    public void LegacyLink(FakeContainer c, string? target = null) => Link(c.LegacyLink, target ?? c.PodLogFile);

    /// <summary>A container as kubelet and dockershim leave it when all went well: state, json log, N.log link, legacy link.</summary>
    public FakeContainer Healthy(FakeContainer c)
    {
        Docker(c);
        PodLogLink(c);
        LegacyLink(c);
        return c;
    }

    public NodeLayout Layout(NodeLayoutOptions? options = null, IPodLogsReporter? reporter = null) =>
        NodeLayout.Load((options ?? new NodeLayoutOptions()) with { Root = Root }, reporter ?? new CollectingReporter());

    public Inspected Inspect(NodeLayoutOptions? options = null, LogSelection? selection = null)
    {
        var reporter = new CollectingReporter();
        var layout = Layout(options, reporter);
        var runtime = new DockerFileSource().Read(layout, reporter, CancellationToken.None);
        var inspector = new LinkInspector(layout, runtime, reporter);
        var entries = inspector.InspectNode(selection ?? LogSelection.All).ToList();
        return new Inspected(layout, runtime, reporter, inspector, entries);
    }

    /// <summary>Inspects, plans and executes a repair, as Repair-ContainerLogLink does.</summary>
    public Repaired Repair(bool force = false, Func<string, string, bool>? shouldProcess = null, NodeLayoutOptions? options = null)
    {
        var inspected = Inspect(options);
        var plan = new RepairPlanner(inspected.Inspector).Plan(inspected.Entries, force, explicitSelection: false);
        var asked = new List<(string, string)>();
        var results = new RepairExecutor(inspected.Layout, inspected.Reporter)
            .Execute(plan, (target, action) => { asked.Add((target, action)); return shouldProcess?.Invoke(target, action) ?? true; })
            .ToList();
        return new Repaired(plan, results, inspected.Reporter, asked);
    }

    /// <summary>
    /// The whole tree under the root, one line per entry: kind, path, and the link text or a hash of
    /// the file's bytes. Two listings are equal only when nothing was created, removed, relinked or rewritten.
    /// </summary>
    public List<string> Listing()
    {
        var lines = new List<string>();
        Walk("/");
        return lines;

        void Walk(string nodeDir)
        {
            foreach (var local in Directory.EnumerateFileSystemEntries(Local(nodeDir)).Order(StringComparer.Ordinal))
            {
                var nodePath = NodePath.Combine(nodeDir, Path.GetFileName(local));
                Assert.Equal(0, Posix.LStat(local, out var st));
                switch (st.Kind)
                {
                    case FileKind.SymbolicLink:
                        lines.Add($"L {nodePath} -> {ReadLink(nodePath)}");
                        break;
                    case FileKind.Directory:
                        lines.Add($"D {nodePath}");
                        Walk(nodePath);
                        break;
                    case FileKind.RegularFile:
                        lines.Add($"F {nodePath} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(local)))}");
                        break;
                    default:
                        lines.Add($"{st.Kind} {nodePath}");
                        break;
                }
            }
        }
    }

    /// <summary>Every entry under the root whose name starts with <paramref name="prefix"/>.</summary>
    public List<string> FindNames(string prefix) =>
        Listing().Select(l => l.Split(' ')[1]).Where(p => NodePath.FileName(p).StartsWith(prefix, StringComparison.Ordinal)).ToList();
}
