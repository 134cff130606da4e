using PodLogs.Core;

namespace PodLogs.Commands;

/// <summary>
/// One container instance a record names (issue #10 item 5): its container id, its restart count (kubelet's
/// attempt, the N of N.log) and its container's name. A record that names neither an id nor a restart count
/// names its whole pod.
/// </summary>
public sealed record InstanceFilter(string? ContainerIdPrefix, int? RestartCount, string? ContainerName)
{
    public bool Narrows => ContainerIdPrefix is not null || RestartCount is not null;

    /// <summary>
    /// An entry is the instance when what it knows agrees with what the record says and it agrees on at least
    /// one of id and restart count: an entry that knows neither (an unattributed legacy link) cannot be told apart.
    /// A legacy name cut by kubelet's 251-byte limit keeps only the start of the id (<see cref="ContainerLogLink.IsTruncated"/>).
    /// </summary>
    public bool Matches(ContainerLogLink entry)
    {
        if (!Narrows) return true;
        if (ContainerName is not null && !string.Equals(entry.ContainerName, ContainerName, StringComparison.Ordinal)) return false;
        bool? sameId = ContainerIdPrefix is null || entry.ContainerId is null ? null
            : entry.ContainerId.StartsWith(ContainerIdPrefix, StringComparison.Ordinal)
              || entry.IsTruncated && ContainerIdPrefix.StartsWith(entry.ContainerId, StringComparison.Ordinal);
        bool? sameAttempt = RestartCount is null || entry.RestartCount is null ? null : entry.RestartCount == RestartCount;
        return sameId != false && sameAttempt != false && (sameId == true || sameAttempt == true);
    }

    /// <summary>The instance in words, for a message: container, restart count, short id.</summary>
    public string Describe() => string.Join(", ", new[]
    {
        ContainerName is { } name ? $"container {name}" : null,
        RestartCount is { } n ? $"restart {n}" : null,
        ContainerIdPrefix is { } id ? $"id {id[..Math.Min(12, id.Length)]}" : null,
    }.Where(part => part is not null));
}
