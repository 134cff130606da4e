using System.Runtime.CompilerServices;
using System.Text;
using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Node;

/// <summary>
/// Which processes hold container log files open (issue #13 item 3; docs/kubelet-facts.md §11): every process's
/// <c>/proc/&lt;pid&gt;/fd</c> is listed and each descriptor link read relative to a descriptor of that directory; a link
/// that names a regular file in the node's log roots (pod logs, legacy links, docker's containers directory), deleted or
/// not, is a <see cref="LogHandle"/>. Its size comes from statx through the link (which reaches the open file without opening
/// it); nothing is ever opened through a descriptor link, and no process is signalled. A process that exits meanwhile or whose
/// descriptors cannot be read is skipped with one verbose note.
/// </summary>
/// <remarks>
/// The kernel writes a descriptor link as the file's path seen from the reading process's root: with -Root '/' that is the
/// node path; under a mounted -Root it is the local path, and the root's real path is taken off. A /proc of another machine
/// (a node's disk mounted here) describes no process this kernel runs: its descriptor links cannot be read, so nothing is
/// found there. A holder whose mount namespace puts the log directory elsewhere (a shipper with /var/log mounted at
/// /host/var/log) and that is reached from this process's root shows that other path, which is not in the log roots.
/// </remarks>
public static class LogHandleScanner
{
    const string DeletedMark = " (deleted)";

    /// <summary>Test hook: called with each pid just before its descriptors are read (a test ends a process there).</summary>
    [ThreadStatic] internal static Action<int>? BeforeProcess;

    /// <summary>
    /// The processes' open log files. <paramref name="procPath"/> is a local path of a procfs (-ProcPath); null means the
    /// host's /proc for -Root '/', else <c>&lt;Root&gt;/proc</c> (not followed when it is a link). A path that cannot be opened or
    /// is not a procfs is a warning and no records.
    /// </summary>
    public static List<LogHandle> Scan(NodeLayout layout, string? procPath, IPodLogsReporter reporter)
    {
        var root = layout.Root;
        var handles = new List<LogHandle>();
        var chosen = procPath ?? (root.IsHostRoot ? "/proc" : root.ToLocal("/proc"));
        var errno = procPath is null ? Posix.OpenDirectoryForReading(chosen, out var procFd) : OpenFollowing(chosen, out procFd);
        if (errno != 0)
        {
            reporter.Warning($"Open log handles cannot be listed: '{chosen}' cannot be opened ({Posix.Describe(errno)}).{PassProcPath(procPath)}");
            return handles;
        }
        try
        {
            if ((errno = Posix.FileSystemTypeOf(procFd, out var type)) != 0 || type != Posix.ProcSuperMagic)
            {
                reporter.Warning($"Open log handles cannot be listed: '{chosen}' is not a procfs ({(errno != 0 ? Posix.Describe(errno) : $"file system type 0x{type:x}")}).{PassProcPath(procPath)}");
                return handles;
            }
            var localRoot = "";
            if (!root.IsHostRoot)
            {
                if ((errno = Posix.RealPath(root.LocalRoot, out localRoot)) != 0)
                {
                    reporter.Warning($"Open log handles cannot be listed: the root '{root.LocalRoot}' cannot be resolved ({Posix.Describe(errno)}).");
                    return handles;
                }
                if (localRoot == "/") localRoot = "";
            }
            var pids = new List<int>(1024);
            if ((errno = DirectoryReader.ReadNumbers(procFd, pids)) != 0)
            {
                reporter.Warning($"Open log handles cannot be listed: '{chosen}' cannot be read ({Posix.Describe(errno)}).");
                return handles;
            }
            new ProcessWalk(layout, localRoot, Prefixes(layout, localRoot), procFd, reporter, handles).Run(pids);
            return handles;
        }
        finally
        {
            Posix.Close(procFd);
        }
    }

    static string PassProcPath(string? procPath) => procPath is null ? " Pass the node's procfs as -ProcPath." : "";

    static int OpenFollowing(string path, out int fd)
    {
        var errno = Posix.OpenRootDirectory(path, out var anchor);
        if (errno != 0)
        {
            fd = -1;
            return errno;
        }
        errno = Posix.OpenDirectoryForReadingAt(anchor, ".", out fd);
        Posix.Close(anchor);
        return errno;
    }

    /// <summary>The log roots as the kernel spells a descriptor's path (the root's real path, then each directory's spellings).</summary>
    static byte[][] Prefixes(NodeLayout layout, string localRoot)
    {
        var spellings = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in new[] { layout.PodLogsDirectory, layout.ContainerLogsDirectory, layout.DockerContainersDirectory })
        {
            spellings.Add(localRoot + d.Canonical);
            spellings.Add(localRoot + d.Configured);
        }
        return spellings.Select(NameBytes.GetBytes).ToArray();
    }

    sealed class ProcessWalk(NodeLayout layout, string localRoot, byte[][] prefixes, int procFd, IPodLogsReporter reporter, List<LogHandle> handles)
    {
        readonly List<int> _fds = new(256);
        readonly byte[] _target = new byte[4096];

        public void Run(List<int> pids)
        {
            Span<byte> name = stackalloc byte[32];
            foreach (var pid in pids)
            {
                BeforeProcess?.Invoke(pid);
                var n = Format(name, pid, "/fd"u8);
                var errno = Posix.OpenDirectoryForReadingAt(procFd, name[..(n + 1)], out var fdDir);
                if (errno != 0)
                {
                    Skip(pid, errno);
                    continue;
                }
                try
                {
                    _fds.Clear();
                    if ((errno = DirectoryReader.ReadNumbers(fdDir, _fds)) != 0) Skip(pid, errno);
                    else ReadProcess(pid, fdDir);
                }
                finally
                {
                    Posix.Close(fdDir);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void ReadProcess(int pid, int fdDir)
        {
            Span<byte> name = stackalloc byte[16];
            var first = handles.Count;
            foreach (var fd in _fds)
            {
                var n = Format(name, fd, default);
                var fdName = name[..(n + 1)];
                var length = Posix.ReadLinkAtInto(fdDir, fdName, _target);
                if (length < 0)
                {
                    // A descriptor closed since the listing is no handle; a process that went or hides its table is skipped.
                    if (-length == Posix.ENOENT) continue;
                    Drop(pid, first, -length);
                    return;
                }
                var target = _target.AsSpan(0, length);
                if (!IsInLogRoots(target)) continue;
                var statErrno = Posix.StatFollowingAt(fdDir, fdName, out var status, out var links);
                if (statErrno == Posix.ENOENT) continue;
                if (statErrno != 0)
                {
                    Drop(pid, first, statErrno);
                    return;
                }
                if (status.Kind != FileKind.RegularFile) continue;
                handles.Add(MakeHandle(pid, fd, NameBytes.Decode(target), status, links));
            }
            if (handles.Count == first) return;
            // Read only for a holder: most processes hold no log.
            var comm = ReadSmall(pid, "/comm"u8, 64, out var errno);
            if (errno != 0)
            {
                Drop(pid, first, errno);
                return;
            }
            var cgroup = ReadSmall(pid, "/cgroup"u8, 64 * 1024, out _);
            string? podUid = null, containerId = null;
            if (cgroup is not null) KubepodsCgroup.TryParse(cgroup, out podUid, out containerId);
            var processName = comm!.TrimEnd('\n');
            for (var i = first; i < handles.Count; i++)
                handles[i] = handles[i] with { ProcessName = processName, HolderPodUid = podUid, HolderContainerId = containerId };
        }

        bool IsInLogRoots(ReadOnlySpan<byte> target)
        {
            foreach (var prefix in prefixes)
                if (target.Length > prefix.Length && target[prefix.Length] == '/' && target.StartsWith(prefix)) return true;
            return false;
        }

        LogHandle MakeHandle(int pid, int fd, string text, FileStatus status, uint links)
        {
            var path = text;
            var marked = text.EndsWith(DeletedMark, StringComparison.Ordinal);
            // The kernel marks a descriptor whose name was unlinked; a file still linked elsewhere keeps its blocks there, and a
            // name that itself ends in the mark (still naming this very file) is not one.
            if (marked && (links == 0 || !NamesSameFile(text, status))) path = text[..^DeletedMark.Length];
            var nodePath = localRoot.Length == 0 ? path : path[localRoot.Length..];
            var handle = new LogHandle
            {
                ProcessId = pid,
                FileDescriptor = fd,
                Root = layout.Root.LocalRoot,
                Path = nodePath,
                Deleted = marked && links == 0,
                Bytes = status.AllocatedBytes,
                Size = status.Size,
                Device = status.Device,
                Inode = status.Inode,
            };
            return LogIdentity(layout, handle);
        }

        bool NamesSameFile(string text, FileStatus status) =>
            Posix.LStat(text, out var named) == 0 && named.Device == status.Device && named.Inode == status.Inode;

        string? ReadSmall(int pid, ReadOnlySpan<byte> file, int cap, out int errno)
        {
            Span<byte> name = stackalloc byte[32];
            var n = Format(name, pid, file);
            if ((errno = Posix.OpenForScanAt(procFd, name[..(n + 1)], out var fd)) != 0) return null;
            try
            {
                var buffer = new byte[Math.Min(cap, 4096)];
                var total = 0;
                while (true)
                {
                    if (total == buffer.Length)
                    {
                        if (buffer.Length >= cap) break;
                        Array.Resize(ref buffer, Math.Min(cap, buffer.Length * 4));
                    }
                    var got = Posix.PRead(fd, buffer.AsSpan(total), total);
                    if (got < 0)
                    {
                        errno = -got;
                        return null;
                    }
                    if (got == 0) break;
                    total += got;
                }
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
            finally
            {
                Posix.Close(fd);
            }
        }

        void Drop(int pid, int first, int errno)
        {
            handles.RemoveRange(first, handles.Count - first);
            Skip(pid, errno);
        }

        void Skip(int pid, int errno) => reporter.Verbose(errno is Posix.ENOENT or Posix.ESRCH
            ? $"Process {pid} exited during the scan of open log handles; skipped."
            : $"Process {pid}'s open files cannot be read ({Posix.Describe(errno)}); skipped. Reading another process's descriptors needs root or CAP_SYS_PTRACE (in a pod, hostPID too).");

        /// <summary>Writes "&lt;number&gt;&lt;suffix&gt;\0" into <paramref name="buffer"/>; returns the length without the NUL.</summary>
        static int Format(Span<byte> buffer, int number, ReadOnlySpan<byte> suffix)
        {
            number.TryFormat(buffer, out var n);
            suffix.CopyTo(buffer[n..]);
            n += suffix.Length;
            buffer[n] = 0;
            return n;
        }
    }

    /// <summary>The pod and container a log's node path names, by kubelet's and docker's path rules (the path alone; no lookup).</summary>
    public static LogHandle LogIdentity(NodeLayout layout, LogHandle handle)
    {
        var path = handle.Path;
        if (Relative(layout.PodLogsDirectory, path) is { } inPods)
        {
            // <ns>_<pod>_<uid>/<container>/<N>.log[.<suffix>] (docs/kubelet-facts.md §2).
            var parts = inPods.Split('/');
            if (parts.Length != 3 || !KubeletPaths.TryParsePodDirectoryName(parts[0], out var pod)) return handle;
            handle = handle with { Namespace = pod.Namespace, PodName = pod.PodName, PodUid = pod.PodUid };
            if (!KubernetesNames.IsDns1123Label(parts[1])) return handle;
            handle = handle with { ContainerName = parts[1] };
            return KubeletPaths.TryParseContainerLogFileName(parts[2], out var file) ? handle with { RestartCount = file.RestartCount } : handle;
        }
        if (Relative(layout.ContainerLogsDirectory, path) is { } inLegacy)
        {
            if (inLegacy.Contains('/') || !KubeletPaths.TryParseLegacyLinkName(inLegacy, out var legacy)) return handle;
            return handle with
            {
                Namespace = legacy.Namespace, PodName = legacy.PodName, ContainerName = legacy.ContainerName,
                ContainerId = KubernetesNames.IsContainerId(legacy.ContainerIdPart) ? legacy.ContainerIdPart : null,
            };
        }
        if (Relative(layout.DockerContainersDirectory, path) is { } inDocker)
        {
            // <id>/<id>-json.log, or a rotation of it: -json.log.1, .2, … (gzipped with compress; docs/kubelet-facts.md §5).
            var slash = inDocker.IndexOf('/');
            if (slash != DockershimNames.ContainerIdLength || !KubernetesNames.IsContainerId(inDocker.AsSpan(0, slash))) return handle;
            var id = inDocker[..slash];
            var file = inDocker[(slash + 1)..];
            if (!file.StartsWith(id + "-json.log", StringComparison.Ordinal)) return handle;
            var rest = file.AsSpan(id.Length + "-json.log".Length);
            return rest.IsEmpty || rest[0] == '.' ? handle with { ContainerId = id } : handle;
        }
        return handle;
    }

    /// <summary>
    /// Names each holder's pod by its cgroup's uid: the pod directory with that uid (kubelet names it
    /// &lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;, docs/kubelet-facts.md §2) gives its namespace and name; a uid no directory has stays unnamed.
    /// </summary>
    public static List<LogHandle> NameHolders(List<LogHandle> handles, IEnumerable<PodRef> pods)
    {
        if (!handles.Any(h => h.HolderPodUid is not null)) return handles;
        var names = new Dictionary<string, (string Namespace, string PodName)>(StringComparer.Ordinal);
        foreach (var pod in pods)
            if (pod is { PodUid: { } uid, Namespace: { } ns, PodName: { } name }) names.TryAdd(uid, (ns, name));
        for (var i = 0; i < handles.Count; i++)
            if (handles[i].HolderPodUid is { } uid && names.TryGetValue(uid, out var n))
                handles[i] = handles[i] with { HolderNamespace = n.Namespace, HolderPodName = n.PodName };
        return handles;
    }

    static string? Relative(NodeDirectory directory, string path)
    {
        foreach (var spelling in new[] { directory.Canonical, directory.Configured })
            if (path.Length > spelling.Length + 1 && path[spelling.Length] == '/' && path.StartsWith(spelling, StringComparison.Ordinal))
                return path[(spelling.Length + 1)..];
        return null;
    }
}
