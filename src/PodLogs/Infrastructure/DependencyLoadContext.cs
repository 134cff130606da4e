using System.Reflection;
using System.Runtime.Loader;
using PodLogs.Core.Cluster;
using PodLogs.Core.Runtime;

namespace PodLogs.Commands;

/// <summary>
/// The private AssemblyLoadContext for the live adapters and their packages (Docker.DotNet,
/// Newtonsoft.Json, gRPC, Protobuf, KubernetesClient, YamlDotNet, Fractions) in the module's Dependencies/ folder, so they never meet another
/// module's copies ("Resolving PowerShell module assembly dependency conflicts"). PodLogs.Core resolves
/// to the default context's copy, so Core's interfaces are the same types on both sides. Nothing here
/// is loaded until a command actually talks to a daemon or the API server.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    static readonly Lazy<DependencyLoadContext> Instance = new(() => new DependencyLoadContext());
    static readonly Assembly CoreAssembly = typeof(IRuntimeSource).Assembly;
    readonly string _directory;

    DependencyLoadContext() : base("PodLogs.Dependencies")
    {
        _directory = Path.Combine(Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!, "Dependencies");
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name == CoreAssembly.GetName().Name) return CoreAssembly;
        var path = Path.Combine(_directory, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }

    /// <summary>The factory in PodLogs.Runtime, reached by reflection (its types never cross into the cmdlets' signatures).</summary>
    public static ILiveRuntimeFactory Factory => Live;

    /// <summary>The Kubernetes API adapter in PodLogs.Runtime, reached the same way.</summary>
    public static IClusterSourceFactory ClusterFactory => Live;

    static readonly LiveFactory Live = new();

    sealed class LiveFactory : ILiveRuntimeFactory, IClusterSourceFactory
    {
        readonly Lazy<Type> _sources = new(() =>
        {
            var context = Instance.Value;
            var assembly = context.LoadFromAssemblyPath(Path.Combine(context._directory, "PodLogs.Runtime.dll"));
            return assembly.GetType("PodLogs.Runtime.RuntimeSources", throwOnError: true)!;
        });

        public IRuntimeSource CreateDocker(string localEndpoint, TimeSpan timeout) => Create<IRuntimeSource>("CreateDocker", localEndpoint, timeout);

        public IRuntimeSource CreateCri(string localEndpoint, TimeSpan timeout) => Create<IRuntimeSource>("CreateCri", localEndpoint, timeout);

        public IClusterSource Create(ClusterConfigChoice choice, TimeSpan timeout) => Create<IClusterSource>("CreateCluster", choice, timeout);

        T Create<T>(string method, object argument, TimeSpan timeout)
        {
            try
            {
                return (T)_sources.Value.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [argument, timeout])!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
