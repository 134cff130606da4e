using PodLogs.Core.Paths;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>
/// Legacy link name → the newest instance kubelet would give it, and each instance's name: built once per command
/// (a scan per name is quadratic). A cut name (kubelet's 251-byte cut) can be every instance's name; the newest wins.
/// </summary>
sealed class LegacyClaimants
{
    readonly Dictionary<string, RuntimeContainer> _newest;
    readonly Dictionary<RuntimeContainer, string> _names;

    public LegacyClaimants(RuntimeSnapshot runtime)
    {
        _newest = new(runtime.Containers.Count, StringComparer.Ordinal);
        _names = new(runtime.Containers.Count, ReferenceEqualityComparer.Instance);
        foreach (var c in runtime.ValidContainers)
        {
            if (!runtime.LogLayout.ExpectsLog(c)) continue;
            var name = _names[c] = KubeletPaths.LegacyLinkName(c.PodName, c.Namespace, c.ContainerName, c.Id);
            if (!_newest.TryGetValue(name, out var newest) || RuntimeContainer.CompareByStart(newest, c) < 0) _newest[name] = c;
        }
    }

    /// <summary>The newest instance kubelet would give this legacy link name.</summary>
    public RuntimeContainer? NewestOf(string legacyName) => _newest.GetValueOrDefault(legacyName);

    /// <summary>The legacy link name kubelet gives a container.</summary>
    public string NameOf(RuntimeContainer c) =>
        _names.GetValueOrDefault(c) ?? KubeletPaths.LegacyLinkName(c.PodName, c.Namespace, c.ContainerName, c.Id);
}
