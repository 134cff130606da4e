namespace PodLogs.Core;

/// <summary>One symbolic link followed while resolving: where it is and what it says, both as on the node.</summary>
public sealed record LinkHop(string NodePath, string Target)
{
    public override string ToString() => $"{NodePath} -> {Target}";
}
