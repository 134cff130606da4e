using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Paths;

namespace PodLogs.Commands;

/// <summary>
/// A pod named by a pipeline object, read duck-typed: PodLogs records, <c>kubectl -o json</c> items
/// (namespace, name and uid under <c>metadata</c>; the owner's uid is never taken) and KubernetesClient
/// V1Pod objects (by reflection through PSObject: <c>Metadata.NamespaceProperty</c>). A mirror pod names
/// its static pod's directory by the <c>kubernetes.io/config.mirror</c> hash, not its own uid.
/// </summary>
public sealed record PodIdentity(string? Namespace, string? PodName, string PodUid, PodLogLayout Layout)
{
    /// <summary>The node the API scheduled the pod on (<c>spec.nodeName</c> of a kubectl item or a V1Pod), when it says.</summary>
    public string? ScheduledNode { get; init; }

    /// <summary>The uid as kubelet writes it (a static pod keeps its manifest's uid); -PodUid typed by a person is held to UUID or 32 hex.</summary>
    public bool IsValid =>
        KubernetesNames.IsPodUidPart(PodUid)
        && (Layout != PodLogLayout.Current || KubernetesNames.IsDns1123Label(Namespace) && KubernetesNames.IsDns1123Subdomain(PodName));

    public static PodIdentity? From(PSObject input)
    {
        switch (input.BaseObject)
        {
            case PodLogDirectory d:
                return new PodIdentity(d.Namespace, d.PodName, d.PodUid, d.Layout);
            case ContainerLogLink l when l.PodUid is not null:
                return new PodIdentity(l.Namespace, l.PodName, l.PodUid, l.Layout);
        }
        if (Property(input, "metadata") is { } metadata)
        {
            // A static pod's directory carries its config hash; its mirror pod in the API has another uid.
            var uid = MirrorHash(metadata) ?? Text(metadata, "uid");
            var ns = Text(metadata, "namespace") ?? Text(metadata, "NamespaceProperty");
            var name = Text(metadata, "name");
            var scheduled = Property(input, "spec") is { } spec ? Text(spec, "nodeName") : null;
            return uid is null ? null : new PodIdentity(ns ?? "default", name, uid.ToLowerInvariant(), PodLogLayout.Current) { ScheduledNode = scheduled };
        }
        var podUid = Text(input, "PodUid") ?? Text(input, "Uid");
        if (podUid is null) return null;
        return new PodIdentity(Text(input, "Namespace"), Text(input, "PodName") ?? Text(input, "Name"), podUid.ToLowerInvariant(), PodLogLayout.Current);
    }

    /// <summary>The container a record names (PodLogs records and their deserialized copies carry ContainerName).</summary>
    public static string? ContainerNameOf(PSObject input) => Text(input, "ContainerName") is { Length: > 0 } name ? name : null;

    const string MirrorAnnotation = "kubernetes.io/config.mirror";

    static string? MirrorHash(PSObject metadata)
    {
        var annotations = metadata.Properties["annotations"]?.Value;
        var value = annotations switch
        {
            null => null,
            System.Collections.IDictionary dictionary => dictionary[MirrorAnnotation],
            _ => PSObject.AsPSObject(annotations).Properties[MirrorAnnotation]?.Value,
        };
        return value?.ToString() is { Length: > 0 } hash ? hash : null;
    }

    static PSObject? Property(PSObject o, string name) => o.Properties[name]?.Value is { } v ? PSObject.AsPSObject(v) : null;

    static string? Text(PSObject o, string name) => o.Properties[name]?.Value is { } v ? PSObject.AsPSObject(v).BaseObject?.ToString() : null;
}
