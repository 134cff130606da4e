using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// The stored objects of one resource (pods or nodes), as raw API JSON. Thread-safe: tests change
/// it between (or during) requests. Objects are copied in and out, so a caller's JsonObject never
/// aliases what the server serves; change stored objects through <see cref="Update"/>.
/// Every write stamps metadata.resourceVersion from the server's one counter, as etcd's revision.
/// </summary>
public sealed class KubeObjectCollection
{
    readonly object gate = new();
    readonly SortedDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    readonly ResourceVersionClock clock;

    internal KubeObjectCollection(string kind, string resource, bool namespaced, ResourceVersionClock clock)
    {
        Kind = kind;
        Resource = resource;
        Namespaced = namespaced;
        this.clock = clock;
    }

    /// <summary>The object kind, e.g. Pod.</summary>
    public string Kind { get; }

    /// <summary>The resource name in paths and messages, e.g. pods.</summary>
    public string Resource { get; }

    /// <summary>Whether objects live in a namespace.</summary>
    public bool Namespaced { get; }

    /// <summary>How many objects are stored.</summary>
    public int Count { get { lock (gate) return objects.Count; } }

    /// <summary>Stores a copy of the object, replacing one with the same namespace and name.</summary>
    public void Add(JsonObject item)
    {
        var copy = item.DeepClone().AsObject();
        var key = KeyOf(copy);
        copy["kind"] ??= Kind;
        copy["apiVersion"] ??= "v1";
        lock (gate)
        {
            copy["metadata"]!["resourceVersion"] = clock.Next();
            objects[key] = copy;
        }
    }

    /// <summary>Stores copies of several objects.</summary>
    public void AddRange(IEnumerable<JsonObject> items)
    {
        foreach (var item in items) Add(item);
    }

    /// <summary>Removes a namespaced object; false when there was none.</summary>
    public bool Remove(string @namespace, string name)
    {
        RequireNamespaced(true);
        return RemoveKey(Key(@namespace, name));
    }

    /// <summary>Removes a cluster-scoped object; false when there was none.</summary>
    public bool Remove(string name)
    {
        RequireNamespaced(false);
        return RemoveKey(name);
    }

    /// <summary>Changes a stored object in place (under the lock) and stamps a new resourceVersion; false when it does not exist.</summary>
    public bool Update(string? @namespace, string name, Action<JsonObject> change)
    {
        RequireNamespaced(@namespace is not null);
        var key = @namespace is null ? name : Key(@namespace, name);
        lock (gate)
        {
            if (!objects.TryGetValue(key, out var stored)) return false;
            change(stored);
            if (KeyOf(stored) != key) throw new InvalidOperationException("Update must not change an object's namespace or name.");
            stored["metadata"]!["resourceVersion"] = clock.Next();
            return true;
        }
    }

    /// <summary>Removes every object.</summary>
    public void Clear()
    {
        lock (gate)
        {
            objects.Clear();
            clock.Advance();
        }
    }

    /// <summary>Copies of the stored objects, ordered as the apiserver lists them (namespace, then name).</summary>
    public IReadOnlyList<JsonObject> Snapshot() => Snapshot(out _);

    internal IReadOnlyList<JsonObject> Snapshot(out string resourceVersion)
    {
        lock (gate)
        {
            resourceVersion = clock.Current;
            return objects.Values.Select(o => o.DeepClone().AsObject()).ToList();
        }
    }

    internal JsonObject? Get(string? @namespace, string name)
    {
        lock (gate)
            return objects.TryGetValue(@namespace is null ? name : Key(@namespace, name), out var found) ? found.DeepClone().AsObject() : null;
    }

    /// <summary>The storage key the apiserver orders by and continue tokens refer to.</summary>
    internal string KeyOf(JsonObject item)
    {
        var metadata = item["metadata"] as JsonObject ?? throw new ArgumentException($"A {Kind} needs metadata.");
        var name = (string?)metadata["name"] ?? throw new ArgumentException($"A {Kind} needs metadata.name.");
        if (!Namespaced) return name;
        var ns = (string?)metadata["namespace"] ?? throw new ArgumentException($"A {Kind} needs metadata.namespace.");
        return Key(ns, name);
    }

    static string Key(string @namespace, string name) => @namespace + "/" + name;

    bool RemoveKey(string key)
    {
        lock (gate)
        {
            if (!objects.Remove(key)) return false;
            clock.Advance();
            return true;
        }
    }

    void RequireNamespaced(bool withNamespace)
    {
        if (withNamespace != Namespaced)
            throw new ArgumentException(Namespaced ? $"{Resource} are namespaced: give a namespace." : $"{Resource} are cluster-scoped: give no namespace.");
    }
}
