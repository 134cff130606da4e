namespace PodLogs.Core.Removal;

/// <summary>
/// One entry removed. <see cref="Bytes"/>: allocated to the regular files unlinked, each once (a file with another name
/// elsewhere, or held open by a process, is freed only when that goes too); 0 for a link. <see cref="Entries"/>: names
/// unlinked, directories included.
/// </summary>
public sealed record RemovedEntry(RemovalKind Kind, string NodePath, string FullName, string? LinkTarget, long Bytes, int Entries);
