using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Commands;

/// <summary>
/// Completes namespaces, pod names and container names from the pod directories under -Root: one
/// directory listing, no daemon, no network, no configuration beyond -Root and -PodLogsDirectory.
/// </summary>
public abstract class PodDirectoryCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var root = fakeBoundParameters["Root"] as string ?? "/";
        var podLogs = fakeBoundParameters["PodLogsDirectory"] as string ?? KubeletPaths.DefaultPodLogsDirectory;
        var localDir = Path.Join(Path.GetFullPath(root), podLogs);
        if (DirectoryReader.Read(localDir, out var entries) != 0) return [];
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        var pods = entries.Select(e => KubeletPaths.TryParsePodDirectoryName(e.Name, out var p) ? p : (PodDirectoryName?)null)
            .OfType<PodDirectoryName>()
            .Where(p => Matches(fakeBoundParameters["Namespace"], p.Namespace) && Matches(fakeBoundParameters["PodName"], p.PodName));
        return Candidates(pods, localDir)
            .Where(pattern.IsMatch)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }

    protected abstract IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, string localPodLogsDirectory);

    static bool Matches(object? bound, string value) => bound switch
    {
        string s => WildcardPattern.Get(s, WildcardOptions.IgnoreCase).IsMatch(value),
        string[] a => a.Any(s => WildcardPattern.Get(s, WildcardOptions.IgnoreCase).IsMatch(value)),
        _ => true,
    };
}

public sealed class NamespaceCompleter : PodDirectoryCompleter
{
    protected override IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, string dir) => pods.Select(p => p.Namespace);
}

public sealed class PodNameCompleter : PodDirectoryCompleter
{
    protected override IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, string dir) => pods.Select(p => p.PodName);
}

public sealed class ContainerNameCompleter : PodDirectoryCompleter
{
    protected override IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, string dir) =>
        pods.SelectMany(p => DirectoryReader.Read(Path.Join(dir, KubeletPaths.PodDirectoryName(p.Namespace, p.PodName, p.PodUid)), out var entries) == 0
            ? entries.Where(e => e.TypeHint == FileKind.Directory).Select(e => e.Name)
            : []);
}
