using PodLogs.Core;
using PodLogs.Core.Inspection;
using PodLogs.Core.Node;
using PodLogs.Core.Repair;
using PodLogs.Core.Runtime;
using PodLogs.Core.Usage;
using PodLogs.Runtime.Docker;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// Runs what Get-ContainerLogLink, Repair-ContainerLogLink and Measure-PodLog run (the cmdlets are thin wrappers):
/// layout, runtime source selection, inspection, planning and execution — with the live sources
/// created directly instead of through the module's private load context.
/// </summary>
public static class ModuleUnderTest
{
    sealed class DirectFactory : ILiveRuntimeFactory
    {
        public IRuntimeSource CreateDocker(string endpoint, TimeSpan timeout) => new DockerApiSource(endpoint, timeout);
        public IRuntimeSource CreateCri(string endpoint, TimeSpan timeout) => new PodLogs.Runtime.Cri.CriRuntimeSource(endpoint, timeout);
    }

    public static RuntimeSourceOptions ViaDocker(DockerDaemon d, RuntimeSourceKind kind = RuntimeSourceKind.Docker) =>
        new() { Kind = kind, DockerEndpoint = d.Endpoint, Timeout = TimeSpan.FromSeconds(10) };

    public static (List<ContainerLogLink> Links, CollectingReporter Reporter, RuntimeSnapshot? Snapshot) Inspect(RuntimeSourceOptions options, string root = "/", LogSelection? selection = null)
    {
        var reporter = new CollectingReporter();
        var (inspector, snapshot) = CreateInspector(options, root, reporter);
        return (inspector.InspectNode(selection ?? LogSelection.All).ToList(), reporter, snapshot);
    }

    public static (List<LinkRepairResult> Results, CollectingReporter Reporter) Repair(RuntimeSourceOptions options, string root = "/", LogSelection? selection = null, bool force = false)
    {
        var reporter = new CollectingReporter();
        var (inspector, _) = CreateInspector(options, root, reporter);
        var plan = new RepairPlanner(inspector).Plan(inspector.InspectNode(selection ?? LogSelection.All).ToList(), force, explicitSelection: false);
        var results = new RepairExecutor(inspector.Layout, reporter).Execute(plan, (_, _) => true).ToList();
        return (results, reporter);
    }

    /// <summary>
    /// What Measure-PodLog does at its end: the rotation policy read once under the root, the inspected records measured per
    /// container instance, with the open handles of <paramref name="procPath"/> when given (-ProcPath).
    /// </summary>
    public static (List<PodLogUsage> Usages, RotationPolicy Policy, CollectingReporter Reporter) Measure(RuntimeSourceOptions options, string root = "/",
        LogSelection? selection = null, string? procPath = null)
    {
        var reporter = new CollectingReporter();
        var (inspector, snapshot) = CreateInspector(options, root, reporter);
        var records = inspector.InspectNode(selection ?? LogSelection.All).ToList();
        var policy = RotationPolicy.Load(inspector.Layout, reporter);
        var handles = procPath is null ? null : LogHandleScanner.Scan(inspector.Layout, procPath, reporter);
        return (new UsageMeasurer(inspector.Layout, policy, snapshot).Measure(records, handles), policy, reporter);
    }

    static (LinkInspector, RuntimeSnapshot?) CreateInspector(RuntimeSourceOptions options, string root, CollectingReporter reporter)
    {
        var layout = NodeLayout.Load(new NodeLayoutOptions { Root = root, WantsRuntimeEndpoint = options.Kind is RuntimeSourceKind.Auto or RuntimeSourceKind.Cri }, reporter);
        var (snapshot, effective) = new RuntimeSourceSelector(new DirectFactory(), reporter).Select(layout, options, CancellationToken.None);
        return (new LinkInspector(effective, snapshot, reporter), snapshot);
    }

    public static LogSelection Pod(string ns, string pod) =>
        new() { Namespace = n => n == ns, PodName = p => p == pod };

    public static string? ReadLink(string path) => new FileInfo(path).LinkTarget;
}
