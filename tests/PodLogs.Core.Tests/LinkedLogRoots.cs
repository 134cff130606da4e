using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>
/// A fake node whose /var/log/pods, /var/log/containers and docker data root are absolute links under -Root
/// (<c>&lt;root&gt;/var/log/pods -&gt; /tmp/podlogs-linked-…/pods</c>, the real directory at
/// <c>&lt;root&gt;/tmp/podlogs-linked-…/pods</c>). The host's own <c>/tmp/podlogs-linked-…</c> holds a decoy of each file
/// (other bytes), so a path the host kernel resolves from its own '/' shows as a wrong size or a decoy touched.
/// </summary>
public sealed class LinkedLogRoots : IDisposable
{
    public static readonly string[] Linked = [FakeNode.PodLogs, FakeNode.Legacy, FakeNode.DockerRoot];
    readonly string _outside = "/tmp/podlogs-linked-" + Guid.NewGuid().ToString("n")[..12];

    public LinkedLogRoots(FakeNode node) => Node = node;

    public FakeNode Node { get; }

    /// <summary>The node path of the directory the linked directories really are in (<c>/tmp/podlogs-linked-…</c>).</summary>
    public string Outside => _outside;

    /// <summary>Moves each linked directory away behind its absolute link and lays the decoys (<paramref name="decoyBytes"/> each).</summary>
    public void LinkAway(int decoyBytes = 1_000_000)
    {
        foreach (var nodeDir in Linked)
        {
            var target = $"{_outside}/{NodePath.FileName(nodeDir)}";
            Node.Mkdir(NodePath.Parent(target));
            Directory.Move(Node.Local(nodeDir), Node.Local(target));
            Node.Link(nodeDir, target);
            foreach (var file in Directory.EnumerateFileSystemEntries(Node.Local(target), "*", SearchOption.AllDirectories))
            {
                var decoy = target + file[Node.Local(target).Length..];
                if (Directory.Exists(file) && new FileInfo(file).LinkTarget is null) Directory.CreateDirectory(decoy);
                else
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(decoy)!);
                    var bytes = new byte[decoyBytes];
                    Random.Shared.NextBytes(bytes);
                    File.WriteAllBytes(decoy, bytes);
                }
            }
        }
    }

    /// <summary>Where a node path really is under the root: through the linked directory's real place (the test's own file calls are the host's).</summary>
    public string Real(string nodePath)
    {
        foreach (var dir in Linked)
            if (NodePath.IsUnder(nodePath, dir)) return Node.Local($"{_outside}/{NodePath.FileName(dir)}{nodePath[dir.Length..]}");
        return Node.Local(nodePath);
    }

    /// <summary>Every entry of the host's decoy tree (none may go).</summary>
    public List<string> Decoys() => Directory.Exists(_outside)
        ? Directory.EnumerateFileSystemEntries(_outside, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
        : [];

    public void Dispose()
    {
        if (Directory.Exists(_outside)) Directory.Delete(_outside, recursive: true);
    }
}
