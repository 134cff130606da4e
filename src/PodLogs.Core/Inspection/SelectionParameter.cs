namespace PodLogs.Core.Inspection;

/// <summary>The selection parameters a user types values into.</summary>
public enum SelectionParameter
{
    Namespace,
    PodName,
    PodUid,
    ContainerName,
    ContainerId,
}
