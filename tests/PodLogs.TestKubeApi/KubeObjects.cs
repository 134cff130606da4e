using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// Realistic core/v1 objects as JSON, with the API's field names: Node objects, pods (through
/// <see cref="PodBuilder"/>) and the mirror pods of static pods; plus the identifiers they carry.
/// </summary>
public static class KubeObjects
{
    /// <summary>
    /// A Ready Node as kubelet registers it: labels, addresses (InternalIP, Hostname), capacity and
    /// status.nodeInfo with machineID (the node's /etc/machine-id), systemUUID, bootID, versions.
    /// Identifiers not given are random.
    /// </summary>
    public static JsonObject Node(
        string name,
        string? machineId = null,
        string? systemUuid = null,
        string? bootId = null,
        string kubeletVersion = "v1.31.2",
        string containerRuntimeVersion = "containerd://1.7.22",
        string internalIp = "10.0.0.11",
        string? uid = null,
        DateTimeOffset? createdAt = null)
    {
        var created = Timestamp(createdAt ?? DateTimeOffset.UtcNow.AddDays(-30));
        var resources = new JsonObject
        {
            ["cpu"] = "2",
            ["ephemeral-storage"] = "101430960Ki",
            ["hugepages-2Mi"] = "0",
            ["memory"] = "8025424Ki",
            ["pods"] = "110",
        };
        return new JsonObject
        {
            ["kind"] = "Node",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["uid"] = uid ?? NewUid(),
                ["creationTimestamp"] = created,
                ["labels"] = new JsonObject
                {
                    ["beta.kubernetes.io/arch"] = "amd64",
                    ["beta.kubernetes.io/os"] = "linux",
                    ["kubernetes.io/arch"] = "amd64",
                    ["kubernetes.io/hostname"] = name,
                    ["kubernetes.io/os"] = "linux",
                },
                ["annotations"] = new JsonObject
                {
                    ["node.alpha.kubernetes.io/ttl"] = "0",
                    ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
                },
            },
            ["spec"] = new JsonObject
            {
                ["podCIDR"] = "10.244.0.0/24",
                ["podCIDRs"] = new JsonArray("10.244.0.0/24"),
            },
            ["status"] = new JsonObject
            {
                ["capacity"] = resources,
                ["allocatable"] = resources.DeepClone(),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["lastHeartbeatTime"] = Timestamp(DateTimeOffset.UtcNow),
                    ["lastTransitionTime"] = created,
                    ["reason"] = "KubeletReady",
                    ["message"] = "kubelet is posting ready status",
                }),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = internalIp },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["machineID"] = machineId ?? NewMachineId(),
                    ["systemUUID"] = systemUuid ?? NewUid(),
                    ["bootID"] = bootId ?? NewUid(),
                    ["kernelVersion"] = "6.1.0-25-amd64",
                    ["osImage"] = "Debian GNU/Linux 12 (bookworm)",
                    ["containerRuntimeVersion"] = containerRuntimeVersion,
                    ["kubeletVersion"] = kubeletVersion,
                    ["kubeProxyVersion"] = "",
                    ["operatingSystem"] = "linux",
                    ["architecture"] = "amd64",
                },
            },
        };
    }

    /// <summary>A pod to fill in fluently; <see cref="PodBuilder.ToJson"/> gives the object.</summary>
    public static PodBuilder Pod(string @namespace, string name) => new(@namespace, name);

    /// <summary>
    /// The mirror pod kubelet creates in the API for a static pod (a manifest in its staticPodPath):
    /// named <c>&lt;name&gt;-&lt;nodeName&gt;</c>, annotated kubernetes.io/config.mirror and config.hash
    /// with <paramref name="configHash"/> (the UID the pod's log directory is named with),
    /// config.source=file, owned by the Node, and with an API uid of its own.
    /// </summary>
    public static PodBuilder MirrorPod(string @namespace, string name, string nodeName, string configHash, string? nodeUid = null) =>
        new PodBuilder(@namespace, $"{name}-{nodeName}")
            .Annotation("kubernetes.io/config.hash", configHash)
            .Annotation("kubernetes.io/config.mirror", configHash)
            .Annotation("kubernetes.io/config.seen", DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
            .Annotation("kubernetes.io/config.source", "file")
            .OwnedBy("Node", nodeName, nodeUid ?? NewUid(), apiVersion: "v1")
            .OnNode(nodeName)
            .HostNetwork();

    /// <summary>A new metadata.uid: a lowercase UUID.</summary>
    public static string NewUid() => Guid.NewGuid().ToString("D");

    /// <summary>A new container id as runtimes make them: 64 lowercase hex digits, no scheme.</summary>
    public static string NewContainerId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new static pod config hash as kubelet computes them (an md5): 32 lowercase hex digits, no dashes.</summary>
    public static string NewStaticPodHash() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A new /etc/machine-id value: 32 lowercase hex digits.</summary>
    public static string NewMachineId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A time as the API writes metav1.Time: RFC 3339, UTC, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
