using System.Text;
using PodLogs.Core.Native;

namespace PodLogs.Core.Node;

/// <summary>Reads kubelet's flags from the running process (/proc) or from a flags file's text.</summary>
public static class KubeletProcess
{
    /// <summary>The command line of a running kubelet on this machine, if one runs.</summary>
    /// <remarks>
    /// Read with the same getdents and capped reads a scan uses (every command asks once): the BCL's directory
    /// enumerator and file streams were otherwise compiled, and recompiled by tiering, for this alone.
    /// </remarks>
    public static string? FindCommandLine()
    {
        if (DirectoryReader.Read("/proc", out var entries) != 0) return null;
        foreach (var e in entries)
        {
            if (e.Name.Length == 0 || !char.IsAsciiDigit(e.Name[0])) continue;
            var read = SafeFile.ReadSmallFile($"/proc/{e.Name}/cmdline");
            if (read.Outcome != SafeReadOutcome.Ok) continue;
            var cmdline = read.Content.AsSpan();
            var end = cmdline.IndexOf((byte)0);
            var program = end < 0 ? cmdline : cmdline[..end];
            if (!program.EndsWith("kubelet"u8) || program.Length > 7 && program[^8] != '/') continue;
            return string.Join(' ', Encoding.UTF8.GetString(cmdline).Split('\0', StringSplitOptions.RemoveEmptyEntries));
        }
        return null;
    }

    /// <summary>The value of <c>--flag=value</c> or <c>--flag value</c> in a command line or an env file's text.</summary>
    public static string? FindFlag(string text, string flag)
    {
        var tokens = text.Split([' ', '\t', '\n', '"', '\''], StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (t.StartsWith(flag + "=", StringComparison.Ordinal)) return t[(flag.Length + 1)..];
            if (t == flag && i + 1 < tokens.Length) return tokens[i + 1];
        }
        return null;
    }

    /// <summary>
    /// Kubelet's flags as text: the running kubelet's command line (only when -Root is '/': /proc
    /// describes this machine), then the flag files kubeadm and distributions keep (docs/kubelet-facts.md §10).
    /// </summary>
    public static string ReadFlags(NodeRoot root) => FlagsOf.GetValue(root, ReadFlagsOnce);

    // Once per NodeRoot, i.e. per command: the layout, the kubeconfig lookup and the node name all ask,
    // and on a node each asking would scan /proc again.
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<NodeRoot, string> FlagsOf = new();

    static string ReadFlagsOnce(NodeRoot root)
    {
        var text = new System.Text.StringBuilder();
        if (root.IsHostRoot && FindCommandLine() is { } cmdline) text.Append(cmdline).Append('\n');
        foreach (var envFile in new[] { "/var/lib/kubelet/kubeadm-flags.env", "/etc/default/kubelet", "/etc/sysconfig/kubelet" })
            if (SafeFile.ReadNodeText(root, envFile) is { } flags) text.Append(flags).Append('\n');
        return text.ToString();
    }
}
