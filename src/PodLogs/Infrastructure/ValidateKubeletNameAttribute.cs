using System.Management.Automation;

namespace PodLogs.Commands;

/// <summary>
/// Refuses, at binding, a -Namespace, -PodName or -ContainerName value that can never match a kubelet name:
/// those are DNS-1123 names (letters, digits, '-' and '.'), so a '/' (a path given by position, say) or any other
/// character can only be a mistake. Wildcard characters stay allowed; letters match in any case.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateKubeletNameAttribute(string parameter, string what) : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        var value = element is PSObject pso ? pso.BaseObject : element;
        if (value is not string text) return;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '*' or '?' or '[' or ']' or '`') continue;
            var shown = c switch { '/' => "'/'", '\\' => "'\\'", ' ' => "a space", _ when char.IsControl(c) => $"U+{(int)c:X4}", _ => $"'{c}'" };
            var hint = c is '/' or '\\' ? $" It looks like a path: -{parameter} takes a {what} (wildcards allowed); to read a log file by its path use Get-ContainerLog -LiteralPath." : "";
            throw new ValidationMetadataException(
                $"-{parameter} '{text}' can never be a kubelet {what}: it contains {shown}, and {what}s are DNS-1123 names (letters, digits, '-', '.').{hint}");
        }
    }
}
