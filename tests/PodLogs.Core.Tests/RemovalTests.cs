using PodLogs.Core.Native;
using PodLogs.Core.Paths;
using PodLogs.Core.Removal;
using PodLogs.Core.Repair;

namespace PodLogs.Core.Tests;

/// <summary>
/// Issue #12 item 6: removal of a link or a whole directory tree under the log roots, through descriptors opened with
/// O_NOFOLLOW, on a node whose log directories are absolute links under -Root (the host's own copies are decoys that
/// must stay whole). Refusals outside the roots, of a root, of a regular file, through a linked parent; races that swap
/// the entry or a parent between the plan and the act.
/// </summary>
public sealed class RemovalTests : IDisposable
{
    readonly FakeNode _node = new();
    readonly LinkedLogRoots _linked;
    readonly DirectoryInfo _canary = Directory.CreateTempSubdirectory("podlogs-canary-");
    static readonly FakeContainer Gone = new("default", "old", FakeNode.Uid2, "app", 0, FakeNode.Id("rm-old"));
    static readonly FakeContainer Live = new("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("rm-web"));
    readonly List<string> _decoys;

    public RemovalTests()
    {
        _node.Healthy(Gone);
        _node.Healthy(Live);
        _node.WriteFile(Gone.ContainerDirectory + "/0.log.20260301-100000", new string('r', 30000));
        _node.WriteFile(Gone.ContainerDirectory + "/0.log.20260301-090000.gz", new string('g', 20000));
        _node.WriteFile(Gone.PodDirectory + "/init/0.log", new string('i', 9000));
        _node.WriteFile("/srv/keep/file", "outside the log roots");
        _node.Link(Gone.PodDirectory + "/init/elsewhere", "/srv/keep");
        _node.Link(Gone.ContainerDirectory + "/1.log", "/srv/keep/file");
        File.WriteAllText(Path.Combine(_canary.FullName, "canary"), "must stay");
        _linked = new LinkedLogRoots(_node);
        _linked.LinkAway(decoyBytes: 100);
        _decoys = _linked.Decoys();
    }

    public void Dispose()
    {
        _node.Dispose();
        _linked.Dispose();
        _canary.Delete(recursive: true);
    }

    string Real(string nodePath) => _linked.Real(nodePath);

    sealed record Run(RemovalPlan Plan, List<LogRemovalResult> Removed, CollectingReporter Reporter)
    {
        public IEnumerable<string> ErrorIds => Reporter.Errors.Select(e => e.ErrorId);
    }

    Run Remove(Func<string, string, bool>? shouldProcess, params RemovalRequest[] requests) => Remove(null, shouldProcess, requests);

    Run Remove(Node.NodeLayout? layout, Func<string, string, bool>? shouldProcess, params RemovalRequest[] requests)
    {
        var reporter = new CollectingReporter();
        layout ??= _node.Layout(reporter: reporter);
        var plan = new RemovalPlanner(layout).Plan(requests);
        var removed = new RemovalExecutor(layout, reporter).Execute(plan, shouldProcess ?? ((_, _) => true)).ToList();
        return new Run(plan, removed, reporter);
    }

    Run Remove(params RemovalRequest[] requests) => Remove(null, requests);

    static RemovalRequest LinkAt(string nodePath) => new(nodePath, RemovalKind.Link);
    static RemovalRequest Tree(string nodePath) => new(nodePath, RemovalKind.DirectoryTree);

    bool Exists(string nodePath) => Posix.LStat(Real(nodePath), out _) == 0;

    void AssertOutsideUntouched()
    {
        Assert.Equal(_decoys, _linked.Decoys());
        Assert.Equal("outside the log roots", File.ReadAllText(_node.Local("/srv/keep/file")));
        Assert.Equal("must stay", File.ReadAllText(Path.Combine(_canary.FullName, "canary")));
        Assert.True(Exists(Live.PodLogFile) && Exists(Live.LegacyLink) && Exists(Live.JsonLog));
    }

    [Fact]
    public void A_link_is_removed_and_not_what_it_points_at()
    {
        var r = Remove(LinkAt(Gone.LegacyLink));

        var removed = Assert.Single(r.Removed);
        Assert.Empty(r.Reporter.Errors);
        Assert.Equal((RemovalKind.Link, Gone.LegacyLink, Gone.PodLogFile, 0L, 1), (removed.Kind, removed.NodePath, removed.Target, removed.Bytes, removed.Entries));
        Assert.Equal(_node.Local(Gone.LegacyLink), removed.FullName);
        Assert.False(Exists(Gone.LegacyLink));
        Assert.True(Exists(Gone.PodLogFile) && Exists(Gone.JsonLog));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Real(FakeNode.Legacy), LinkWriter.TempPrefix + "*"));
        AssertOutsideUntouched();
    }

    [Fact]
    public void A_whole_pod_directory_is_removed_with_its_files_and_links_never_following_one()
    {
        var files = Directory.EnumerateFileSystemEntries(Real(Gone.PodDirectory), "*", SearchOption.AllDirectories).ToList();
        var regular = files.Where(f => new FileInfo(f) is { LinkTarget: null } i && !i.Attributes.HasFlag(FileAttributes.Directory)).ToList();
        var allocated = regular.Sum(f => Posix.LStat(f, out var s) == 0 ? s.AllocatedBytes : 0);

        var r = Remove(Tree(Gone.PodDirectory));

        var removed = Assert.Single(r.Removed);
        Assert.Empty(r.Reporter.Errors);
        Assert.Equal(allocated, Assert.Single(r.Plan.Steps).Bytes);
        Assert.Equal(allocated, removed.Bytes);
        Assert.Equal(files.Count + 1, removed.Entries);
        Assert.False(Exists(Gone.PodDirectory));
        // What its links pointed at is untouched: docker's json log, the directory and file outside the roots.
        Assert.True(Exists(Gone.JsonLog) && Exists(Gone.LegacyLink));
        Assert.True(File.Exists(_node.Local("/srv/keep/file")));
        AssertOutsideUntouched();
    }

    [Fact]
    public void A_second_run_changes_nothing_and_WhatIf_removes_nothing()
    {
        var whatIf = Remove((_, _) => false, Tree(Gone.PodDirectory), LinkAt(Gone.LegacyLink));
        Assert.Equal(2, whatIf.Plan.Steps.Count);
        Assert.Empty(whatIf.Removed);
        Assert.True(Exists(Gone.PodDirectory) && Exists(Gone.LegacyLink));

        Assert.Equal(2, Remove(Tree(Gone.PodDirectory), LinkAt(Gone.LegacyLink)).Removed.Count);
        var again = Remove(Tree(Gone.PodDirectory), LinkAt(Gone.LegacyLink));
        Assert.Empty(again.Plan.Steps);
        Assert.Empty(again.Removed);
        Assert.Equal(["LogEntryNotFound", "LogEntryNotFound"], again.ErrorIds);
        AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("/srv/keep", RemovalKind.DirectoryTree, "OutsideLogRoots")]
    [InlineData("/srv/keep/file", RemovalKind.Link, "OutsideLogRoots")]
    [InlineData("/var/lib/docker/image", RemovalKind.DirectoryTree, "OutsideLogRoots")] // docker's data root, not its containers directory
    [InlineData("/var/log/pods/../../../srv/keep", RemovalKind.DirectoryTree, "OutsideLogRoots")]
    [InlineData("var/log/pods/x", RemovalKind.DirectoryTree, "OutsideLogRoots")]
    [InlineData("/var/log/pods", RemovalKind.DirectoryTree, "LogRootNotRemovable")]
    [InlineData("/var/log/containers", RemovalKind.Link, "LogRootNotRemovable")]
    [InlineData("/var/lib/docker/containers", RemovalKind.DirectoryTree, "LogRootNotRemovable")]
    [InlineData("/var/log", RemovalKind.DirectoryTree, "LogRootNotRemovable")]
    [InlineData("/", RemovalKind.DirectoryTree, "LogRootNotRemovable")]
    public void Anything_outside_the_log_roots_and_the_roots_themselves_are_refused(string nodePath, RemovalKind kind, string errorId)
    {
        var r = Remove(new RemovalRequest(nodePath, kind));
        Assert.Empty(r.Plan.Steps);
        Assert.Empty(r.Removed);
        Assert.Equal([errorId], r.ErrorIds);
        Assert.Equal(_node.Local(nodePath == "/" ? "/" : "/" + nodePath.TrimStart('/')), r.Reporter.Errors[0].TargetPath);
        Assert.True(Exists(Gone.PodDirectory) && Exists(FakeNode.PodLogs));
        AssertOutsideUntouched();
    }

    [Fact]
    public void The_canonical_spelling_of_a_linked_root_is_a_root_too()
    {
        var canonical = _node.Layout().PodLogsDirectory.Canonical;
        Assert.NotEqual(FakeNode.PodLogs, canonical);
        Assert.Equal(["LogRootNotRemovable"], Remove(Tree(canonical)).ErrorIds);
        // An entry spelled through the canonical path is the same entry.
        var r = Remove(LinkAt(canonical + Gone.PodLogFile[FakeNode.PodLogs.Length..]));
        Assert.Single(r.Removed);
        Assert.False(Exists(Gone.PodLogFile));
    }

    [Fact]
    public void A_regular_file_is_never_removed_on_its_own_and_the_kind_must_match()
    {
        var rotated = Gone.ContainerDirectory + "/0.log.20260301-100000";
        var compressed = Gone.ContainerDirectory + "/0.log.20260301-090000.gz";
        var r = Remove(LinkAt(rotated), Tree(Gone.LegacyLink), LinkAt(Gone.ContainerDirectory), Tree(compressed), LinkAt(rotated));
        Assert.Empty(r.Plan.Steps);
        Assert.Equal(["RegularFileNotRemoved", "EntryInTheWay", "EntryInTheWay", "RegularFileNotRemoved"], r.ErrorIds);
        Assert.True(Exists(rotated) && Exists(compressed) && Exists(Gone.LegacyLink) && Exists(Gone.ContainerDirectory));
    }

    static RemovalRequest Leftover(string nodePath) => new(nodePath, RemovalKind.LeftoverFile);

    void WriteReal(string nodePath, byte[] bytes) => File.WriteAllBytes(Real(nodePath), bytes);

    static byte[] Gzip(byte[] plain)
    {
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest)) gz.Write(plain);
        return buffer.ToArray();
    }

    [Fact]
    public void Kubelets_leftovers_are_removed_a_tmp_and_a_plain_segment_whose_gz_is_a_whole_copy()
    {
        var lines = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"2026-03-01T10:00:00.{i:D9}Z stdout F line {i}\n")));
        var tmp = Gone.ContainerDirectory + "/0.log.20260301-110000.tmp";
        var plain = Gone.ContainerDirectory + "/0.log.20260301-120000";
        WriteReal(tmp, Gzip(lines)[..100]);
        WriteReal(plain, lines);
        WriteReal(plain + ".gz", Gzip(lines));

        var r = Remove(Leftover(tmp), Leftover(plain));

        if (r.Reporter.Errors.Count > 0) Assert.Fail(string.Join("\n", r.Reporter.Errors.Select(e => e.ErrorId + ": " + e.Message)));
        Assert.Equal([tmp, plain], r.Removed.Select(x => x.NodePath));
        Assert.All(r.Removed, x => Assert.Equal(RemovalKind.LeftoverFile, x.Kind));
        Assert.True(r.Removed[1].Bytes >= lines.Length);
        Assert.False(Exists(tmp) || Exists(plain));
        Assert.True(Exists(plain + ".gz"));
        AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("other")]
    [InlineData("truncated")]
    [InlineData("not gzip")]
    [InlineData("missing")]
    public void A_plain_segment_whose_gz_is_not_a_whole_copy_of_it_is_kept(string gz)
    {
        var lines = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i}\n")));
        var plain = Gone.ContainerDirectory + "/0.log.20260301-120000";
        WriteReal(plain, lines);
        var whole = Gzip(lines);
        var content = gz switch
        {
            "other" => Gzip([.. lines[..^1], (byte)'X']),
            "truncated" => [.. whole[..(whole.Length / 2)], .. whole[^8..]],
            "not gzip" => new byte[whole.Length],
            _ => null,
        };
        if (content is not null) WriteReal(plain + ".gz", content);

        var r = Remove(Leftover(plain));

        Assert.Empty(r.Removed);
        Assert.Equal(["NotALeftover"], r.ErrorIds);
        Assert.Equal(lines, File.ReadAllBytes(Real(plain)));
    }

    [Fact]
    public void Only_a_rotated_segment_in_a_container_directory_can_be_a_leftover()
    {
        var live = Gone.ContainerDirectory + "/0.log";
        WriteReal(Gone.ContainerDirectory + "/5.log", [1, 2, 3]);
        var compressed = Gone.ContainerDirectory + "/0.log.20260301-090000.gz";
        var inPodDirectory = Gone.PodDirectory + "/0.log.20260301-100000.tmp";
        WriteReal(inPodDirectory, [1]);

        var r = Remove(Leftover(Gone.ContainerDirectory + "/5.log"), Leftover(compressed), Leftover(inPodDirectory), Leftover(live));

        Assert.Empty(r.Removed);
        Assert.Equal(["NotALeftover", "NotALeftover", "NotALeftover", "EntryInTheWay"], r.ErrorIds);
        Assert.True(Exists(compressed) && Exists(inPodDirectory) && Exists(live));
    }

    [Fact]
    public void Nothing_is_removed_through_a_link_among_the_directories_below_a_log_root()
    {
        // The pod directory is a link out of the roots to a victim tree with the same layout; another pod's directory links into the roots.
        var victim = _node.Local("/srv/victim");
        Directory.CreateDirectory(victim + "/app");
        File.CreateSymbolicLink(victim + "/app/0.log", "/srv/keep/file");
        var outPod = FakeNode.PodLogs + "/default_out_" + "11111111-2222-3333-4444-555555555555";
        var inPod = FakeNode.PodLogs + "/default_in_" + "66666666-7777-8888-9999-000000000000";
        File.CreateSymbolicLink(Real(outPod), "/srv/victim");
        File.CreateSymbolicLink(Real(inPod), Gone.PodDirectory);

        var r = Remove(LinkAt(outPod + "/app/0.log"), LinkAt(inPod + "/app/0.log"), Tree(outPod + "/app"), Tree(outPod));

        Assert.Empty(r.Plan.Steps);
        Assert.Equal(["ParentIsLink", "ParentIsLink", "ParentIsLink", "EntryInTheWay"], r.ErrorIds);
        Assert.Equal("/srv/keep/file", new FileInfo(victim + "/app/0.log").LinkTarget);
        Assert.True(Exists(Gone.PodLogFile));
        AssertOutsideUntouched();
    }

    [Fact]
    public void A_link_swapped_for_a_regular_file_between_plan_and_act_is_left_alone()
    {
        var r = Remove((_, _) =>
        {
            File.Delete(Real(Gone.LegacyLink));
            File.WriteAllText(Real(Gone.LegacyLink), "a live log now");
            return true;
        }, LinkAt(Gone.LegacyLink));

        Assert.Single(r.Plan.Steps);
        Assert.Empty(r.Removed);
        Assert.Equal(["EntryChanged"], r.ErrorIds);
        Assert.Equal("a live log now", File.ReadAllText(Real(Gone.LegacyLink)));
    }

    [Fact]
    public void A_link_retargeted_between_plan_and_act_is_left_alone()
    {
        var r = Remove((_, _) =>
        {
            File.Delete(Real(Gone.LegacyLink));
            File.CreateSymbolicLink(Real(Gone.LegacyLink), Live.PodLogFile);
            return true;
        }, LinkAt(Gone.LegacyLink));

        Assert.Equal(["EntryChanged"], r.ErrorIds);
        Assert.Equal(Live.PodLogFile, new FileInfo(Real(Gone.LegacyLink)).LinkTarget);
    }

    [Fact]
    public void A_regular_file_swapped_in_at_the_last_moment_is_moved_back_not_removed()
    {
        // Paced: after the executor checked the link, before it moves it aside.
        EntryRemover.Interleave = point =>
        {
            if (point != EntryRemover.InterleavePoint.BeforeMoveAside) return;
            File.Delete(Real(Gone.LegacyLink));
            File.WriteAllText(Real(Gone.LegacyLink), "swapped in");
        };
        try
        {
            var r = Remove(LinkAt(Gone.LegacyLink));
            Assert.Empty(r.Removed);
            Assert.Equal(["EntryChanged"], r.ErrorIds);
        }
        finally
        {
            EntryRemover.Interleave = null;
        }
        Assert.Equal("swapped in", File.ReadAllText(Real(Gone.LegacyLink)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Real(FakeNode.Legacy), LinkWriter.TempPrefix + "*"));
    }

    [Fact]
    public void A_pod_directory_swapped_for_a_link_between_plan_and_act_is_left_alone_and_nothing_behind_the_link_goes()
    {
        var r = Remove((_, _) =>
        {
            Directory.Move(Real(Gone.PodDirectory), Real(Gone.PodDirectory) + ".moved");
            File.CreateSymbolicLink(Real(Gone.PodDirectory), _canary.FullName);
            return true;
        }, Tree(Gone.PodDirectory));

        Assert.Empty(r.Removed);
        Assert.Equal(["EntryChanged"], r.ErrorIds);
        Assert.Equal(FileKind.SymbolicLink, Posix.LStat(Real(Gone.PodDirectory), out var s) == 0 ? s.Kind : FileKind.None);
        Assert.True(Directory.Exists(Real(Gone.PodDirectory) + ".moved/app"));
        AssertOutsideUntouched();
    }

    [Fact]
    public void A_pod_directory_replaced_by_another_directory_between_plan_and_act_is_left_alone()
    {
        var r = Remove((_, _) =>
        {
            Directory.Move(Real(Gone.PodDirectory), Real(Gone.PodDirectory) + ".moved");
            Directory.CreateDirectory(Real(Gone.PodDirectory) + "/app");
            File.WriteAllText(Real(Gone.PodDirectory) + "/app/0.log", "a new pod's live log");
            return true;
        }, Tree(Gone.PodDirectory));

        Assert.Equal(["EntryChanged"], r.ErrorIds);
        Assert.Equal("a new pod's live log", File.ReadAllText(Real(Gone.PodDirectory) + "/app/0.log"));
    }

    [Fact]
    public void A_parent_swapped_for_a_link_between_plan_and_act_gets_nothing_removed_through_it()
    {
        // The canary mirrors the container directory: a removal that followed the swapped link would find a link to remove there.
        File.CreateSymbolicLink(Path.Combine(_canary.FullName, "0.log"), Gone.JsonLog);
        var r = Remove((_, _) =>
        {
            Directory.Move(Real(Gone.ContainerDirectory), Real(Gone.ContainerDirectory) + ".moved");
            File.CreateSymbolicLink(Real(Gone.ContainerDirectory), _canary.FullName);
            return true;
        }, LinkAt(Gone.PodLogFile));

        Assert.Empty(r.Removed);
        Assert.Equal(["ParentIsLink"], r.ErrorIds);
        Assert.NotNull(new FileInfo(Path.Combine(_canary.FullName, "0.log")).LinkTarget);
        AssertOutsideUntouched();
    }

    [Fact]
    public void A_directory_inside_the_tree_swapped_for_a_link_while_it_is_emptied_is_removed_as_a_link()
    {
        EntryRemover.Interleave = point =>
        {
            if (point != EntryRemover.InterleavePoint.BeforeEmptyTree) return;
            Directory.Move(Real(Gone.PodDirectory) + "/init", Real(Gone.PodDirectory) + "-init-moved");
            File.CreateSymbolicLink(Real(Gone.PodDirectory) + "/init", _canary.FullName);
        };
        Run r;
        try
        {
            r = Remove(Tree(Gone.PodDirectory));
        }
        finally
        {
            EntryRemover.Interleave = null;
        }
        Assert.Empty(r.Reporter.Errors);
        Assert.Single(r.Removed);
        Assert.False(Exists(Gone.PodDirectory));
        Assert.True(File.Exists(Real(Gone.PodDirectory) + "-init-moved/0.log"));
        AssertOutsideUntouched();
    }

    [Fact]
    public void The_log_directories_swapped_for_a_link_in_a_loop_during_repeated_removals_never_lead_a_removal_outside_the_tree()
    {
        // The canary, under the root, mirrors the real directory that holds the log roots: the same legacy link is there.
        var legacyName = NodePath.FileName(Gone.LegacyLink);
        _node.Mkdir("/canary/containers");
        File.CreateSymbolicLink(_node.Local("/canary/containers/" + legacyName), Gone.PodLogFile);
        var parent = NodePath.Parent(_linked.Outside);
        File.CreateSymbolicLink(_node.Local(parent + "/swap"), "../canary"); // relative: the host kernel follows it to the same place
        Assert.Equal(0, Posix.OpenDirectory(Real(FakeNode.Legacy), out var legacyDir));
        // Loaded once, as a command does: the log roots are where they were when the command started.
        var layout = _node.Layout();
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = new Thread(() =>
        {
            Assert.Equal(0, Posix.OpenDirectory(_node.Local(parent), out var dir));
            while (!stop.IsCancellationRequested)
            {
                Posix.RenameAt2(dir, NodePath.FileName(_linked.Outside), "swap", Posix.RenameExchange);
                Interlocked.Increment(ref swaps);
                Thread.SpinWait(2000);
            }
            Posix.Close(dir);
        });
        swapper.Start();
        var removed = 0;
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            // At least 400 rounds, and on until the race was exercised: a removal landed, and the swapper (which a busy or
            // a fast machine may schedule late) swapped over a hundred times. The clock only ends a run that never gets there.
            for (var round = 0; (round < 400 || removed == 0 || Volatile.Read(ref swaps) <= 100) && clock.Elapsed < TimeSpan.FromSeconds(60); round++)
            {
                Posix.SymlinkAt(Gone.PodLogFile, legacyDir, legacyName); // the real one, whatever its directory is called now
                removed += Remove(layout, null, LinkAt(Gone.LegacyLink)).Removed.Count;
                Assert.Equal(Gone.PodLogFile, new FileInfo(_node.Local("/canary/containers/" + legacyName)).LinkTarget);
            }
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
            Posix.Close(legacyDir);
        }
        Assert.True(swaps > 100, $"only {swaps} swaps: the race was not exercised");
        Assert.True(removed > 0, "no removal succeeded between the swaps: the loop did not exercise the removal");
        Assert.Equal(Gone.PodLogFile, new FileInfo(_node.Local("/canary/containers/" + legacyName)).LinkTarget);
        Assert.Single(Directory.EnumerateFileSystemEntries(_node.Local("/canary"), "*", SearchOption.AllDirectories), p => !Directory.Exists(p) || new FileInfo(p).LinkTarget is not null);
    }

    [Fact]
    public void A_bind_mount_inside_the_tree_is_neither_measured_nor_entered()
    {
        // A bind mount of the same filesystem has the same st_dev: only the mount-root attribute tells it apart.
        var mountPoint = Real(Gone.PodDirectory + "/init/mnt");
        Directory.CreateDirectory(mountPoint);
        Run("mount", "--bind", _canary.FullName, mountPoint);
        Run r;
        try
        {
            Assert.Equal(Posix.LStat(_canary.FullName, out var c) == 0 ? c.Device : 0, Posix.LStat(mountPoint, out var m) == 0 ? m.Device : 1);
            // The plan measures the tree without the mount: the canary's file is not in its bytes.
            var whatIf = Remove((_, _) => false, Tree(Gone.PodDirectory + "/init"));
            Assert.Equal(Posix.LStat(Real(Gone.PodDirectory + "/init/0.log"), out var init) == 0 ? init.AllocatedBytes : -1, Assert.Single(whatIf.Plan.Steps).Bytes);
            // The mount itself, named as the tree to remove: nothing in it goes.
            var top = Remove(Tree(Gone.PodDirectory + "/init/mnt"));
            Assert.Equal(["RemovalFailed"], top.ErrorIds);
            Assert.Contains("is a mount point", top.Reporter.Errors[0].Message);
            r = Remove(Tree(Gone.PodDirectory));
        }
        finally
        {
            Run("umount", mountPoint);
        }
        Assert.Empty(r.Removed);
        var failure = Assert.Single(r.Reporter.Errors);
        Assert.Equal("RemovalFailed", failure.ErrorId);
        Assert.Contains("mount point", failure.Message);
        Assert.True(Directory.Exists(mountPoint));
        AssertOutsideUntouched();

        static void Run(string command, params string[] args)
        {
            using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, args) { RedirectStandardError = true })!;
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"{command} {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
        }
    }
}
