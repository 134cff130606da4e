namespace PodLogs.Core.Node;

/// <summary>The answer for one container instance: who rotates its log, at what size, keeping how many files, and where each came from.</summary>
public sealed record RotationAnswer(RotationOwner RotatedBy, string RotatedBySource, long? MaxBytes, string? MaxBytesSource, int? MaxFiles, string? MaxFilesSource)
{
    /// <summary>logrotate rules that also cover this instance's log while another owner rotates it (each warned about once per command).</summary>
    public IReadOnlyList<LogrotateRule> ConflictingRules { get; init; } = [];
}
