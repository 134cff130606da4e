using PodLogs.Core.Node;

namespace PodLogs.Core.Cluster;

/// <summary>
/// The node name every record of one command carries (issue #10 item 5), found from the files under the root
/// the first time a record is asked for it and then shared: a scan's records cost one reference each, and a
/// command whose records are never asked reads nothing. Holds the root's local path only, not the command's
/// <see cref="NodeRoot"/> and its caches, which records may outlive.
/// </summary>
public sealed class NodeNameLookup(string localRoot)
{
    readonly Lazy<string?> _name = new(() =>
    {
        try { return NodeIdentity.NameFromFiles(new NodeRoot(localRoot))?.Name; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    });

    /// <summary>The name, or null when no file under the root names the node.</summary>
    public string? Value => _name.Value;

    /// <summary>Records are compared by what they describe: two lookups of one root are the same.</summary>
    public override bool Equals(object? obj) => obj is NodeNameLookup other && other.LocalRoot == LocalRoot;
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(LocalRoot);
    string LocalRoot => localRoot;
}
