using System.Diagnostics;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using PodLogs.Core.Paths;
using PodLogs.Runtime.Cri;
using PodLogs.Runtime.Cri.V1;

namespace PodLogs.Runtime.Tests.Harness;

/// <summary>
/// A private containerd with its CRI plugin, started by the test suite itself (never a system one),
/// standing in for a node's runtime under a fake node root.
/// </summary>
/// <remarks>
/// <para><b>Node paths.</b> The temp directory <c>D/node</c> is the node's '/'. containerd runs in a private
/// mount namespace (<c>unshare --mount --propagation private</c>) in which <c>D/node/var/log</c> is
/// bind-mounted on <c>/var/log</c> and a fresh tmpfs covers <c>/run</c>. So the harness hands
/// containerd the real node paths kubelet would (<c>log_directory = /var/log/pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;</c>),
/// containerd writes the files at <c>D/node/var/log/pods/…</c>, and everything it reports
/// (<c>ContainerStatus.log_path</c>) is node-absolute, exactly as on a node. The emulated kubelet's legacy links
/// hold node-absolute targets too, so <c>-Root D/node</c> sees kubelet's real layout. The test process itself
/// stays in the host namespace and reaches every node path as <c>D/node + path</c>. The CRI socket is at the node
/// path <c>/run/containerd/containerd.sock</c> under the root (containerd's root and state are under <c>D/node</c>
/// as well), so <c>unix:///run/containerd/containerd.sock</c> resolved under <c>-Root D/node</c> reaches it.</para>
/// <para>The tmpfs over <c>/run</c> also keeps containerd's shim sockets (hard-wired to <c>/run/containerd/s</c>)
/// off the host, and the opt plugin directory is under D, so neither <c>/run/containerd</c> nor <c>/opt/containerd</c>
/// is ever created on the host (and none is deleted: another suite's daemon may be using them). Every mount the
/// runtime makes (snapshots, sandbox shm, container rootfs) lives in the private namespace and dies with it.</para>
/// <para>Teardown: stop and remove every CRI pod (kills the tasks), kill and delete any task left, SIGTERM
/// containerd by the pid started here (SIGKILL after 10 s), SIGKILL any shim still serving this socket,
/// unmount anything left under D, delete D.</para>
/// </remarks>
public sealed class ContainerdHarness : IAsyncLifetime
{
    public const string SocketNodePath = "/run/containerd/containerd.sock";
    public const string Endpoint = "unix://" + SocketNodePath;
    public const string BusyboxImage = "local/busybox:latest";
    public const string PauseImage = "local/pause:latest";
    public const string CriNamespace = "k8s.io";

    readonly bool _importImages;
    readonly bool _criPlugin;
    readonly bool _sharedRoot;
    readonly List<string> _createdInSharedRoot = [];
    Process? _containerd;
    readonly StringBuilder _startErrors = new();
    GrpcChannel? _channel;

    public ContainerdHarness() : this(importImages: true) { }

    /// <param name="importImages">Build and import local/busybox and local/pause (needed to run pods).</param>
    /// <param name="criPlugin">False disables the CRI plugin, as dockerd's own containerd has it.</param>
    /// <param name="nodeRoot">
    /// An existing node root to share instead of <c>D/node</c> (for example <see cref="NodeNamespace.Root"/>, so
    /// dockershim's and containerd's pods live on one node). The harness then removes only what it made there
    /// (containerd's root and state); the node's /var/log stays with its owner.
    /// </param>
    internal ContainerdHarness(bool importImages, bool criPlugin = true, string? nodeRoot = null)
    {
        _importImages = importImages && criPlugin;
        _criPlugin = criPlugin;
        Directory = System.IO.Directory.CreateTempSubdirectory("podlogs-cri-").FullName;
        _sharedRoot = nodeRoot is not null;
        NodeRoot = nodeRoot is null ? Path.Combine(Directory, "node") : Path.TrimEndingDirectorySeparator(Path.GetFullPath(nodeRoot));
    }

    /// <summary>The harness's private directory (D).</summary>
    public string Directory { get; }
    /// <summary>The fake node's '/': pass it as -Root.</summary>
    public string NodeRoot { get; }
    public string SocketPath => ToLocal(SocketNodePath);
    public string ConfigPath => Path.Combine(Directory, "containerd.toml");
    public string LogFile => Path.Combine(Directory, "containerd.log");
    /// <summary>The pid this harness started (containerd itself: unshare and sh exec it).</summary>
    public int ContainerdPid { get; private set; }
    internal RuntimeService.RuntimeServiceClient Client { get; private set; } = null!;
    internal KubeletEmulator Kubelet { get; private set; } = null!;

    public string ToLocal(string nodePath) => NodeRoot + nodePath;

    /// <summary>TOML appended to the generated config (tests of the harness itself).</summary>
    internal string ExtraConfig { get; init; } = "";

    /// <summary>
    /// The node's time zone (TZ of containerd's process, e.g. Europe/Berlin): containerd stamps CRI lines with
    /// the node's local time. Null: the suite's own TZ (UTC on the build machines).
    /// </summary>
    internal string? TimeZone { get; init; }

    public async Task InitializeAsync()
    {
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    async Task StartAsync()
    {
        var missing = new[] { "containerd", "ctr", "unshare", "mount", "containerd-shim-runc-v2", "runc" }.Where(p => ProcessRunner.Which(p) is null).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"containerd cannot start: {string.Join(", ", missing)} not found on PATH " +
                "(apt-get install containerd runc busybox-static; util-linux gives unshare and mount).");
        foreach (var dir in new[] { "/var/log/pods", "/var/log/containers", "/run/containerd", "/var/lib/containerd" })
        {
            if (_sharedRoot && dir is "/run/containerd" or "/var/lib/containerd" && !System.IO.Directory.Exists(ToLocal(dir)))
                _createdInSharedRoot.Add(ToLocal(dir));
            System.IO.Directory.CreateDirectory(ToLocal(dir));
        }
        File.WriteAllText(ConfigPath, BuildConfig());

        // unshare (no --fork) execs sh, which execs containerd: the pid started here is containerd's.
        // containerd's own output goes to LogFile; unshare's and mount's errors come through the pipe.
        var psi = new ProcessStartInfo("unshare") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (TimeZone is not null) psi.Environment["TZ"] = TimeZone;
        foreach (var a in new[]
                 {
                     "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                     "mount --bind \"$1\" /var/log && mount -t tmpfs -o mode=0755 podlogs-run /run && exec containerd --config \"$2\" >\"$3\" 2>&1",
                     "sh", ToLocal("/var/log"), ConfigPath, LogFile,
                 })
            psi.ArgumentList.Add(a);
        _containerd = Process.Start(psi) ?? throw new InvalidOperationException("containerd cannot start: unshare did not start.");
        ContainerdPid = _containerd.Id;
        _containerd.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_startErrors) _startErrors.AppendLine(e.Data); };
        _containerd.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_startErrors) _startErrors.AppendLine(e.Data); };
        _containerd.BeginOutputReadLine();
        _containerd.BeginErrorReadLine();

        await WaitForSocketAsync(TimeSpan.FromSeconds(30));
        _channel = CriEndpoint.CreateChannel(SocketPath);
        Client = new RuntimeService.RuntimeServiceClient(_channel);
        Kubelet = new KubeletEmulator(Client, NodeRoot);

        if (_importImages)
        {
            var tar = Path.Combine(Directory, "images.tar");
            OciImageBuilder.WriteLayoutTar(tar, new Dictionary<string, string[]>
            {
                [BusyboxImage] = ["/bin/sh"],
                [PauseImage] = ["/bin/sleep", "2147483647"],
            });
            Ctr(TimeSpan.FromSeconds(120), "images", "import", tar).EnsureSuccess();
        }
    }

    string BuildConfig()
    {
        static string Q(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        var cri = "plugins.\"io.containerd.grpc.v1.cri\"";
        var disabled = _criPlugin ? "" : "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]";
        return $"""
            version = 2
            {disabled}
            root = {Q(ToLocal("/var/lib/containerd"))}
            state = {Q(ToLocal("/run/containerd"))}

            [grpc]
              address = {Q(SocketPath)}
            [ttrpc]
              address = {Q(SocketPath + ".ttrpc")}

            [plugins."io.containerd.internal.v1.opt"]
              path = {Q(Path.Combine(Directory, "opt"))}

            [{cri}]
              sandbox_image = {Q(PauseImage)}
              # Required here: without CAP_SYS_RESOURCE runc fails with "can't get final child's PID from pipe".
              restrict_oom_score_adj = true
              stream_server_address = "127.0.0.1"
              stream_server_port = "0"
              [{cri}.cni]
                bin_dir = {Q(Path.Combine(Directory, "cni", "bin"))}
                conf_dir = {Q(Path.Combine(Directory, "cni", "net.d"))}
              [{cri}.containerd.runtimes.runc]
                runtime_type = "io.containerd.runc.v2"
                [{cri}.containerd.runtimes.runc.options]
                  Root = {Q(Path.Combine(Directory, "runc"))}
            {ExtraConfig}
            """;
    }

    async Task WaitForSocketAsync(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_containerd!.HasExited)
            {
                _containerd.WaitForExit();   // drains the pipes
                string early;
                lock (_startErrors) early = _startErrors.ToString().Trim();
                throw new InvalidOperationException($"containerd exited with code {_containerd.ExitCode} before its socket appeared" +
                    (early.Length > 0 ? $" (unshare/mount said: {early}; the harness needs root with CAP_SYS_ADMIN for a private mount namespace)" : "") +
                    $". {LogTail()}");
            }
            if (File.Exists(SocketPath))
            {
                using var channel = CriEndpoint.CreateChannel(SocketPath);
                try
                {
                    await new RuntimeService.RuntimeServiceClient(channel).VersionAsync(new VersionRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                    return;
                }
                catch (RpcException ex) when (!_criPlugin && ex.StatusCode == StatusCode.Unimplemented)
                {
                    return;   // containerd answers; it just has no CRI service, as asked.
                }
                catch (RpcException) when (DateTime.UtcNow < until) { }
            }
            if (DateTime.UtcNow > until)
                throw new InvalidOperationException($"containerd's CRI service did not answer on {SocketPath} within {timeout.TotalSeconds} s. {LogTail()}");
            await Task.Delay(50);
        }
    }

    public string LogTail(int lines = 25)
    {
        try
        {
            var all = File.ReadAllLines(LogFile);
            return "containerd's log (" + LogFile + "), last lines:\n" + string.Join('\n', all.TakeLast(lines));
        }
        catch (IOException) { return "(no containerd log)"; }
    }

    public ProcessResult Ctr(TimeSpan timeout, params string[] args) =>
        ProcessRunner.Run("ctr", new[] { "--address", SocketPath, "--namespace", CriNamespace }.Concat(args), timeout);

    public async Task DisposeAsync()
    {
        var problems = new List<string>();
        if (_containerd is { HasExited: false } && _criPlugin)
        {
            await RemoveAllPodsAsync(problems);
            KillRemainingTasks(problems);
        }
        _channel?.Dispose();
        if (_containerd is not null)
        {
            if (!_containerd.HasExited) Signals.Send(ContainerdPid, Signals.SIGTERM);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _containerd.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException)
            {
                problems.Add("containerd ignored SIGTERM for 10 s; killed");
                Signals.Send(ContainerdPid, Signals.SIGKILL);
                await _containerd.WaitForExitAsync();
            }
            _containerd.Dispose();
            _containerd = null;
        }
        await KillOwnShimsAsync();
        UnmountLeftovers(Directory);
        foreach (var own in _createdInSharedRoot)
        {
            UnmountLeftovers(own);
            DeleteDirectory(own);
        }
        DeleteDirectory(Directory);
        if (problems.Count > 0) Console.Error.WriteLine("ContainerdHarness teardown: " + string.Join("; ", problems));
    }

    async Task RemoveAllPodsAsync(List<string> problems)
    {
        if (Client is null) return;
        try
        {
            var deadline = () => DateTime.UtcNow.AddSeconds(30);
            var pods = await Client.ListPodSandboxAsync(new ListPodSandboxRequest(), deadline: deadline());
            foreach (var pod in pods.Items)
            {
                await Client.StopPodSandboxAsync(new StopPodSandboxRequest { PodSandboxId = pod.Id }, deadline: deadline());
                await Client.RemovePodSandboxAsync(new RemovePodSandboxRequest { PodSandboxId = pod.Id }, deadline: deadline());
            }
        }
        catch (RpcException ex)
        {
            problems.Add("removing CRI pods: " + ex.Status.Detail);
        }
    }

    void KillRemainingTasks(List<string> problems)
    {
        try
        {
            var tasks = Ctr(TimeSpan.FromSeconds(20), "tasks", "ls", "--quiet").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var task in tasks)
            {
                problems.Add($"task {task} outlived its pod");
                Ctr(TimeSpan.FromSeconds(20), "tasks", "kill", "--signal", "SIGKILL", "--all", task);
                Ctr(TimeSpan.FromSeconds(20), "tasks", "delete", "--force", task);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            problems.Add("listing tasks: " + ex.Message);
        }
    }

    /// <summary>Shims serving this harness's socket (their command line names it): processes this harness caused, killed by pid.</summary>
    async Task KillOwnShimsAsync()
    {
        var marker = Encoding.UTF8.GetBytes("\0-address\0" + SocketPath + "\0");
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            byte[] cmdline;
            try { cmdline = File.ReadAllBytes(Path.Combine(dir, "cmdline")); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { continue; }
            if (cmdline.AsSpan().IndexOf(marker) < 0) continue;
            Signals.Send(pid, Signals.SIGKILL);
            await Signals.WaitForExitAsync(pid, TimeSpan.FromSeconds(5));
        }
    }

    static void UnmountLeftovers(string directory)
    {
        string[] mountInfo;
        try { mountInfo = File.ReadAllLines("/proc/self/mountinfo"); }
        catch (IOException) { return; }
        var prefix = directory + "/";
        var points = mountInfo.Select(l => l.Split(' ')).Where(f => f.Length > 4).Select(f => Unescape(f[4]))
            .Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).OrderByDescending(p => p.Length);
        foreach (var point in points)
            ProcessRunner.Run("umount", ["--lazy", point], TimeSpan.FromSeconds(10));
    }

    static string Unescape(string mountInfoField) =>
        System.Text.RegularExpressions.Regex.Replace(mountInfoField, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());

    static void DeleteDirectory(string path)
    {
        if (!System.IO.Directory.Exists(path)) return;
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ProcessRunner.Run("rm", ["-rf", "--one-file-system", path], TimeSpan.FromSeconds(60));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ContainerdCollection : ICollectionFixture<ContainerdHarness>
{
    public const string Name = "containerd";
}
