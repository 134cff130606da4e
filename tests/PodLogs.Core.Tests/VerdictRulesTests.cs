using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Tests;

/// <summary>
/// Every status and reason <see cref="VerdictRules"/> gives, one row each, from facts alone: no file is made or read
/// (as kubelet tests its kuberuntime helpers). The end-to-end tests on real files are <see cref="LinkInspectorTests"/>.
/// </summary>
public sealed class VerdictRulesTests
{
    const string Uid = "5d3c7e0e-8a53-4c5b-9f3e-1f2a3b4c5d6e";
    const string PodDir = "/var/log/pods/default_web-0_" + Uid;
    const string NLog = PodDir + "/web/2.log";
    const string Roots = "/var/log/pods, /var/log/containers, /var/lib/docker/containers";
    static readonly string Id1 = new('a', 64);
    static readonly string Id2 = new('b', 64);
    static readonly string Json1 = $"/var/lib/docker/containers/{Id1}/{Id1}-json.log";
    static readonly string Json2 = $"/var/lib/docker/containers/{Id2}/{Id2}-json.log";
    static readonly string LegacyPath = $"/var/log/containers/web-0_default_web-{Id1}.log";
    const string OtherLog = "/var/log/pods/default_api-0_" + Uid + "/api/0.log";

    static readonly RuntimeContainer Web = new()
    {
        Id = Id1, Namespace = "default", PodName = "web-0", PodUid = Uid, ContainerName = "web", RestartCount = 2, State = ContainerState.Running,
        LogPath = NLog, DockerJsonLogPath = Json1, LogDriver = "json-file", SourceName = "DockerFiles",
    };
    static readonly RuntimeContainer Api = Web with { Id = Id2, PodName = "api-0", ContainerName = "api", RestartCount = 0, LogPath = OtherLog, DockerJsonLogPath = Json2 };
    static readonly RuntimeContainer CriWeb = Web with { LogPath = null, DockerJsonLogPath = null, LogDriver = null, SourceName = "Cri" };
    const string D = "container aaaaaaaaaaaa (web, restart 2, running)";

    static readonly IRuntimeLogLayout Docker = IRuntimeLogLayout.For(RuntimeKind.Docker);
    static readonly IRuntimeLogLayout Cri = IRuntimeLogLayout.For(RuntimeKind.Cri);

    /// <summary>An N.log of <see cref="Web"/>'s pod with nothing known but what stands there.</summary>
    static EntryFacts PodLog(FileKind type) => new()
    {
        Kind = LogEntryKind.PodLog, NodePath = NLog, EntryType = type, ContainerName = "web", LiveName = "2.log", PodDirectory = PodDir, LogRoots = Roots,
    };

    static EntryFacts Legacy(FileKind type = FileKind.SymbolicLink) => new()
    {
        Kind = LogEntryKind.Legacy, NodePath = LegacyPath, EntryType = type, LogRoots = Roots,
        LegacyName = new LegacyLinkName("web-0", "default", "web", Id1, false), NameId = Id1, NameEndsInLog = true,
        PointsAt = new PodLogTarget("default", "web-0", Uid, "web", 2), FirstHop = NLog,
    };

    static EntryFacts On(EntryFacts f, IRuntimeLogLayout runtime, RuntimeContainer? owner = null, bool knowsEvery = true) => f with
    {
        Runtime = runtime, RuntimeName = runtime == Docker ? "DockerFiles" : "Cri", RuntimeKnowsEveryContainer = knowsEvery, Owner = owner,
        OwnerLogFile = owner is null ? null : NLog,
    };

    /// <summary>A chain followed to its end: <paramref name="end"/> a regular file inside the roots unless said otherwise.</summary>
    static EntryFacts Chain(EntryFacts f, string end, ResolveOutcome outcome = ResolveOutcome.Resolved, FileKind endType = FileKind.RegularFile, bool insideRoots = true,
        string? jsonId = null, int hops = 1, string? target = null) => f with
    {
        Chain = outcome, ChainEnd = end, ChainEndType = endType, ChainEndInsideRoots = insideRoots && outcome == ResolveOutcome.Resolved, HopCount = hops,
        ChainEndInDockerRoot = outcome == ResolveOutcome.Resolved && end.StartsWith("/var/lib/docker/", StringComparison.Ordinal),
        Target = target ?? end, TargetIntoDockerRoot = (target ?? end).StartsWith("/var/lib/docker/", StringComparison.Ordinal), JsonLogId = jsonId,
    };

    public sealed record Expected(LinkStatus? Status, string? Reason, bool Transient = false, bool NameTooLong = false);

    public static TheoryData<string, EntryFacts, Expected> Rows() => new()
    {
        // Entries of a pod directory that are not kubelet's.
        { "not a container directory", PodLog(FileKind.RegularFile) with { NodePath = PodDir + "/notes.txt", Foreign = ForeignEntry.NotContainerDirectory },
            new(LinkStatus.Invalid, "not kubelet's, left alone: notes.txt is not a container log directory kubelet would make") },
        { "an interrupted repair's temporary link", PodLog(FileKind.SymbolicLink) with { NodePath = PodDir + "/web/.podlogs-0123456789abcdef.lnk", Foreign = ForeignEntry.InterruptedRepairLink },
            new(LinkStatus.Invalid, "not kubelet's, left alone: .podlogs-0123456789abcdef.lnk is a temporary link left by an interrupted PodLogs repair") },
        { "not a log file name", PodLog(FileKind.RegularFile) with { NodePath = PodDir + "/web/app.txt", Foreign = ForeignEntry.NotLogFileName },
            new(LinkStatus.Invalid, "not kubelet's, left alone: app.txt is not a name kubelet gives a container log ('<restartCount>.log')") },

        // N.log absent.
        { "only rotated files", PodLog(FileKind.None),
            new(LinkStatus.Orphaned, "only rotated files remain, no live 2.log: the container instance is gone; remove them when their logs are no longer needed") },
        { "only rotated files, the runtime expects none (CRI, created)", On(PodLog(FileKind.None), Cri, CriWeb with { State = ContainerState.Created }),
            new(LinkStatus.Orphaned, "only rotated files remain, no live 2.log: the container instance is gone; remove them when their logs are no longer needed") },
        { "missing, pod directory name too long", On(PodLog(FileKind.None), Docker, Web) with { PodNameTooLong = true },
            new(LinkStatus.Missing, "the pod directory name is over 255 bytes: kubelet cannot create it and this pod has no logs (kubernetes#80042)", NameTooLong: true) },
        { "missing, CRI, running: transient", On(PodLog(FileKind.None), Cri, CriWeb),
            new(LinkStatus.Missing, $"no 2.log yet; kubelet asks the runtime to reopen it within containerLogMonitorInterval (10s by default): {D}", Transient: true) },
        { "missing, CRI, exited", On(PodLog(FileKind.None), Cri, CriWeb with { State = ContainerState.Exited }),
            new(LinkStatus.Missing, "the log is gone; the runtime does not write it again for a container that is not running: container aaaaaaaaaaaa (web, restart 2, exited)") },
        { "missing, docker, label is not kubelet's path", On(PodLog(FileKind.None), Docker, Web with { LogPath = "/elsewhere/2.log" }),
            new(LinkStatus.Missing, $"no 2.log link to the json log, and the container's logpath label is not kubelet's path, so it is not trusted and not repaired: {D}, label '/elsewhere/2.log', json log {Json1}") },
        { "missing, docker", On(PodLog(FileKind.None), Docker, Web),
            new(LinkStatus.Missing, $"no 2.log link to the json log; Repair-ContainerLogLink creates it: {D}, json log {Json1}") },
        { "missing, docker, pod directory gone", On(PodLog(FileKind.None), Docker, Web) with { PodDirectoryGone = true },
            new(LinkStatus.Missing, $"no 2.log link to the json log; Repair-ContainerLogLink -Force creates it: {D}, json log {Json1}; the pod directory {PodDir} does not exist (kubelet removes it when the pod is deleted), so a repair needs -Force") },
        { "missing, CRI, running, pod directory gone", On(PodLog(FileKind.None), Cri, CriWeb) with { PodDirectoryGone = true },
            new(LinkStatus.Missing, $"no 2.log yet; kubelet asks the runtime to reopen it within containerLogMonitorInterval (10s by default): {D}; the pod directory {PodDir} does not exist (kubelet removes it when the pod is deleted), so a repair needs -Force", Transient: true) },

        // N.log a regular file.
        { "regular file where docker's link belongs", On(PodLog(FileKind.RegularFile), Docker, Web),
            new(LinkStatus.Stale, $"a regular file stands where a link to the json log belongs; move it away (PodLogs never replaces a regular file), then repair: {D}") },
        { "regular file no CRI container writes", On(PodLog(FileKind.RegularFile), Cri),
            new(LinkStatus.Orphaned, "no container writes this file any more (Cri does not know one: removed?); remove it when its log is no longer needed") },
        { "regular file, runtime sees running containers only", On(PodLog(FileKind.RegularFile), Cri, knowsEvery: false),
            new(LinkStatus.Healthy, "a regular log file written by the runtime") },
        { "regular file, no runtime state", PodLog(FileKind.RegularFile),
            new(LinkStatus.Healthy, "a regular log file written by the runtime") },
        { "regular file the CRI container writes", On(PodLog(FileKind.RegularFile), Cri, CriWeb),
            new(LinkStatus.Healthy, $"the log file {D} writes") },
        { "directory at N.log", PodLog(FileKind.Directory),
            new(LinkStatus.Invalid, "a directory stands where web's log file 2.log belongs; not kubelet's, left alone") },
        { "FIFO at N.log", PodLog(FileKind.Fifo),
            new(LinkStatus.Invalid, "a FIFO stands where web's log file 2.log belongs; not kubelet's, left alone") },

        // N.log a link: the chain.
        { "unreadable chain: no verdict", Chain(PodLog(FileKind.SymbolicLink), "/var/lib/docker/containers", ResolveOutcome.AccessDenied), new(null, null) },
        { "chain stopped by an I/O error: no verdict", Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.Error), new(null, null) },
        { "link loop", Chain(PodLog(FileKind.SymbolicLink), NLog, ResolveOutcome.Loop, hops: 41),
            new(LinkStatus.Invalid, $"a link loop: more than 40 links followed from {NLog}") },
        { "outside the log roots", Chain(PodLog(FileKind.SymbolicLink), "/etc/shadow", insideRoots: false),
            new(LinkStatus.Unsafe, $"resolves outside the node's log roots, to /etc/shadow (roots: {Roots})") },
        { "ends at a directory", Chain(PodLog(FileKind.SymbolicLink), "/var/log/pods", endType: FileKind.Directory),
            new(LinkStatus.Invalid, "resolves to a directory, not to a log file: /var/log/pods") },
        { "ends at a socket", Chain(PodLog(FileKind.SymbolicLink), "/var/log/pods/s", endType: FileKind.Socket),
            new(LinkStatus.Invalid, "resolves to a socket, not to a log file: /var/log/pods/s") },
        { "dangling, no runtime state", Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.NotFound, jsonId: Id1),
            new(LinkStatus.Dangling, $"the link leads nowhere (hop 1: {Json1} does not exist)") },
        { "dangling through a file used as a directory", Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.NotADirectory, jsonId: Id1),
            new(LinkStatus.Dangling, $"the link leads nowhere (hop 1: /var/lib/docker/containers/{Id1} is not a directory)") },
        { "dangling, CRI, into docker's data root", On(Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.NotFound, jsonId: Id1), Cri, CriWeb),
            new(LinkStatus.Dangling, $"a leftover link into docker's data root from before this node's runtime became Cri; remove it (hop 1: {Json1} does not exist)") },
        { "dangling, docker, json log there", On(Chain(PodLog(FileKind.SymbolicLink), Json2, ResolveOutcome.NotFound, jsonId: Id2), Docker, Web) with { OwnerJsonLogExists = true },
            new(LinkStatus.Dangling, $"the link leads nowhere; Repair-ContainerLogLink relinks it to the json log of {D} (hop 1: {Json2} does not exist)") },
        { "dangling, docker, json log gone", On(Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.NotFound, jsonId: Id1), Docker, Web),
            new(LinkStatus.Dangling, $"the json log is gone, so there is nothing to link to, though {D} still exists (hop 1: {Json1} does not exist)") },
        { "dangling, docker, owner has no json log", On(Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.NotFound, jsonId: Id1), Docker, Web with { LogDriver = "journald" }),
            new(LinkStatus.Dangling, $"the link leads nowhere, though {D} still exists (hop 1: {Json1} does not exist)") },
        { "dangling, no owner", On(Chain(PodLog(FileKind.SymbolicLink), Json1, ResolveOutcome.NotFound, jsonId: Id1), Docker),
            new(LinkStatus.Dangling, $"the link leads nowhere and no container owns this path (docker rm?): the log is gone; remove the link (hop 1: {Json1} does not exist)") },

        // N.log a link whose chain is sound.
        { "CRI, owned, into docker's data root", On(Chain(PodLog(FileKind.SymbolicLink), Json1, jsonId: Id1), Cri, CriWeb),
            new(LinkStatus.Orphaned, "a leftover link into docker's data root from before this node's runtime became Cri; nothing writes there any more: remove it when its log is no longer needed") },
        { "CRI, unowned, into docker's data root", On(Chain(PodLog(FileKind.SymbolicLink), Json1, jsonId: Id1), Cri),
            new(LinkStatus.Orphaned, "a leftover link into docker's data root from before this node's runtime became Cri; nothing writes there any more: remove it when its log is no longer needed") },
        { "CRI, a link where the runtime writes a file", On(Chain(PodLog(FileKind.SymbolicLink), "/var/log/pods/x/web/0.log"), Cri, CriWeb),
            new(LinkStatus.Stale, $"a link stands where {D} writes its log file itself") },
        { "docker, another container's json log", On(Chain(PodLog(FileKind.SymbolicLink), Json2, jsonId: Id2), Docker, Web),
            new(LinkStatus.Stale, $"links to the wrong log; Repair-ContainerLogLink relinks it to the log of {D} (it points to container bbbbbbbbbbbb's log)") },
        { "docker, not a json log", On(Chain(PodLog(FileKind.SymbolicLink), "/var/log/pods/x/web/0.log"), Docker, Web),
            new(LinkStatus.Stale, $"links to the wrong log; Repair-ContainerLogLink relinks it to the log of {D} (it points to /var/log/pods/x/web/0.log)") },
        { "docker, intact", On(Chain(PodLog(FileKind.SymbolicLink), Json1, jsonId: Id1), Docker, Web),
            new(LinkStatus.Healthy, $"links to the json log of {D}") },
        { "unowned, another known container's json log", On(Chain(PodLog(FileKind.SymbolicLink), Json2, jsonId: Id2), Docker) with { JsonLogOwner = Api, JsonLogOwnerLogFile = OtherLog },
            new(LinkStatus.Stale, $"links to another container's log: container bbbbbbbbbbbb (api, restart 0, running), whose own log is {OtherLog}") },
        { "unowned, json log of a container docker forgot", On(Chain(PodLog(FileKind.SymbolicLink), Json2, jsonId: Id2), Docker),
            new(LinkStatus.Orphaned, "its container is gone (docker no longer knows container bbbbbbbbbbbb: removed?); remove the link when its log is no longer needed") },
        { "no runtime state, not a json log", Chain(PodLog(FileKind.SymbolicLink), "/var/log/pods/x/web/0.log"),
            new(LinkStatus.Healthy, "resolves to /var/log/pods/x/web/0.log") },
        { "no runtime state, a json log", Chain(PodLog(FileKind.SymbolicLink), Json1, jsonId: Id1),
            new(LinkStatus.Healthy, "links to the json log of container aaaaaaaaaaaa") },

        // Legacy links.
        { "legacy missing", On(Legacy(FileKind.None), Docker, Web) with { OwnerLogFileExists = true },
            new(LinkStatus.Missing, $"no legacy link; Repair-ContainerLogLink creates it: {D}") },
        { "legacy missing, and its target", On(Legacy(FileKind.None), Docker, Web),
            new(LinkStatus.Missing, $"no legacy link, and its target is missing too (repairing that comes first): {D}, target {NLog}") },
        { "legacy, a regular file", Legacy(FileKind.RegularFile),
            new(LinkStatus.Invalid, "a regular file stands where kubelet puts a link; not kubelet's, left alone") },
        { "legacy, neither name nor target kubelet's", Legacy() with { LegacyName = null, PointsAt = null, NameId = null },
            new(LinkStatus.Invalid, "the name is not '<pod>_<namespace>_<container>-<id>.log' and the target is no pod log: not kubelet's") },
        { "legacy, unreadable chain: no verdict", Chain(Legacy(), NLog, ResolveOutcome.AccessDenied), new(null, null) },
        { "legacy, name not UTF-8", Chain(Legacy(), NLog) with { NodePath = "/var/log/containers/web-0_default_web-\\xff.log", NameNotUtf8 = true },
            new(LinkStatus.Invalid, "not kubelet's, left alone: web-0_default_web-\\xff.log is not valid UTF-8 (kubelet's names are DNS names)") },
        { "legacy, not *.log", Chain(Legacy(), NLog) with { NameEndsInLog = false },
            new(LinkStatus.Invalid, "the name does not end in '.log': not one of kubelet's legacy links (kubelet's GC looks only at *.log), left alone") },
        { "legacy, outside the log roots", Chain(Legacy(), "/etc/shadow", insideRoots: false),
            new(LinkStatus.Unsafe, $"resolves outside the node's log roots, to /etc/shadow (roots: {Roots})") },
        { "legacy dangling, its N.log broken", On(Chain(Legacy(), Json1, ResolveOutcome.NotFound, jsonId: Id1, hops: 2, target: NLog), Docker, Web),
            new(LinkStatus.Dangling, $"its target 2.log is broken; repairing that restores this link: {D} (hop 2: {Json1} does not exist)") },
        { "legacy dangling, pointing elsewhere", On(Chain(Legacy() with { FirstHop = "/var/log/pods/gone/web/1.log" }, "/var/log/pods/gone/web/1.log", ResolveOutcome.NotFound), Docker, Web),
            new(LinkStatus.Dangling, $"the link leads nowhere; Repair-ContainerLogLink relinks it to {NLog}: {D} (hop 1: /var/log/pods/gone/web/1.log does not exist)") },
        { "legacy dangling, container gone", On(Chain(Legacy(), NLog, ResolveOutcome.NotFound), Docker),
            new(LinkStatus.Dangling, $"its container is gone (docker rm?) and so is the log; kubelet's GC removes such links (hop 1: {NLog} does not exist)") },
        { "legacy dangling, no runtime state", Chain(Legacy(), NLog, ResolveOutcome.NotFound),
            new(LinkStatus.Dangling, $"the link leads nowhere (hop 1: {NLog} does not exist)") },
        { "legacy, points to the wrong N.log", On(Chain(Legacy() with { FirstHop = PodDir + "/web/1.log" }, Json1, jsonId: Id1, hops: 2), Docker, Web),
            new(LinkStatus.Stale, $"points to the wrong log; Repair-ContainerLogLink relinks it to {NLog}: {D} (it points to {PodDir}/web/1.log)") },
        { "legacy, cut name lost the whole id, points to an older instance",
            On(Chain(Legacy() with { FirstHop = PodDir + "/web/1.log", LegacyName = new LegacyLinkName("web-0", "default", "web", "", true), NameId = null }, Json1, jsonId: Id1, hops: 2), Docker, Web),
            new(LinkStatus.Stale, $"points to the wrong log; Repair-ContainerLogLink relinks it to {NLog}: {D} (it points to {PodDir}/web/1.log) (the name lost the whole id, so it must point at the newest instance)") },
        { "legacy, docker, its N.log links to another json log", On(Chain(Legacy(), Json2, jsonId: Id2, hops: 2), Docker, Web),
            new(LinkStatus.Stale, $"its 2.log link points to the wrong log; repairing that fixes this one: it points to container bbbbbbbbbbbb's log, not to the log of {D}") },
        { "legacy, docker, intact", On(Chain(Legacy(), Json1, jsonId: Id1, hops: 2), Docker, Web),
            new(LinkStatus.Healthy, $"links to {NLog}") },
        { "legacy, CRI, intact", On(Chain(Legacy(), NLog), Cri, CriWeb),
            new(LinkStatus.Healthy, $"links to {NLog}") },
        { "legacy, name and target name other pods", Chain(Legacy() with { PointsAt = new PodLogTarget("default", "api-0", Uid, "web", 0) }, OtherLog),
            new(LinkStatus.Stale, "links to another container's log: its name is for default/web-0 container web, but it points to the log of default/api-0 container web") },
        { "legacy, name and json log name other containers", Chain(Legacy(), Json2, jsonId: Id2, hops: 2),
            new(LinkStatus.Stale, "links to another container's log: its name is for container aaaaaaaaaaaa, but the chain ends at container bbbbbbbbbbbb's log") },
        { "legacy, cut name's id prefix is another container's", Chain(Legacy() with { LegacyName = new LegacyLinkName("web-0", "default", "web", "aaaaaaa", true), NameId = null, NamePrefix = "aaaaaaa" }, Json2, jsonId: Id2, hops: 2),
            new(LinkStatus.Stale, "links to another container's log: its cut name is for a container whose id begins aaaaaaa, but the chain ends at container bbbbbbbbbbbb's log") },
        { "legacy, docker forgot its container", On(Chain(Legacy(), Json1, jsonId: Id1, hops: 2), Docker),
            new(LinkStatus.Orphaned, "its container is gone and nothing owns this log; remove the link when the log is no longer needed (docker no longer knows container aaaaaaaaaaaa)") },
        { "legacy, CRI forgot its container", On(Chain(Legacy(), NLog), Cri),
            new(LinkStatus.Orphaned, "its container is gone (kubelet keeps one dead instance; Cri no longer knows container aaaaaaaaaaaa); remove the link when its log is no longer needed") },
        { "legacy, CRI sees running containers only", On(Chain(Legacy(), NLog), Cri, knowsEvery: false),
            new(LinkStatus.Healthy, $"resolves to {NLog}") },
        { "legacy, no runtime state", Chain(Legacy(), NLog),
            new(LinkStatus.Healthy, $"resolves to {NLog}") },
    };

    [Theory]
    [MemberData(nameof(Rows), DisableDiscoveryEnumeration = true)]
    public void Facts_decide_the_status_and_the_reason(string @case, EntryFacts facts, Expected expected)
    {
        var verdict = VerdictRules.Decide(facts);
        var actual = verdict is { } v ? new Expected(v.Status, v.Reason, v.IsTransient, v.NameTooLong) : new Expected(null, null);
        Assert.True(expected == actual, $"{@case}:\n  expected {expected}\n  actual   {actual}");
    }

    [Fact]
    public void Every_status_has_a_row()
    {
        var rows = Rows().Select(r => ((Expected)r[2]).Status).ToHashSet();
        Assert.All(Enum.GetValues<LinkStatus>(), s => Assert.Contains(s, rows));
    }
}
