namespace PodLogs.Core.Runtime;

/// <summary>Makes the live sources, which live in the private load context (Core only knows the interface).</summary>
public interface ILiveRuntimeFactory
{
    IRuntimeSource CreateDocker(string endpoint, TimeSpan timeout);
    IRuntimeSource CreateCri(string endpoint, TimeSpan timeout);
}
