using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Logs;

/// <summary>One file of a container's log stream.</summary>
/// <param name="Path">Local path (under -Root).</param>
/// <param name="Compressed">A .gz segment: read through GZipStream, never seeked.</param>
/// <param name="Live">The file the runtime writes now (N.log or &lt;id&gt;-json.log).</param>
public sealed record LogSegment(string Path, bool Compressed, bool Live)
{
    /// <summary>Read only this many bytes: the part of a followed live file that comes before following (<see cref="LogFollower.Begin"/>).</summary>
    public long? Length { get; init; }

    /// <summary>The live file as a follower holds it, read through this descriptor: it may have been rotated away from <see cref="Path"/> since.</summary>
    internal SafeFileHandle? Held { get; init; }

    /// <summary>
    /// Where the file is under -Root (null for a file a user named on this machine): every open walks the directory
    /// the check resolved from a descriptor of the root, so a directory swapped for a link since is never followed.
    /// </summary>
    public LogDoor? Door { get; init; }

    /// <summary>The size to read: <see cref="Length"/> when set, else the file's size now (0 when it is gone).</summary>
    internal long Size => Length ?? (LogFileOpener.LStat(Path, Door, out var st) == 0 ? st.Size : 0);
}
