namespace PodLogs.Core;

/// <summary>What a repair did to one entry.</summary>
public enum RepairAction
{
    Created,
    Replaced,
}
