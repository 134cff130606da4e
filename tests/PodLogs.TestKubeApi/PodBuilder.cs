using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// A Pod as the API returns it: metadata (uid, creationTimestamp, labels, annotations,
/// ownerReferences), spec (nodeName, restartPolicy, containers, initContainers,
/// ephemeralContainers) and status (phase, conditions, IPs, startTime and the three container
/// status lists). Each container gets a status entry (app and ephemeral: running, init: completed)
/// that its configure action can change.
/// <code>
/// KubeObjects.Pod("default", "web-0").OnNode("node-1")
///     .Container("web", "nginx:1.27", s => s.Waiting("CrashLoopBackOff").LastTerminated(exitCode: 1).RestartCount(4))
///     .ToJson();
/// </code>
/// </summary>
public sealed class PodBuilder
{
    const string DefaultImage = "registry.k8s.io/pause:3.10";

    sealed record ContainerEntry(string Name, string Image, string? TargetContainerName, ContainerStatusBuilder Status);

    readonly string @namespace;
    readonly string name;
    readonly JsonObject labels = [];
    readonly JsonObject annotations = [];
    readonly JsonArray ownerReferences = [];
    readonly List<ContainerEntry> containers = [];
    readonly List<ContainerEntry> initContainers = [];
    readonly List<ContainerEntry> ephemeralContainers = [];
    DateTimeOffset createdAt = DateTimeOffset.UtcNow.AddHours(-1);
    DateTimeOffset? startedAt;
    string? nodeName;
    string? hostIp;
    string? podIp;
    string restartPolicy = "Always";
    string? phase;
    bool hostNetwork;
    bool withStatuses = true;

    internal PodBuilder(string @namespace, string name)
    {
        this.@namespace = @namespace;
        this.name = name;
        Uid = KubeObjects.NewUid();
    }

    /// <summary>metadata.uid (random unless set): the UID in /var/log/pods/&lt;ns&gt;_&lt;name&gt;_&lt;uid&gt;, except for static pods.</summary>
    public string Uid { get; private set; }

    /// <summary>metadata.name.</summary>
    public string Name => name;

    /// <summary>metadata.namespace.</summary>
    public string Namespace => @namespace;

    /// <summary>Sets metadata.uid.</summary>
    public PodBuilder WithUid(string uid)
    {
        Uid = uid;
        return this;
    }

    /// <summary>metadata.creationTimestamp (default: an hour ago).</summary>
    public PodBuilder CreatedAt(DateTimeOffset time)
    {
        createdAt = time;
        return this;
    }

    /// <summary>Adds metadata.labels[key].</summary>
    public PodBuilder Label(string key, string value)
    {
        labels[key] = value;
        return this;
    }

    /// <summary>Adds metadata.annotations[key].</summary>
    public PodBuilder Annotation(string key, string value)
    {
        annotations[key] = value;
        return this;
    }

    /// <summary>Adds a controller ownerReference (a ReplicaSet's uid is not the pod's: it never names a directory).</summary>
    public PodBuilder OwnedBy(string kind, string ownerName, string? ownerUid = null, string apiVersion = "apps/v1")
    {
        ownerReferences.Add(new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = kind,
            ["name"] = ownerName,
            ["uid"] = ownerUid ?? KubeObjects.NewUid(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        });
        return this;
    }

    /// <summary>spec.nodeName, and status.hostIP / hostIPs when given.</summary>
    public PodBuilder OnNode(string node, string? nodeIp = null)
    {
        nodeName = node;
        hostIp = nodeIp ?? hostIp;
        return this;
    }

    /// <summary>spec.restartPolicy: Always (default), OnFailure or Never.</summary>
    public PodBuilder RestartPolicy(string policy)
    {
        restartPolicy = policy;
        return this;
    }

    /// <summary>status.phase; otherwise derived from the container states.</summary>
    public PodBuilder Phase(string podPhase)
    {
        phase = podPhase;
        return this;
    }

    /// <summary>status.podIP and podIPs.</summary>
    public PodBuilder PodIP(string ip)
    {
        podIp = ip;
        return this;
    }

    /// <summary>status.startTime (default: a minute after creation); container times default from it.</summary>
    public PodBuilder StartedAt(DateTimeOffset time)
    {
        startedAt = time;
        return this;
    }

    /// <summary>spec.hostNetwork: true (static control-plane pods use it).</summary>
    public PodBuilder HostNetwork()
    {
        hostNetwork = true;
        return this;
    }

    /// <summary>Adds spec.containers[] and its containerStatuses[] entry (running unless <paramref name="status"/> says otherwise).</summary>
    public PodBuilder Container(string containerName, string image = DefaultImage, Action<ContainerStatusBuilder>? status = null)
    {
        containers.Add(Entry(containerName, image, null, initContainer: false, status));
        return this;
    }

    /// <summary>Adds spec.initContainers[] and its initContainerStatuses[] entry (completed unless <paramref name="status"/> says otherwise).</summary>
    public PodBuilder InitContainer(string containerName, string image = DefaultImage, Action<ContainerStatusBuilder>? status = null)
    {
        initContainers.Add(Entry(containerName, image, null, initContainer: true, status));
        return this;
    }

    /// <summary>Adds spec.ephemeralContainers[] (kubectl debug) and its ephemeralContainerStatuses[] entry (running unless <paramref name="status"/> says otherwise).</summary>
    public PodBuilder EphemeralContainer(string containerName, string image = "busybox:1.36", string? targetContainerName = null, Action<ContainerStatusBuilder>? status = null)
    {
        ephemeralContainers.Add(Entry(containerName, image, targetContainerName, initContainer: false, status));
        return this;
    }

    /// <summary>Leaves the three container status lists out (a pod not yet scheduled or started).</summary>
    public PodBuilder WithoutContainerStatuses()
    {
        withStatuses = false;
        return this;
    }

    /// <summary>The pod as the API's JSON (kind, apiVersion, metadata, spec, status).</summary>
    public JsonObject ToJson()
    {
        var start = startedAt ?? createdAt.AddMinutes(1);
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = @namespace,
            ["uid"] = Uid,
            ["creationTimestamp"] = KubeObjects.Timestamp(createdAt),
        };
        if (labels.Count > 0) metadata["labels"] = labels.DeepClone();
        if (annotations.Count > 0) metadata["annotations"] = annotations.DeepClone();
        if (ownerReferences.Count > 0) metadata["ownerReferences"] = ownerReferences.DeepClone();
        return new JsonObject
        {
            ["kind"] = "Pod",
            ["apiVersion"] = "v1",
            ["metadata"] = metadata,
            ["spec"] = Spec(),
            ["status"] = Status(start),
        };
    }

    static ContainerEntry Entry(string containerName, string image, string? target, bool initContainer, Action<ContainerStatusBuilder>? configure)
    {
        var status = new ContainerStatusBuilder(containerName, image, initContainer);
        if (initContainer) status.Terminated(0);
        else status.Running();
        configure?.Invoke(status);
        return new ContainerEntry(containerName, image, target, status);
    }

    JsonObject Spec()
    {
        var spec = new JsonObject();
        if (initContainers.Count > 0) spec["initContainers"] = ContainerSpecs(initContainers);
        spec["containers"] = ContainerSpecs(containers);
        if (ephemeralContainers.Count > 0) spec["ephemeralContainers"] = ContainerSpecs(ephemeralContainers);
        spec["restartPolicy"] = restartPolicy;
        spec["terminationGracePeriodSeconds"] = 30;
        spec["dnsPolicy"] = hostNetwork ? "ClusterFirstWithHostNet" : "ClusterFirst";
        spec["serviceAccountName"] = "default";
        spec["serviceAccount"] = "default";
        if (nodeName is not null) spec["nodeName"] = nodeName;
        if (hostNetwork) spec["hostNetwork"] = true;
        spec["securityContext"] = new JsonObject();
        spec["schedulerName"] = "default-scheduler";
        spec["priority"] = 0;
        spec["enableServiceLinks"] = true;
        spec["preemptionPolicy"] = "PreemptLowerPriority";
        return spec;
    }

    static JsonArray ContainerSpecs(List<ContainerEntry> entries)
    {
        var specs = new JsonArray();
        foreach (var entry in entries)
        {
            var spec = new JsonObject
            {
                ["name"] = entry.Name,
                ["image"] = entry.Image,
                ["resources"] = new JsonObject(),
                ["terminationMessagePath"] = "/dev/termination-log",
                ["terminationMessagePolicy"] = "File",
                ["imagePullPolicy"] = "IfNotPresent",
            };
            if (entry.TargetContainerName is { } target) spec["targetContainerName"] = target;
            specs.Add(spec);
        }
        return specs;
    }

    JsonObject Status(DateTimeOffset start)
    {
        var scheduled = nodeName is not null;
        var initialized = initContainers.All(c => c.Status.Succeeded == true);
        var containersReady = containers.Count > 0 && containers.All(c => c.Status.IsReady);
        var status = new JsonObject
        {
            ["phase"] = phase ?? DerivedPhase(scheduled),
            ["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", scheduled && withStatuses, start),
                Condition("Initialized", initialized, start),
                Condition("Ready", containersReady, start),
                Condition("ContainersReady", containersReady, start),
                Condition("PodScheduled", scheduled, createdAt)),
        };
        if (hostIp is not null)
        {
            status["hostIP"] = hostIp;
            status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp });
        }
        var ip = podIp ?? (hostNetwork ? hostIp : null);
        if (ip is not null)
        {
            status["podIP"] = ip;
            status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip });
        }
        if (scheduled) status["startTime"] = KubeObjects.Timestamp(start);
        if (withStatuses)
        {
            if (initContainers.Count > 0) status["initContainerStatuses"] = Statuses(initContainers, start);
            if (containers.Count > 0) status["containerStatuses"] = Statuses(containers, start);
            if (ephemeralContainers.Count > 0) status["ephemeralContainerStatuses"] = Statuses(ephemeralContainers, start);
        }
        status["qosClass"] = "BestEffort";
        return status;
    }

    string DerivedPhase(bool scheduled)
    {
        if (!scheduled || !withStatuses || initContainers.Any(c => c.Status.Succeeded != true)) return "Pending";
        if (containers.Any(c => c.Status.IsRunning)) return "Running";
        if (containers.Count > 0 && containers.All(c => c.Status.Succeeded is not null))
            return containers.All(c => c.Status.Succeeded == true) ? "Succeeded" : "Failed";
        return "Pending";
    }

    static JsonObject Condition(string type, bool value, DateTimeOffset since) => new()
    {
        ["type"] = type,
        ["status"] = value ? "True" : "False",
        ["lastProbeTime"] = null,
        ["lastTransitionTime"] = KubeObjects.Timestamp(since),
    };

    static JsonArray Statuses(List<ContainerEntry> entries, DateTimeOffset start)
    {
        var statuses = new JsonArray();
        foreach (var entry in entries) statuses.Add(entry.Status.ToJson(start));
        return statuses;
    }
}
