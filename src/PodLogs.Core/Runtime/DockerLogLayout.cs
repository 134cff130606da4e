using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;
using static PodLogs.Core.Inspection.VerdictText;

namespace PodLogs.Core.Runtime;

/// <summary>
/// Docker through dockershim or cri-dockerd: N.log is a link to <c>&lt;data root&gt;/containers/&lt;id&gt;/&lt;id&gt;-json.log</c>,
/// made by <c>createContainerLogSymlink</c> for json-file containers once started (docs/kubelet-facts.md §4, §7).
/// </summary>
public sealed class DockerLogLayout : IRuntimeLogLayout
{
    public static DockerLogLayout Instance { get; } = new();

    DockerLogLayout() { }

    public RuntimeKind Kind => RuntimeKind.Docker;
    public bool LiveLogIsLink => true;

    public bool ExpectsLog(RuntimeContainer c) => c.ExpectsDockerLink;

    public string OwnLogOf(NodeLayout layout, RuntimeContainer c) => DockershimNames.JsonLogPath(layout.DockerDataRoot.Canonical, c.Id);

    public Verdict? LiveFile(in EntryFacts f) => f.Owner is { ExpectsDockerLink: true } owner
        ? new(LinkStatus.Stale, $"a regular file stands where a link to the json log belongs; move it away (PodLogs never replaces a regular file), then repair: {Describe(owner)}")
        : null;

    public string? DanglingLiveLink(in EntryFacts f) => f.Owner is { ExpectsDockerLink: true } owner
        ? f.OwnerJsonLogExists
            ? $"the link leads nowhere; Repair-ContainerLogLink relinks it to the json log of {Describe(owner)}"
            : $"the json log is gone, so there is nothing to link to, though {Describe(owner)} still exists"
        : null;

    public Verdict OwnedLiveLink(in EntryFacts f, RuntimeContainer owner) => f.JsonLogId != owner.Id
        ? new(LinkStatus.Stale, $"links to the wrong log; Repair-ContainerLogLink relinks it to the log of {Describe(owner)} (it points to {PointedAt(f)})")
        : new(LinkStatus.Healthy, "links to the json log of ", Describe(owner));

    public Verdict? UnownedLiveLink(in EntryFacts f) => null;

    public Verdict? OwnedLegacyLink(in EntryFacts f, RuntimeContainer owner) => f.JsonLogId != owner.Id
        ? new(LinkStatus.Stale, $"its {owner.RestartCount}.log link points to the wrong log; repairing that fixes this one: it points to {PointedAt(f)}, not to the log of {Describe(owner)}")
        : null;

    public Verdict? UnownedLegacyLink(in EntryFacts f) => f.JsonLogId is not null || f.ChainEndInDockerRoot
        ? new(LinkStatus.Orphaned, $"its container is gone and nothing owns this log; remove the link when the log is no longer needed (docker no longer knows container {Short(f.NameId ?? f.JsonLogId ?? "?")})")
        : null;

    public Verdict MissingLiveLog(in EntryFacts f, RuntimeContainer c) => new(LinkStatus.Missing, c.LogPath is not null && NodePath.Clean(c.LogPath) != f.NodePath
        ? $"no {c.RestartCount}.log link to the json log, and the container's logpath label is not kubelet's path, so it is not trusted and not repaired: {Describe(c)}, label '{c.LogPath}', json log {c.DockerJsonLogPath}"
        : $"no {c.RestartCount}.log link to the json log; Repair-ContainerLogLink{(f.PodDirectoryGone ? " -Force" : "")} creates it: {Describe(c)}, json log {c.DockerJsonLogPath}");

    static string PointedAt(in EntryFacts f) => f.JsonLogId is null ? f.ChainEnd! : "container " + Short(f.JsonLogId) + "'s log";
}
