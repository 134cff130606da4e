using System.Diagnostics;
using System.Runtime.InteropServices;
using PodLogs.Core.Node;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #13 item 3: real processes holding log files under a temporary -Root (this machine's /proc describes them, so the
/// scan reads -ProcPath /proc and takes the root's real path off the descriptor links).
/// </summary>
public sealed class LogHandleScannerTests : IDisposable
{
    const string Uid = "0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f";
    static readonly string Id = new('c', 64);
    readonly string _root = Directory.CreateTempSubdirectory("podlogs-handles-").FullName;
    readonly List<Process> _processes = [];

    string Local(string nodePath) => _root + nodePath;
    static string PodFile(int n) => KubeletPaths.BuildContainerLogFile("/var/log/pods", "logging", "web-7f9c", Uid, "app", n);
    static string LegacyFile => KubeletPaths.LegacyLinkPath("/var/log/containers", "web-7f9c", "logging", "app", Id);
    static string JsonLog => DockershimNames.JsonLogPath("/var/lib/docker", Id);
    const string Outside = "/var/tmp/outside.log";

    public LogHandleScannerTests()
    {
        foreach (var p in new[] { PodFile(0), PodFile(1), LegacyFile, JsonLog + ".1", Outside })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Local(p))!);
            var bytes = new byte[100_000];
            Random.Shared.NextBytes(bytes);
            File.WriteAllBytes(Local(p), bytes);
        }
    }

    public void Dispose()
    {
        LogHandleScanner.BeforeProcess = null;
        foreach (var p in _processes)
        {
            try { if (!p.HasExited) p.Kill(); p.WaitForExit(); } catch (InvalidOperationException) { }
            p.Dispose();
        }
        Directory.Delete(_root, true);
    }

    /// <summary>A `sleep` holding the given files open on descriptors 3, 4, …, started through /bin/sh's exec redirections.</summary>
    Process Hold(params string[] nodePaths)
    {
        var redirections = string.Join(' ', nodePaths.Select((_, i) => $"{i + 3}<\"${{{i + 1}}}\""));
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"exec {redirections}; exec sleep 300");
        start.ArgumentList.Add("sh");
        foreach (var p in nodePaths) start.ArgumentList.Add(Local(p));
        var process = Process.Start(start)!;
        _processes.Add(process);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (File.ReadAllText($"/proc/{process.Id}/comm").Trim() != "sleep" || Directory.GetFiles($"/proc/{process.Id}/fd").Length < 3 + nodePaths.Length)
        {
            Assert.True(DateTime.UtcNow < deadline, "the holder did not start");
            Thread.Sleep(20);
        }
        return process;
    }

    List<LogHandle> Scan(CollectingReporter reporter, string? procPath = "/proc") =>
        LogHandleScanner.Scan(NodeLayout.Load(new NodeLayoutOptions { Root = _root }, new CollectingReporter()), procPath, reporter);

    [Fact]
    public void Finds_live_and_deleted_logs_with_their_kubelet_identity_and_skips_files_outside_the_log_roots()
    {
        var holder = Hold(PodFile(0), PodFile(1), LegacyFile, JsonLog + ".1", Outside);
        File.Delete(Local(PodFile(1)));
        var reporter = new CollectingReporter();

        var mine = Scan(reporter).Where(h => h.ProcessId == holder.Id).OrderBy(h => h.FileDescriptor).ToList();

        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
        Assert.Equal([PodFile(0), PodFile(1), LegacyFile, JsonLog + ".1"], mine.Select(h => h.Path));
        Assert.Equal([3, 4, 5, 6], mine.Select(h => h.FileDescriptor));
        Assert.All(mine, h => Assert.Equal("sleep", h.ProcessName));
        Assert.All(mine, h => Assert.Equal(_root, h.Root));
        Assert.Equal([false, true, false, false], mine.Select(h => h.Deleted));
        var deleted = mine[1];
        Assert.True(deleted.Bytes > 0, "a deleted file's blocks stay allocated while it is held");
        Assert.Equal(100_000, deleted.Size);
        Assert.Equal(("logging", "web-7f9c", Uid, "app", (int?)1), (deleted.Namespace, deleted.PodName, deleted.PodUid, deleted.ContainerName, deleted.RestartCount));
        Assert.Equal(0, mine[0].RestartCount);
        Assert.Equal(("logging", "web-7f9c", "app", Id), (mine[2].Namespace, mine[2].PodName, mine[2].ContainerName, mine[2].ContainerId));
        Assert.Equal(Id, mine[3].ContainerId);
        Assert.Null(mine[3].PodName);
        // This test's own sleep runs in no kubelet pod cgroup.
        Assert.All(mine, h => Assert.Null(h.HolderPodUid));
    }

    [Fact]
    public void A_log_reached_through_a_legacy_link_is_reported_at_the_file_it_names()
    {
        var link = KubeletPaths.LegacyLinkPath("/var/log/containers", "web-7f9c", "logging", "app", new string('d', 64));
        // A relative link (kubelet writes absolute ones, which under a temporary root would name this machine's /var/log).
        File.CreateSymbolicLink(Local(link), "../pods/" + Path.GetRelativePath("/var/log/pods", PodFile(0)));
        var holder = Hold(link);
        var reporter = new CollectingReporter();

        var mine = Scan(reporter).Where(h => h.ProcessId == holder.Id).ToList();

        Assert.Equal([PodFile(0)], mine.Select(h => h.Path));
        Assert.False(mine[0].Deleted);
    }

    [Fact]
    public void With_root_slash_the_hosts_proc_is_read_and_paths_are_the_hosts_own()
    {
        // The pod logs directory moved (-PodLogsDirectory) to this test's directory on this machine's '/'.
        var podLogs = Local("/var/log/pods");
        var holder = Hold(PodFile(0), PodFile(1));
        File.Delete(Local(PodFile(1)));
        var layout = NodeLayout.Load(new NodeLayoutOptions { Root = "/", PodLogsDirectory = podLogs }, new CollectingReporter());
        var reporter = new CollectingReporter();

        var mine = LogHandleScanner.Scan(layout, procPath: null, reporter).Where(h => h.ProcessId == holder.Id).OrderBy(h => h.FileDescriptor).ToList();

        Assert.Empty(reporter.Warnings);
        Assert.Equal([Local(PodFile(0)), Local(PodFile(1))], mine.Select(h => h.Path));
        Assert.Equal([false, true], mine.Select(h => h.Deleted));
        Assert.All(mine, h => Assert.Equal(("logging", "web-7f9c", "app"), (h.Namespace, h.PodName, h.ContainerName)));
        Assert.All(mine, h => Assert.Equal("/", h.Root));
    }

    [Fact]
    public void A_root_named_through_a_link_gives_node_paths()
    {
        var link = _root + "-link";
        File.CreateSymbolicLink(link, _root);
        try
        {
            var holder = Hold(PodFile(0));
            var layout = NodeLayout.Load(new NodeLayoutOptions { Root = link }, new CollectingReporter());
            var reporter = new CollectingReporter();

            var mine = LogHandleScanner.Scan(layout, "/proc", reporter).Where(h => h.ProcessId == holder.Id).ToList();

            Assert.Equal([PodFile(0)], mine.Select(h => h.Path));
            Assert.Equal(link, mine[0].Root);
        }
        finally
        {
            File.Delete(link);
        }
    }

    [Fact]
    public void A_file_whose_own_name_ends_in_the_deleted_mark_is_not_deleted()
    {
        var hostile = NodePath.Parent(PodFile(0)) + "/0.log (deleted)";
        File.WriteAllText(Local(hostile), "x");
        var holder = Hold(hostile, PodFile(0));
        File.Delete(Local(PodFile(0)));
        var reporter = new CollectingReporter();

        var mine = Scan(reporter).Where(h => h.ProcessId == holder.Id).OrderBy(h => h.FileDescriptor).ToList();

        Assert.Equal([hostile, PodFile(0)], mine.Select(h => h.Path));
        Assert.Equal([false, true], mine.Select(h => h.Deleted));
        Assert.Null(mine[0].RestartCount);
        Assert.Equal(0, mine[1].RestartCount);
    }

    [Fact]
    public void A_process_that_exits_during_the_scan_is_skipped_with_one_verbose_note_and_no_error()
    {
        var victim = Hold(PodFile(0));
        var survivor = Hold(PodFile(1));
        LogHandleScanner.BeforeProcess = pid =>
        {
            if (pid != victim.Id) return;
            victim.Kill();
            victim.WaitForExit();
        };
        var reporter = new CollectingReporter();

        var handles = Scan(reporter);

        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
        Assert.DoesNotContain(handles, h => h.ProcessId == victim.Id);
        Assert.Contains(handles, h => h.ProcessId == survivor.Id && h.Path == PodFile(1));
        Assert.Single(reporter.VerboseMessages, m => m.Contains($"Process {victim.Id} exited", StringComparison.Ordinal));
    }

    [DllImport("libc", SetLastError = true)]
    static extern long syscall(long number, long a, long b, long c);

    /// <summary>setresuid for the calling thread only (the raw system call; glibc's wrapper would change every thread).</summary>
    static void SetThreadUids(long real, long effective)
    {
        var number = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 117 : 147;
        Assert.True(syscall(number, real, effective, 0) == 0, $"setresuid failed: {Marshal.GetLastPInvokeError()}");
    }

    [Fact]
    public void Processes_whose_descriptors_cannot_be_read_are_skipped_with_one_verbose_note_each()
    {
        // As root, one thread becomes "nobody" and root's processes (this test's holder) deny it their descriptors; run
        // unprivileged, init (root's) does.
        var asRoot = Environment.IsPrivilegedProcess;
        var holder = Hold(PodFile(0));
        var denied = asRoot ? holder.Id : 1;
        var layout = NodeLayout.Load(new NodeLayoutOptions { Root = _root }, new CollectingReporter());
        var reporter = new CollectingReporter();
        List<LogHandle>? handles = null;
        Exception? failure = null;
        // Only this thread changes (saved uid root, to come back).
        var thread = new Thread(() =>
        {
            try
            {
                if (asRoot) SetThreadUids(65534, 65534);
                try { handles = LogHandleScanner.Scan(layout, "/proc", reporter); }
                finally { if (asRoot) SetThreadUids(0, 0); }
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();

        Assert.Null(failure);
        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
        Assert.DoesNotContain(handles!, h => h.ProcessId == denied);
        Assert.Single(reporter.VerboseMessages, m => m.StartsWith($"Process {denied}'s open files cannot be read (permission denied)", StringComparison.Ordinal));
        // One note per process at most, never one per descriptor.
        var noted = reporter.VerboseMessages.Select(m => m.Split(' ')[1]).ToList();
        Assert.Equal(noted.Count, noted.Distinct().Count());
    }

    [Fact]
    public void A_proc_path_that_is_not_a_procfs_is_a_warning_and_no_records()
    {
        Hold(PodFile(0));
        var reporter = new CollectingReporter();

        Assert.Empty(Scan(reporter, _root));

        Assert.Empty(reporter.Errors);
        Assert.Contains(reporter.Warnings, w => w.Contains("is not a procfs", StringComparison.Ordinal) && w.Contains(_root, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_proc_path_a_mounted_root_without_its_own_procfs_is_a_warning()
    {
        var reporter = new CollectingReporter();
        Assert.Empty(Scan(reporter, procPath: null));
        Assert.Contains(reporter.Warnings, w => w.Contains(_root + "/proc", StringComparison.Ordinal) && w.Contains("-ProcPath", StringComparison.Ordinal));

        // A link there is not followed to this machine's /proc: the root's processes are not this machine's.
        File.CreateSymbolicLink(Local("/proc"), "/proc");
        reporter = new CollectingReporter();
        Assert.Empty(Scan(reporter, procPath: null));
        Assert.Single(reporter.Warnings);
    }

    public static TheoryData<string, string?, string?> Cgroups() => new()
    {
        // cgroup v2, systemd driver: containerd, CRI-O, docker (cri-dockerd); the uid's '-' escaped as '_'.
        { "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b9e6a52_3c1d_4a8e_9f3e_5d2c1b0a9e8f.slice/cri-containerd-" + new string('a', 64) + ".scope\n", Uid, new string('a', 64) },
        { "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0b9e6a52_3c1d_4a8e_9f3e_5d2c1b0a9e8f.slice/crio-" + new string('b', 64) + ".scope\n", Uid, new string('b', 64) },
        { "0::/kubepods.slice/kubepods-pod0b9e6a52_3c1d_4a8e_9f3e_5d2c1b0a9e8f.slice/docker-" + new string('c', 64) + ".scope\n", Uid, new string('c', 64) },
        // cgroup v2, cgroupfs driver: the bare id under pod<uid>; Guaranteed pods have no QoS level.
        { "0::/kubepods/burstable/pod0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f/" + new string('d', 64) + "\n", Uid, new string('d', 64) },
        { "0::/kubepods/pod0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f/crio-" + new string('e', 64) + "\n", Uid, new string('e', 64) },
        // cgroup v1: one line per hierarchy, the named systemd hierarchy and the controllers.
        { "12:pids:/kubepods/besteffort/pod0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f/" + new string('f', 64) + "\n11:memory:/kubepods/besteffort/pod0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f/" + new string('f', 64) + "\n1:name=systemd:/kubepods/besteffort/pod0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f/" + new string('f', 64) + "\n", Uid, new string('f', 64) },
        { "5:cpu,cpuacct:/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b9e6a52_3c1d_4a8e_9f3e_5d2c1b0a9e8f.slice/docker-" + new string('1', 64) + ".scope\n", Uid, new string('1', 64) },
        // A static pod's uid is its 32-hex config hash.
        { "0::/kubepods/burstable/pod" + new string('9', 32) + "/" + new string('2', 64) + "\n", new string('9', 32), new string('2', 64) },
        // A process in the pod's cgroup itself names the pod only; CRI-O's conmon monitor is no container.
        { "0::/kubepods/burstable/pod0b9e6a52-3c1d-4a8e-9f3e-5d2c1b0a9e8f\n", Uid, null },
        { "0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0b9e6a52_3c1d_4a8e_9f3e_5d2c1b0a9e8f.slice/crio-conmon-" + new string('3', 64) + ".scope\n", Uid, null },
    };

    [Theory]
    [MemberData(nameof(Cgroups))]
    public void Kubelet_pod_cgroups_name_the_holders_pod_and_container(string cgroup, string? podUid, string? containerId)
    {
        Assert.True(KubepodsCgroup.TryParse(cgroup, out var uid, out var id));
        Assert.Equal((podUid, containerId), (uid, id));
    }

    [Theory]
    [InlineData("0::/user.slice/user-0.slice/session-1.scope\n")]
    [InlineData("0::/system.slice/docker-cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.scope\n")]
    [InlineData("0::/\n")]
    [InlineData("")]
    [InlineData("garbage without colons\n")]
    public void Cgroups_outside_kubepods_name_nothing(string cgroup)
    {
        Assert.False(KubepodsCgroup.TryParse(cgroup, out var uid, out var id));
        Assert.Null(uid);
        Assert.Null(id);
    }

    [Theory]
    [InlineData("0::/kubepods/burstable/podnot-a-uid/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n")]
    [InlineData("0::/kubepods/burstable/pod../cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc\n")]
    [InlineData("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod0B9E6A52_3C1D_4A8E_9F3E_5D2C1B0A9E8F.slice/cri-containerd-x.scope\n")]
    public void A_kubepods_path_with_no_valid_pod_uid_names_no_pod_and_no_container(string cgroup)
    {
        Assert.True(KubepodsCgroup.TryParse(cgroup, out var uid, out var id));
        Assert.Null(uid);
        Assert.Null(id);
    }

    [Fact]
    public void A_holders_pod_uid_is_named_by_the_pod_directory_with_that_uid_and_an_unknown_uid_stays_unnamed()
    {
        const string shipperUid = "7d1f0c2e-5b4a-4e3d-9c8b-1a2b3c4d5e6f";
        Directory.CreateDirectory(Local("/var/log/pods/" + KubeletPaths.PodDirectoryName("logging", "fluent-bit-x7k2p", shipperUid)));
        var layout = NodeLayout.Load(new NodeLayoutOptions { Root = _root }, new CollectingReporter());
        var pods = new Inspection.PodDirectoryScanner(layout, new CollectingReporter()).Enumerate(Inspection.LogSelection.All);
        List<LogHandle> handles =
        [
            new() { Path = PodFile(0), HolderPodUid = shipperUid },
            new() { Path = PodFile(0), HolderPodUid = "11111111-2222-4333-8444-555555555555" },
            new() { Path = PodFile(1) },
        ];
        var named = LogHandleScanner.NameHolders(handles, pods);
        Assert.Equal(("logging", "fluent-bit-x7k2p"), (named[0].HolderNamespace, named[0].HolderPodName));
        Assert.Null(named[1].HolderPodName);
        Assert.Null(named[1].HolderNamespace);
        Assert.Null(named[2].HolderPodName);
    }
}
