using System.Diagnostics;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// The test node: a temp directory bind-mounted over the node paths (/var/log, /var/lib/docker) inside
/// the private mount namespace build.ps1 runs this suite in (<c>unshare --mount --propagation private</c>),
/// so daemons write kubelet's real paths, links hold real node-absolute targets, and the host never
/// sees any of it. The same tree is also reachable under <see cref="Root"/> for -Root tests.
/// </summary>
public sealed class NodeNamespace : IDisposable
{
    static readonly string[] MountPoints = ["/var/log", "/var/lib/docker"];
    readonly List<string> _mounted = [];
    readonly bool _createdDockerDir;

    public NodeNamespace()
    {
        if (File.ReadAllText("/proc/self/mountinfo").Length == 0 || SameMountNamespaceAsInit())
            throw new InvalidOperationException(
                "The runtime integration tests must run in a private mount namespace: they bind-mount a test tree over /var/log and /var/lib/docker. " +
                "Run them through 'dotnet pwsh ./build.ps1 Test' (which uses 'unshare --mount --propagation private'), as root.");
        Root = Directory.CreateTempSubdirectory("podlogs-node-").FullName;
        _createdDockerDir = !Directory.Exists("/var/lib/docker");
        foreach (var mountPoint in MountPoints)
        {
            var source = Path.Join(Root, mountPoint);
            Directory.CreateDirectory(source);
            Directory.CreateDirectory(mountPoint);
            Run("mount", "--bind", source, mountPoint);
            _mounted.Add(mountPoint);
        }
        Directory.CreateDirectory("/var/log/pods");
        Directory.CreateDirectory("/var/log/containers");
    }

    /// <summary>The temp directory holding the node tree (also usable as -Root).</summary>
    public string Root { get; }

    /// <summary>A scratch directory beside the node tree for sockets, pid files and exec roots.</summary>
    public string Scratch(string name)
    {
        var path = Path.Join(Root, ".scratch", name);
        Directory.CreateDirectory(path);
        return path;
    }

    static bool SameMountNamespaceAsInit()
    {
        try
        {
            return new FileInfo("/proc/self/ns/mnt").LinkTarget == new FileInfo("/proc/1/ns/mnt").LinkTarget;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr}");
        return stdout.Result;
    }

    public void Dispose()
    {
        for (var i = _mounted.Count - 1; i >= 0; i--)
        {
            try { Run("umount", "-l", _mounted[i]); } catch (InvalidOperationException) { }
        }
        if (_createdDockerDir) try { Directory.Delete("/var/lib/docker"); } catch (IOException) { }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
