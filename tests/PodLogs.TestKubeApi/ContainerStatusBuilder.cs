using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PodLogs.TestKubeApi;

/// <summary>
/// One entry of containerStatuses, initContainerStatuses or ephemeralContainerStatuses: state
/// (running, terminated or waiting), lastState (empty, or the previous instance's termination),
/// restartCount, ready, started, image, imageID and containerID. Container ids are given or made
/// (64 hex) and written as <c>&lt;runtime&gt;://&lt;id&gt;</c>; status.containerID is the current
/// instance's, or while waiting after a crash the last terminated one's, as kubelet reports it.
/// Times not given derive from the pod's start time.
/// </summary>
public sealed class ContainerStatusBuilder
{
    enum StateKind { Running, Terminated, Waiting }

    sealed record Termination(int ExitCode, string Reason, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string Id);

    readonly string name;
    readonly string image;
    readonly bool initContainer;
    string runtime = "containerd";
    StateKind state;
    DateTimeOffset? runningSince;
    Termination? terminated;
    (string Reason, string? Message) waiting;
    string? currentId;
    Termination? lastTerminated;
    int restartCount;
    bool? ready;
    bool? started;

    internal ContainerStatusBuilder(string name, string image, bool initContainer)
    {
        this.name = name;
        this.image = image;
        this.initContainer = initContainer;
    }

    /// <summary>The id scheme: containerd (default), docker or cri-o.</summary>
    public ContainerStatusBuilder Runtime(string scheme)
    {
        runtime = scheme;
        return this;
    }

    /// <summary>state.running; ready and started unless set otherwise. The default state of app and ephemeral containers.</summary>
    public ContainerStatusBuilder Running(DateTimeOffset? startedAt = null, string? containerId = null)
    {
        state = StateKind.Running;
        runningSince = startedAt;
        currentId = containerId ?? KubeObjects.NewContainerId();
        return this;
    }

    /// <summary>
    /// state.terminated (exit 0 "Completed", otherwise "Error" unless a reason is given); not ready,
    /// except an init container that completed. Exit 0 is the default state of init containers.
    /// </summary>
    public ContainerStatusBuilder Terminated(int exitCode = 0, string? reason = null, DateTimeOffset? startedAt = null, DateTimeOffset? finishedAt = null, string? containerId = null)
    {
        state = StateKind.Terminated;
        currentId = containerId ?? KubeObjects.NewContainerId();
        terminated = new Termination(exitCode, reason ?? (exitCode == 0 ? "Completed" : "Error"), startedAt, finishedAt, currentId);
        return this;
    }

    /// <summary>state.waiting, e.g. CrashLoopBackOff, ImagePullBackOff, ContainerCreating.</summary>
    public ContainerStatusBuilder Waiting(string reason, string? message = null)
    {
        state = StateKind.Waiting;
        waiting = (reason, message);
        currentId = null;
        return this;
    }

    /// <summary>lastState.terminated: the previous instance, whose log <c>kubectl logs --previous</c> reads.</summary>
    public ContainerStatusBuilder LastTerminated(int exitCode = 1, string? reason = null, DateTimeOffset? startedAt = null, DateTimeOffset? finishedAt = null, string? containerId = null)
    {
        lastTerminated = new Termination(exitCode, reason ?? (exitCode == 0 ? "Completed" : "Error"), startedAt, finishedAt, containerId ?? KubeObjects.NewContainerId());
        return this;
    }

    /// <summary>restartCount (kubelet's attempt number: the N of N.log).</summary>
    public ContainerStatusBuilder RestartCount(int count)
    {
        restartCount = count;
        return this;
    }

    /// <summary>ready, overriding the state's default.</summary>
    public ContainerStatusBuilder Ready(bool value = true)
    {
        ready = value;
        return this;
    }

    /// <summary>started, overriding the state's default.</summary>
    public ContainerStatusBuilder Started(bool value = true)
    {
        started = value;
        return this;
    }

    /// <summary>status.containerID as written (with scheme), or null while waiting with no previous instance.</summary>
    public string? ContainerId => currentId is not null ? WithScheme(currentId) : lastTerminated is not null ? WithScheme(lastTerminated.Id) : null;

    /// <summary>lastState.terminated.containerID as written, or null.</summary>
    public string? LastContainerId => lastTerminated is null ? null : WithScheme(lastTerminated.Id);

    internal bool IsReady => ready ?? (state == StateKind.Running || (initContainer && Succeeded == true));

    internal bool IsRunning => state == StateKind.Running;

    internal bool? Succeeded => state == StateKind.Terminated ? terminated!.ExitCode == 0 : null;

    internal JsonObject ToJson(DateTimeOffset podStart)
    {
        var status = new JsonObject
        {
            ["name"] = name,
            ["state"] = State(podStart),
            ["lastState"] = lastTerminated is null ? new JsonObject() : new JsonObject { ["terminated"] = TerminatedJson(lastTerminated, podStart.AddMinutes(-10), podStart.AddSeconds(-1)) },
            ["ready"] = IsReady,
            ["restartCount"] = restartCount,
            ["image"] = image,
            ["imageID"] = ContainerId is null ? "" : ImageId(),
        };
        if (ContainerId is { } id) status["containerID"] = id;
        status["started"] = started ?? state == StateKind.Running;
        return status;
    }

    JsonObject State(DateTimeOffset podStart) => state switch
    {
        StateKind.Running => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = KubeObjects.Timestamp(runningSince ?? podStart) } },
        StateKind.Terminated => new JsonObject { ["terminated"] = TerminatedJson(terminated!, podStart, podStart.AddSeconds(5)) },
        _ => new JsonObject { ["waiting"] = WaitingJson() },
    };

    JsonObject WaitingJson()
    {
        var json = new JsonObject { ["reason"] = waiting.Reason };
        if (waiting.Message is { } message) json["message"] = message;
        return json;
    }

    JsonObject TerminatedJson(Termination t, DateTimeOffset defaultStart, DateTimeOffset defaultFinish) => new()
    {
        ["exitCode"] = t.ExitCode,
        ["reason"] = t.Reason,
        ["startedAt"] = KubeObjects.Timestamp(t.StartedAt ?? defaultStart),
        ["finishedAt"] = KubeObjects.Timestamp(t.FinishedAt ?? defaultFinish),
        ["containerID"] = WithScheme(t.Id),
    };

    string WithScheme(string id) => id.Contains("://", StringComparison.Ordinal) ? id : $"{runtime}://{id}";

    string ImageId()
    {
        var repository = image.Split('@')[0];
        var tag = repository.LastIndexOf(':');
        if (tag > repository.LastIndexOf('/')) repository = repository[..tag];
        return $"{repository}@sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)))}";
    }
}
