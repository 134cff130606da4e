using PodLogs.Core.Native;
using PodLogs.Core.Runtime;

namespace PodLogs.Core.Inspection;

/// <summary>How reasons and refusals name files and containers.</summary>
static class VerdictText
{
    public const int ShortIdLength = 12;

    static readonly string[] StateWords = Enum.GetNames<ContainerState>().Select(n => n.ToLowerInvariant()).ToArray();

    /// <summary>A container id as docker and kubectl show it: its first 12 characters.</summary>
    public static string Short(string id) => id.Length > ShortIdLength ? id[..ShortIdLength] : id;

    public static string Describe(RuntimeContainer c) => $"container {Short(c.Id)} ({c.ContainerName}, restart {c.RestartCount}, {StateWords[(int)c.State]})";

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "FIFO",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        FileKind.RegularFile => "regular file",
        FileKind.Directory => "directory",
        FileKind.SymbolicLink => "symbolic link",
        _ => "special file",
    };
}
