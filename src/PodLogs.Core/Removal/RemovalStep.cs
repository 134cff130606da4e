using PodLogs.Core.Node;

namespace PodLogs.Core.Removal;

/// <summary>
/// One entry to remove, as it was when planned: where it is (<see cref="Located"/>, its parents resolved under the root, no
/// link among them), which file it was (device and inode) and, for a link, its text. The executor removes it only if it
/// is still exactly that.
/// </summary>
/// <param name="NodePath">The path the caller asked for (from an identity, never from input).</param>
/// <param name="Located">Where it is: <see cref="LogRoot"/>'s canonical spelling and the same components below it.</param>
/// <param name="Bytes">Bytes allocated to the regular files in a tree (each once), or to a leftover file, when planned; 0 for a link.</param>
/// <param name="Size">A leftover file's length when planned: it must not have changed since.</param>
public sealed record RemovalStep(
    RemovalRequest Request,
    RemovalKind Kind,
    string NodePath,
    string Located,
    NodeDirectory LogRoot,
    ulong Device,
    ulong Inode,
    string? LinkTarget,
    long Bytes,
    long Size = 0);
