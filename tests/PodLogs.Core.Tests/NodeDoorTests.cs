using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #10 item 6, "one door to the node": every file-system call by path is made in <c>PodLogs.Core.Node</c> (NodeRoot,
/// which resolves node paths chroot-style under -Root), in <c>PodLogs.Core.Native</c> (the calls themselves), or by the log
/// reader's opener (<c>LogFileOpener</c>, handed the locations NodeRoot resolved). Anywhere else, a node path turned into a
/// local path lexically lets the host kernel follow an absolute link among its parents from the host's '/'. The compiled IL
/// of the module's assemblies is scanned for such calls, so no spelling (a using alias, a lambda, an iterator) hides one.
/// </summary>
public sealed class NodeDoorTests
{
    /// <summary>Path-taking calls, by declaring type: every member of the BCL's path APIs, and the by-path calls of our own.</summary>
    static readonly string[] BclPathTypes =
    [
        "System.IO.File", "System.IO.Directory", "System.IO.FileInfo", "System.IO.DirectoryInfo", "System.IO.FileSystemInfo",
        "System.IO.FileSystemWatcher", "System.IO.DriveInfo", "System.IO.Enumeration.FileSystemEnumerable`1",
        "System.IO.Enumeration.FileSystemEnumerator`1",
    ];

    /// <summary>Ours: the by-path calls (a first parameter that is a path string, not a descriptor-relative *At call).</summary>
    static readonly string[] OwnPathTypes = ["PodLogs.Core.Native.Posix", "PodLogs.Core.Native.DirectoryReader", "PodLogs.Core.Node.SafeFile"];

    /// <summary>Types that may touch the file system by path: the door itself, the calls, and the log reader's opener.</summary>
    static readonly string[] DoorNamespaces = ["PodLogs.Core.Node", "PodLogs.Core.Native"];
    const string LogOpener = "PodLogs.Core.Logs.LogFileOpener";

    /// <summary>
    /// Paths on the machine the module runs on, not under -Root, each for a reason: the user's own kubeconfig (-Kubeconfig, $KUBECONFIG,
    /// ~/.kube/config, the in-cluster token), the sample node written into a new empty directory, a file given by
    /// -LiteralPath (a path on this machine by definition), the metrics file of Export-PodLogMetric -Path (node-exporter's textfile directory), and the module's own Dependencies/ folder.
    /// </summary>
    static readonly string[] HostPathMethods =
    [
        "PodLogs.Core.Cluster.ClusterConfigLocator::Choose",
        "PodLogs.Core.Samples.SampleNode::Create",
        "PodLogs.Core.Samples.SampleNode/Writer::*",
        "PodLogs.Core.Reading.LiteralLogFile::Resolve",
        "PodLogs.Core.Metrics.MetricsFile::*",
        "PodLogs.Commands.NewPodLogSampleNodeCommand::ProcessRecord",
        "PodLogs.Commands.DependencyLoadContext::Load",
        "PodLogs.Runtime.Cluster.KubeconfigLoader::ReadUserSettingsFile",
    ];

    public static TheoryData<string> Assemblies() => new() { "PodLogs.Core", "PodLogs", "PodLogs.Runtime" };

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void File_system_calls_by_path_are_made_only_through_the_node_root_or_the_log_opener(string assembly)
    {
        var path = AssemblyPath(assembly);
        var leaks = PathCalls(path).Where(c => !Allowed(c.Caller, c.Method)).Select(c => $"{c.Caller}::{c.Method} calls {c.Callee}").Distinct().ToList();
        Assert.True(leaks.Count == 0, $"{assembly}: file-system calls by path outside Node/, Native/ and LogFileOpener (go through NodeRoot):\n" + string.Join('\n', leaks));
    }

    [Fact]
    public void The_scan_sees_path_calls_where_they_are_made()
    {
        // The door itself is seen to make them (else the scan would pass by seeing nothing).
        var calls = PathCalls(typeof(NodeRoot).Assembly.Location).ToList();
        Assert.Contains(calls, c => c.Caller == "PodLogs.Core.Node.NodeRoot" && c.Callee == "PodLogs.Core.Native.Posix::LStat");
        Assert.Contains(calls, c => c.Caller == "PodLogs.Core.Node.NodeRoot" && c.Callee == "PodLogs.Core.Native.DirectoryReader::Read");
        Assert.Contains(calls, c => c.Caller == LogOpener && c.Callee == "PodLogs.Core.Native.Posix::OpenForScan");
        // In a lambda and an iterator too (compiler-made nested types count as the type they are written in).
        Assert.Contains(calls, c => c.Caller == "PodLogs.Core.Samples.SampleNode" && c.Callee.StartsWith("System.IO.Directory::", StringComparison.Ordinal));
        Assert.Contains(PathCalls(typeof(NodeDoorTests).Assembly.Location),
            c => c.Caller == typeof(NodeDoorTests).FullName && c.Method == nameof(LeakInALambda) && c.Callee == "PodLogs.Core.Native.Posix::LStat");
        Assert.Contains(PathCalls(typeof(NodeDoorTests).Assembly.Location),
            c => c.Caller == typeof(NodeDoorTests).FullName && c.Method == nameof(LeakInAnIterator) && c.Callee == "System.IO.File::Exists");
        // Descriptor-relative calls are not by path.
        Assert.DoesNotContain(calls, c => c.Callee == "PodLogs.Core.Native.Posix::ReadLinkAt");
    }

    // What the scan must see: a lexical local path handed to the kernel from a lambda and from an iterator.
    static Func<bool> LeakInALambda(NodeRoot root) => () => Native.Posix.LStat(root.ToLocal("/var/log/pods"), out _) == 0;

    static IEnumerable<bool> LeakInAnIterator(NodeRoot root)
    {
        yield return File.Exists(root.ToLocal("/var/log/pods"));
    }

    static bool Allowed(string caller, string method)
    {
        if (caller == LogOpener || DoorNamespaces.Any(ns => caller.StartsWith(ns + ".", StringComparison.Ordinal))) return true;
        return HostPathMethods.Any(h => h.Split("::") is [var type, var name] && type == caller && (name == "*" || name == method));
    }

    static string AssemblyPath(string name)
    {
        var path = typeof(NodeDoorTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == name + ".dll")?.Value;
        Assert.True(path is not null && File.Exists(path), $"{name}.dll is not built at {path} (the test project builds it).");
        return path!;
    }

    sealed record PathCall(string Caller, string Method, string Callee);

    /// <summary>Every call to a path-taking member in the assembly's method bodies, by the outermost type that contains it.</summary>
    static IEnumerable<PathCall> PathCalls(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var md = pe.GetMetadataReader();
        var results = new List<PathCall>();
        foreach (var typeHandle in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(typeHandle);
            var (caller, nested) = OuterType(md, typeHandle);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = md.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                // A lambda or iterator body is named after the method it is written in: <Literal>b__12_0, <Enumerate>d__3.
                var name = SourceMethodName(md.GetString(method.Name), nested);
                var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
                foreach (var token in CalledMethods(il))
                    if (Describe(md, token) is { } callee && IsPathCall(callee.Type, callee.Name, callee.FirstParameter))
                        results.Add(new PathCall(caller, name, $"{callee.Type}::{callee.Name}"));
            }
        }
        return results;
    }

    static string SourceMethodName(string name, string? nestedName)
    {
        static string? Inner(string n) => n.StartsWith('<') && n.IndexOf('>') is > 1 and var end ? n[1..end] : null;
        return Inner(name) ?? (nestedName is not null ? Inner(nestedName) : null) ?? name;
    }

    static bool IsPathCall(string type, string name, string? firstParameter)
    {
        if (BclPathTypes.Contains(type)) return true;
        if (type == "System.IO.FileStream" || type == "System.IO.StreamReader" || type == "System.IO.StreamWriter")
            return name == ".ctor" && firstParameter == "System.String";
        return OwnPathTypes.Contains(type) && firstParameter == "System.String" && !name.EndsWith("At", StringComparison.Ordinal);
    }

    /// <summary>The outermost declaring type's full name, and the name of the compiler-made nested type directly inside it (if any).</summary>
    static (string Name, string? Nested) OuterType(MetadataReader md, TypeDefinitionHandle handle)
    {
        var type = md.GetTypeDefinition(handle);
        string? nestedName = null;
        var path = new List<string>();
        while (true)
        {
            var name = md.GetString(type.Name);
            var declaring = type.GetDeclaringType();
            if (declaring.IsNil)
            {
                var ns = md.GetString(type.Namespace);
                path.Insert(0, ns.Length == 0 ? name : ns + "." + name);
                break;
            }
            if (name.StartsWith('<')) nestedName ??= name;
            else path.Insert(0, name);
            type = md.GetTypeDefinition(declaring);
        }
        return (string.Join('/', path), nestedName);
    }

    static readonly Dictionary<short, OperandType> OpCodeOperands = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>The method tokens of call, callvirt, newobj, ldftn and ldvirtftn.</summary>
    static IEnumerable<EntityHandle> CalledMethods(BlobReader il)
    {
        var found = new List<EntityHandle>();
        while (il.RemainingBytes > 0)
        {
            short code = il.ReadByte();
            if (code == 0xFE) code = unchecked((short)(0xFE00 | il.ReadByte()));
            var operand = OpCodeOperands[code];
            switch (operand)
            {
                case OperandType.InlineMethod:
                    found.Add(MetadataTokens.EntityHandle(il.ReadInt32()));
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: il.Offset += 1; break;
                case OperandType.InlineVar: il.Offset += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: il.Offset += 8; break;
                case OperandType.InlineSwitch: var targets = il.ReadInt32(); il.Offset += 4 * targets; break;
                default: il.Offset += 4; break;
            }
        }
        return found;
    }

    static (string Type, string Name, string? FirstParameter)? Describe(MetadataReader md, EntityHandle handle)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
            {
                var m = md.GetMethodDefinition((MethodDefinitionHandle)handle);
                var sig = m.DecodeSignature(TypeNames.Instance, null);
                return (TypeNames.Instance.GetTypeFromDefinition(md, m.GetDeclaringType(), 0), md.GetString(m.Name), sig.ParameterTypes.FirstOrDefault());
            }
            case HandleKind.MemberReference:
            {
                var r = md.GetMemberReference((MemberReferenceHandle)handle);
                if (r.GetKind() != MemberReferenceKind.Method) return null;
                var sig = r.DecodeMethodSignature(TypeNames.Instance, null);
                return (TypeNames.Instance.NameOf(md, r.Parent), md.GetString(r.Name), sig.ParameterTypes.FirstOrDefault());
            }
            case HandleKind.MethodSpecification:
                return Describe(md, md.GetMethodSpecification((MethodSpecificationHandle)handle).Method);
            default:
                return null;
        }
    }

    /// <summary>Type names from signatures: enough to tell a string parameter and a declaring type.</summary>
    sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public static readonly TypeNames Instance = new();

        public string NameOf(MetadataReader md, EntityHandle parent) => parent.Kind switch
        {
            HandleKind.TypeReference => GetTypeFromReference(md, (TypeReferenceHandle)parent, 0),
            HandleKind.TypeDefinition => GetTypeFromDefinition(md, (TypeDefinitionHandle)parent, 0),
            HandleKind.TypeSpecification => md.GetTypeSpecification((TypeSpecificationHandle)parent).DecodeSignature(this, null),
            _ => "?",
        };

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;
        public string GetTypeFromDefinition(MetadataReader md, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var t = md.GetTypeDefinition(handle);
            var name = md.GetString(t.Name);
            return t.GetDeclaringType().IsNil ? Qualified(md.GetString(t.Namespace), name) : GetTypeFromDefinition(md, t.GetDeclaringType(), 0) + "/" + name;
        }

        public string GetTypeFromReference(MetadataReader md, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var t = md.GetTypeReference(handle);
            var name = md.GetString(t.Name);
            return t.ResolutionScope.Kind == HandleKind.TypeReference
                ? GetTypeFromReference(md, (TypeReferenceHandle)t.ResolutionScope, 0) + "/" + name
                : Qualified(md.GetString(t.Namespace), name);
        }

        static string Qualified(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;
        public string GetTypeFromSpecification(MetadataReader md, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
            md.GetTypeSpecification(handle).DecodeSignature(this, context);
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => genericType;
        public string GetGenericMethodParameter(object? context, int index) => "!!" + index;
        public string GetGenericTypeParameter(object? context, int index) => "!" + index;
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPinnedType(string elementType) => elementType;
    }
}
