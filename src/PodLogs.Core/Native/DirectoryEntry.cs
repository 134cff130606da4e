namespace PodLogs.Core.Native;

/// <summary>One directory entry with the type the kernel's dirent gave (None when it did not say).</summary>
public readonly record struct DirectoryEntry(string Name, FileKind TypeHint);
