namespace PodLogs.Core;

/// <summary>What kind of entry stands at a path, as lstat sees it.</summary>
public enum LinkType
{
    None,
    SymbolicLink,
    File,
    Directory,
    Other,
}
