using System.Management.Automation;
using PodLogs.Core;
using PodLogs.Core.Inspection;

namespace PodLogs.Commands;

/// <summary>
/// Returns pod log directories: computed like kubelet for one pod (whether or not it exists), or found
/// by scanning the pod logs directory with wildcards.
/// </summary>
[Cmdlet(VerbsCommon.Get, "PodLogDirectory", DefaultParameterSetName = ByNameSet)]
[OutputType(typeof(PodLogDirectory))]
public sealed class GetPodLogDirectoryCommand : PodSelectionCmdlet
{
    PodDirectoryScanner? _scanner;
    readonly HashSet<(string?, string?, string)> _seen = [];

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        RunCore(() => _scanner = new PodDirectoryScanner(LoadLayout(wantsDockerDataRoot: false), this));
    }

    protected override void ProcessRecord()
    {
        RunCore(() =>
        {
            if (HasInput)
            {
                foreach (var item in ExpandList(InputObject!))
                {
                    if (ReadPodIdentity(item) is not { } id || !_seen.Add((id.Namespace, id.PodName, id.PodUid))) continue;
                    if (id.Namespace is not null && id.PodName is not null)
                        Emit(_scanner!.Describe(_scanner.Compute(id.Namespace, id.PodName, id.PodUid)));
                    else
                        // Older layouts name only the uid: find that directory by scanning.
                        foreach (var pod in _scanner!.Enumerate(new LogSelection { PodUid = id.PodUid }))
                            Emit(_scanner.Describe(pod));
                }
                return;
            }
            var selection = BuildSelection();
            if (NamesOnePodExactly)
            {
                Emit(_scanner!.Describe(_scanner.Compute(Namespace![0], PodName![0], PodUid!.ToLowerInvariant())));
                return;
            }
            var found = false;
            foreach (var pod in _scanner!.Enumerate(selection))
            {
                Cancellation.ThrowIfCancellationRequested();
                found = true;
                WriteObject(_scanner.Describe(pod));
            }
            if (!found && NamesWithoutWildcards())
                WriteError(ToErrorRecord(new PodLogsFailure("PodLogDirectoryNotFound", FailureCategory.ObjectNotFound,
                    $"No pod log directory matches namespace '{string.Join(",", Namespace ?? ["*"])}', pod '{string.Join(",", PodName ?? ["*"])}'" + (PodUid is null ? "" : $", uid '{PodUid}'") + ".", null),
                    string.Join(",", PodName ?? Namespace ?? [PodUid ?? ""])));
        });
    }

    void Emit(PodLogDirectory record)
    {
        if (record.NameTooLong)
            WriteWarning($"The pod directory name for {record.Namespace}/{record.PodName} is over 255 bytes: kubelet cannot create it and this pod has no logs on the node (kubernetes#80042).");
        WriteObject(record);
    }

    bool NamesWithoutWildcards() =>
        (Namespace ?? []).Concat(PodName ?? []).All(n => !WildcardPattern.ContainsWildcardCharacters(n))
        && (Namespace is not null || PodName is not null || PodUid is not null);
}
