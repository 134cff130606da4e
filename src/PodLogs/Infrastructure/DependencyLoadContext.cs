using System.Reflection;
using System.Runtime.Loader;
using PodLogs.Core.Runtime;

namespace PodLogs.Commands;

/// <summary>
/// The private AssemblyLoadContext for the live runtime adapters and their packages (Docker.DotNet,
/// Newtonsoft.Json, gRPC, Protobuf) in the module's Dependencies/ folder, so they never meet another
/// module's copies ("Resolving PowerShell module assembly dependency conflicts"). PodLogs.Core resolves
/// to the default context's copy, so Core's interfaces are the same types on both sides. Nothing here
/// is loaded until a command actually talks to a daemon.
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
    public static ILiveRuntimeFactory Factory { get; } = new LiveRuntimeFactory();

    sealed class LiveRuntimeFactory : ILiveRuntimeFactory
    {
        readonly Lazy<Type> _sources = new(() =>
        {
            var context = Instance.Value;
            var assembly = context.LoadFromAssemblyPath(Path.Combine(context._directory, "PodLogs.Runtime.dll"));
            return assembly.GetType("PodLogs.Runtime.RuntimeSources", throwOnError: true)!;
        });

        public IRuntimeSource CreateDocker(string localEndpoint, TimeSpan timeout) => Create("CreateDocker", localEndpoint, timeout);

        public IRuntimeSource CreateCri(string localEndpoint, TimeSpan timeout) => Create("CreateCri", localEndpoint, timeout);

        IRuntimeSource Create(string method, string endpoint, TimeSpan timeout)
        {
            try
            {
                return (IRuntimeSource)_sources.Value.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [endpoint, timeout])!;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                throw;
            }
        }
    }
}
