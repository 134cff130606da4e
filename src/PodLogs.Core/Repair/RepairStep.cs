using PodLogs.Core.Runtime;

namespace PodLogs.Core.Repair;

/// <summary>One link to write: where (recomputed from the container's identity), what text, and what must be there now.</summary>
public sealed record RepairStep(
    LogEntryKind Kind,
    string NodePath,
    RepairAction Action,
    string Target,
    string? CurrentTarget,
    RuntimeContainer Container,
    bool CreatesPodDirectory,
    RuntimeKind Runtime);
