using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
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
        var root = new NodeRoot(LocalRoot(fakeBoundParameters["Root"] as string ?? "/"));
        var podLogs = fakeBoundParameters["PodLogsDirectory"] as string ?? KubeletPaths.DefaultPodLogsDirectory;
        if (!NodePath.IsAbsolute(podLogs)) return [];
        // Listed where it resolves under the root (a symlinked /var/log/pods is followed there, not from the host's '/').
        if (root.ReadDirectory(root.ResolveDirectory(podLogs), out var entries) != 0) return [];
        var pattern = WildcardPattern.Get(wordToComplete.Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        var pods = entries.Select(e => KubeletPaths.TryParsePodDirectoryName(e.Name, out var p) ? p : (PodDirectoryName?)null)
            .OfType<PodDirectoryName>()
            // The word being completed is in fakeBoundParameters too: it must not filter its own candidates.
            .Where(p => (parameterName == "Namespace" || Matches(fakeBoundParameters["Namespace"], p.Namespace))
                && (parameterName == "PodName" || Matches(fakeBoundParameters["PodName"], p.PodName)));
        return Candidates(pods, root, NodePath.Clean(podLogs))
            .Where(pattern.IsMatch)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
    }

    protected abstract IEnumerable<string> Candidates(IEnumerable<PodDirectoryName> pods, NodeRoot root, string podLogsDirectory);

    static bool Matches(object? bound, string value) => bound switch
    {
        string s => WildcardPattern.Get(s, WildcardOptions.IgnoreCase).IsMatch(value),
        // '-Namespace a,b' arrives as object[].
        IEnumerable e => e.Cast<object?>().Select(o => o?.ToString()).OfType<string>()
            .Any(s => WildcardPattern.Get(s, WildcardOptions.IgnoreCase).IsMatch(value)),
        _ => true,
    };

    /// <summary>-Root as the cmdlets resolve it: relative to PowerShell's current location (not the process's), '~' expanded.</summary>
    static string LocalRoot(string root)
    {
        if (Path.IsPathRooted(root)) return Path.GetFullPath(root);
        try
        {
            // SessionStateProxy refuses while the completion pipeline runs; a nested pipeline on this runspace does not.
            using var ps = PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddScript("param($p) $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p)").AddArgument(root);
            if (ps.Invoke().FirstOrDefault()?.BaseObject is string resolved) return resolved;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A completer never throws: fall back to the process's view of the path.
        }
        return Path.GetFullPath(root);
    }
}
