using PodLogs.Core.Runtime;

namespace PodLogs.Core.Reading;

/// <summary>
/// Which instance of a container to read: the current one (the highest restart count on the node), or the one
/// before an instance, as <c>kubectl logs --previous</c> reads the instance before the current one.
/// </summary>
public static class InstanceChoice
{
    /// <summary>A container's instances on the node, oldest first by restart count (an entry without one is no instance).</summary>
    public static List<ContainerLogLink> Ordered(IEnumerable<ContainerLogLink> entries) =>
        entries.Where(e => e.RestartCount is not null).OrderBy(e => e.RestartCount).ToList();

    /// <summary>The pod logs of <paramref name="instance"/>'s container up to it (those with a lower restart count), oldest first, then the instance itself.</summary>
    public static List<ContainerLogLink> UpTo(IEnumerable<ContainerLogLink> podEntries, ContainerLogLink instance) =>
        podEntries.Where(e => e.Kind == LogEntryKind.PodLog && e.ContainerName == instance.ContainerName && e.RestartCount < instance.RestartCount)
            .OrderBy(e => e.RestartCount).Append(instance).ToList();

    /// <summary>
    /// The instance before the last of <paramref name="instances"/> (the current one, or the one a record names):
    /// by container id when the runtime knows the instances (the one started before it), else the newest
    /// instance with a lower restart count; null when there is none.
    /// </summary>
    public static ContainerLogLink? PreviousOf(IReadOnlyList<ContainerLogLink> instances, RuntimeSnapshot? runtime)
    {
        var current = instances[^1];
        if (runtime is not null && current.ContainerId is { } id
            && current.Namespace is { } ns && current.PodName is { } pod && current.PodUid is { } uid && current.ContainerName is { } name)
        {
            var known = runtime.InstancesOf(ns, pod, uid, name).ToList();
            known.Sort(RuntimeContainer.CompareByStart);
            var i = known.FindIndex(c => c.Id == id);
            if (i > 0)
            {
                var previousId = known[i - 1].Id;
                if (instances.LastOrDefault(e => e.ContainerId == previousId) is { } byId) return byId;
            }
        }
        return instances.LastOrDefault(e => e.RestartCount < current.RestartCount);
    }
}
