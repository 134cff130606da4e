using System.Diagnostics;
using Docker.DotNet;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// A real dockerd on private sockets and roots: data root /var/lib/docker (bind-mounted from the test
/// node), exec root, pid file and socket under the test's scratch directory, no networking, vfs storage.
/// An image local/busybox:latest is imported from busybox-static, so containers run and write real
/// json-file logs. Stopped by the pid it started; everything it leaves is removed.
/// With a config file (a daemon.json the test wrote under the node root), dockerd reads it with --config-file, as
/// it reads /etc/docker/daemon.json on a node.
/// </summary>
public sealed class DockerDaemon : IDisposable
{
    readonly Process _process;
    readonly string _scratch;

    public DockerDaemon(NodeNamespace node, string? configFile = null)
    {
        _scratch = node.Scratch("docker");
        Socket = Path.Join(_scratch, "docker.sock");
        var dockerd = FindExecutable("dockerd");
        var psi = new ProcessStartInfo(dockerd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[]
                 {
                     "--data-root", "/var/lib/docker", "--exec-root", Path.Join(_scratch, "exec"), "--pidfile", Path.Join(_scratch, "dockerd.pid"),
                     "-H", "unix://" + Socket, "--iptables=false", "--ip6tables=false", "--ip-forward=false", "--ip-masq=false",
                     "--bridge=none", "--userland-proxy=false", "--storage-driver", "vfs", "--log-driver", "json-file",
                 })
            psi.ArgumentList.Add(a);
        if (configFile is not null)
        {
            psi.ArgumentList.Add("--config-file");
            psi.ArgumentList.Add(configFile);
        }
        _process = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Answers())
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                Stop();
                string text;
                lock (log) text = log.ToString();
                throw new InvalidOperationException($"dockerd did not start (exit {(_process.HasExited ? _process.ExitCode : -1)}). Its log:\n{text}");
            }
            Thread.Sleep(100);
        }
        Client = new DockerClientConfiguration(new Uri("unix://" + Socket)).CreateClient();
        ImportBusybox();
    }

    public string Socket { get; }
    public string Endpoint => "unix://" + Socket;
    public DockerClient Client { get; }
    public const string Image = "local/busybox:latest";
    public bool IsRunning => !_process.HasExited;

    bool Answers()
    {
        if (!File.Exists(Socket)) return false;
        try
        {
            using var c = new DockerClientConfiguration(new Uri("unix://" + Socket), null, TimeSpan.FromSeconds(2)).CreateClient();
            c.System.PingAsync().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    void ImportBusybox()
    {
        var rootfs = Path.Join(_scratch, "rootfs");
        Directory.CreateDirectory(Path.Join(rootfs, "bin"));
        File.Copy(FindExecutable("busybox"), Path.Join(rootfs, "bin", "busybox"), overwrite: true);
        NodeNamespace.Run(Path.Join(rootfs, "bin", "busybox"), "--install", "-s", Path.Join(rootfs, "bin"));
        // The applet links point at the host path of busybox; inside the image it is /bin/busybox.
        foreach (var link in Directory.EnumerateFileSystemEntries(Path.Join(rootfs, "bin")))
            if (new FileInfo(link).LinkTarget is not null)
            {
                File.Delete(link);
                File.CreateSymbolicLink(link, "busybox");
            }
        var tar = Path.Join(_scratch, "busybox.tar");
        NodeNamespace.Run("tar", "-C", rootfs, "-cf", tar, ".");
        using var stream = File.OpenRead(tar);
        Client.Images.CreateImageAsync(new global::Docker.DotNet.Models.ImagesCreateParameters { FromSrc = "-", Repo = "local/busybox", Tag = "latest" },
            stream, null, new Progress<global::Docker.DotNet.Models.JSONMessage>()).GetAwaiter().GetResult();
    }

    /// <summary>SIGTERM by the pid this harness started; waits for it to exit.</summary>
    public void Stop()
    {
        if (_process.HasExited) return;
        NodeNamespace.Run("kill", "-TERM", _process.Id.ToString());
        if (!_process.WaitForExit(20_000)) _process.Kill(entireProcessTree: true);
    }

    public void Dispose()
    {
        if (IsRunning)
        {
            try
            {
                foreach (var c in Client.Containers.ListContainersAsync(new global::Docker.DotNet.Models.ContainersListParameters { All = true }).GetAwaiter().GetResult())
                    Client.Containers.RemoveContainerAsync(c.ID, new global::Docker.DotNet.Models.ContainerRemoveParameters { Force = true }).GetAwaiter().GetResult();
            }
            catch (Exception) { }
        }
        Stop();
        Client?.Dispose();
        _process.Dispose();
        foreach (var leftover in new[] { "/run/docker/plugins", "/etc/docker/key.json" })
            try { if (Directory.Exists(leftover)) Directory.Delete(leftover, true); else File.Delete(leftover); } catch (IOException) { }
    }

    static string FindExecutable(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Concat(["/usr/sbin", "/sbin", "/bin"]))
        {
            var path = Path.Join(dir, name);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException($"'{name}' is not installed: .ci/run installs it (apt packages docker.io and busybox-static).");
    }
}
