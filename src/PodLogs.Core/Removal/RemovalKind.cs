namespace PodLogs.Core.Removal;

/// <summary>What a removal step takes away.</summary>
public enum RemovalKind
{
    /// <summary>A symbolic link itself (never what it points at).</summary>
    Link,
    /// <summary>A directory and everything in it, links removed as links: for a whole dead pod directory only.</summary>
    DirectoryTree,
    /// <summary>
    /// One of kubelet's rotation leftovers beside a live log (<c>N.log.&lt;ts&gt;.tmp</c>, or a plain segment whose
    /// <c>.gz</c> holds the same bytes): the only regular file removed on its own (kubelet-facts.md §11).
    /// </summary>
    LeftoverFile,
}
