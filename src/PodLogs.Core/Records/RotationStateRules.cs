namespace PodLogs.Core;

/// <summary>What a rotation state means to an operator, decided once for every consumer (the agent's findings, the NPD plugin).</summary>
public static class RotationStateRules
{
    /// <summary>
    /// Whether the log's rotation does not keep it within its owner's limits: OverLimit, TooManyFiles or NotRotated. Exited is
    /// not stuck (kubelet stops rotating a stopped container's log by design, k8s #90334); no state (nothing measured) is not.
    /// </summary>
    public static bool IsStuck(RotationState? state) => state is RotationState.OverLimit or RotationState.TooManyFiles or RotationState.NotRotated;
}
