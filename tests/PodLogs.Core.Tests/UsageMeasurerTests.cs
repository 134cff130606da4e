using System.Diagnostics;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Usage;
using PodLogs.Tests.Shared;

namespace PodLogs.Core.Tests;

/// <summary>Issue #13 item 2: per container instance disk usage from the inspector's records, as du counts it, with its rotation state.</summary>
public sealed class UsageMeasurerTests : IDisposable
{
    readonly FakeNode _node = new();
    static readonly FakeContainer Web = new("default", "web", FakeNode.Uid1, "app", 0, FakeNode.Id("usage-web"));
    static readonly FakeContainer Side = new("default", "web", FakeNode.Uid1, "sidecar", 0, FakeNode.Id("usage-side"));
    static readonly FakeContainer Db = new("data", "db", FakeNode.Uid2, "pg", 1, FakeNode.Id("usage-db"));

    public void Dispose() => _node.Dispose();

    static byte[] Random(int length)
    {
        var bytes = new byte[length];
        System.Random.Shared.NextBytes(bytes);
        return bytes;
    }

    long Own(string nodePath) => Posix.LStat(_node.Local(nodePath), out var s) == 0 ? s.AllocatedBytes : throw new FileNotFoundException(nodePath);

    /// <summary>A docker container whose hostconfig.json caps its json log (docker's LogConfig).</summary>
    void DockerLimits(FakeContainer c, string maxSize, string maxFile) =>
        _node.WriteFile(c.StateDirectory + "/hostconfig.json", $"{{\"LogConfig\":{{\"Type\":\"json-file\",\"Config\":{{\"max-size\":\"{maxSize}\",\"max-file\":\"{maxFile}\"}}}}}}");

    List<PodLogUsage> Measure(out UsageMeasurer measurer)
    {
        var inspected = _node.Inspect();
        var policy = RotationPolicy.Load(inspected.Layout, inspected.Reporter);
        measurer = new UsageMeasurer(inspected.Layout, policy, inspected.Runtime);
        return measurer.Measure(inspected.Entries);
    }

    List<PodLogUsage> Measure() => Measure(out _);

    [Fact]
    public void Docker_json_log_and_its_rotations_count_once_and_agree_with_du()
    {
        _node.Healthy(Web);
        DockerLimits(Web, "100k", "3");
        _node.WriteBytes(Web.JsonLog, Random(300_000));
        _node.WriteBytes(Web.JsonLog + ".1", Random(70_000));
        _node.WriteBytes(Web.JsonLog + ".2.gz", Random(20_000));
        _node.WriteBytes(Web.JsonLog + ".bak", Random(9_000));          // not docker's rotation: not counted

        var usage = Assert.Single(Measure());
        Assert.Equal((Web.Namespace, Web.Pod, Web.Uid, Web.Container, (int?)0, Web.Id), (usage.Namespace, usage.PodName, usage.PodUid, usage.ContainerName, usage.RestartCount, usage.ContainerId));
        Assert.Equal(Own(Web.JsonLog), usage.ActiveBytes);               // through N.log and the legacy link: once
        Assert.Equal(Own(Web.JsonLog + ".1"), usage.RotatedBytes);
        Assert.Equal(Own(Web.JsonLog + ".2.gz"), usage.CompressedBytes);
        Assert.Equal(0, usage.LeftoverBytes);
        Assert.Equal(3, usage.FileCount);
        Assert.Equal(RealDu.Total(new[] { Web.JsonLog, Web.JsonLog + ".1", Web.JsonLog + ".2.gz" }.Select(_node.Local)), usage.TotalBytes);
        Assert.Equal(RotationOwner.Docker, usage.RotatedBy);
        Assert.Equal(100 * 1024, usage.MaxBytes);
        Assert.Equal(3, usage.MaxFiles);
        Assert.Equal(RotationState.OverLimit, usage.RotationState);
        Assert.Equal(usage.ActiveBytes - 100 * 1024, usage.OverLimitBytes);
    }

    [Fact]
    public void Docker_rotations_are_every_regular_file_named_as_docker_names_them_gaps_included()
    {
        _node.Healthy(Web);
        DockerLimits(Web, "100k", "9");
        _node.WriteBytes(Web.JsonLog, Random(50_000));
        // .1 and .2 gone (deleted by hand), .3 and a .12 left from a larger max-file: all found, none assumed.
        _node.WriteBytes(Web.JsonLog + ".3", Random(30_000));
        _node.WriteBytes(Web.JsonLog + ".12", Random(40_000));
        _node.WriteBytes(Web.JsonLog + ".7.gz", Random(10_000));
        // Not docker's rotations: no number, not only digits, a bare .gz, another file's prefix.
        foreach (var other in new[] { ".", ".gz", ".1x", ".1.gz.tmp", ".-1", "x" })
            _node.WriteBytes(Web.JsonLog + other, Random(5_000));
        _node.Link(Web.JsonLog + ".4", Web.JsonLog + ".3");                // a link named as a rotation: its own bytes are no file's
        _node.Mkdir(Web.JsonLog + ".5");

        var usage = Assert.Single(Measure());
        Assert.Equal(Own(Web.JsonLog + ".3") + Own(Web.JsonLog + ".12"), usage.RotatedBytes);
        Assert.Equal(Own(Web.JsonLog + ".7.gz"), usage.CompressedBytes);
        Assert.Equal(4, usage.FileCount);
        Assert.Equal(RealDu.Total(new[] { "", ".3", ".12", ".7.gz" }.Select(n => _node.Local(Web.JsonLog + n))), usage.TotalBytes);
    }

    [Fact]
    public void Kubelet_segments_compressed_and_leftovers_beside_a_regular_N_log()
    {
        var dir = Db.ContainerDirectory;
        _node.WriteBytes(Db.PodLogFile, Random(5_000));
        _node.WriteBytes(dir + "/1.log.20260301-100000.gz", Random(8_000));
        _node.WriteBytes(dir + "/1.log.20260301-110000.gz", Random(8_000));
        _node.WriteBytes(dir + "/1.log.20260301-110000", Random(40_000));     // its .gz exists: a leftover
        _node.WriteBytes(dir + "/1.log.20260301-120000.tmp", Random(12_000)); // an unfinished compression: a leftover
        _node.WriteBytes(dir + "/1.log.20260301-130000", Random(30_000));

        var usage = Assert.Single(Measure());
        Assert.Equal(Own(Db.PodLogFile), usage.ActiveBytes);
        Assert.Equal(Own(dir + "/1.log.20260301-130000"), usage.RotatedBytes);
        Assert.Equal(Own(dir + "/1.log.20260301-100000.gz") + Own(dir + "/1.log.20260301-110000.gz"), usage.CompressedBytes);
        Assert.Equal(Own(dir + "/1.log.20260301-110000") + Own(dir + "/1.log.20260301-120000.tmp"), usage.LeftoverBytes);
        Assert.Equal(6, usage.FileCount);
        Assert.Equal(RealDu.Total(Directory.GetFiles(_node.Local(dir))), usage.TotalBytes);
        Assert.Equal(RotationOwner.Kubelet, usage.RotatedBy);                 // a regular N.log: a CRI runtime's, kubelet rotates it
        Assert.Equal(RotationState.WithinLimit, usage.RotationState);         // 1 active + 3 segments <= 5
        Assert.Null(usage.OverLimitBytes);

        for (var i = 0; i < 2; i++) _node.WriteBytes(dir + $"/1.log.20260302-10000{i}.gz", Random(1_000));
        Assert.Equal(RotationState.TooManyFiles, Assert.Single(Measure()).RotationState); // 1 + 5 > 5
    }

    [Fact]
    public void A_legacy_link_to_a_CRI_runtimes_N_log_is_that_instance_not_another()
    {
        // No runtime names the container (a CRI pod read from files alone): the legacy link's chain is one hop, ending at N.log.
        _node.WriteBytes(Db.PodLogFile, Random(5_000));
        _node.LegacyLink(Db);

        var usage = Assert.Single(Measure());
        Assert.Equal(Db.Container, usage.ContainerName);
        Assert.Equal(RotationOwner.Kubelet, usage.RotatedBy);
        Assert.Equal(Own(Db.PodLogFile), usage.TotalBytes);
    }

    [Fact]
    public void Exited_and_unrotated_containers_say_so()
    {
        _node.Healthy(Web with { Running = false });
        DockerLimits(Web, "1k", "2");
        _node.Healthy(Db);   // hostconfig without max-size, no daemon.json: json-file never rotates
        var usages = Measure();
        Assert.Equal(RotationState.Exited, usages.Single(u => u.ContainerName == Web.Container).RotationState);
        var db = usages.Single(u => u.ContainerName == Db.Container);
        Assert.Equal(RotationOwner.Nobody, db.RotatedBy);
        Assert.Equal(RotationState.NotRotated, db.RotationState);
    }

    [Fact]
    public void Groups_add_up_each_file_once()
    {
        _node.Healthy(Web);
        _node.Healthy(Side);
        _node.Healthy(Db);
        _node.WriteBytes(Web.JsonLog, Random(50_000));
        _node.WriteBytes(Db.JsonLog, Random(200_000));
        // The sidecar's rotated segment is a hard link of the app's json log: one file on disk.
        Assert.Equal(0, Link(_node.Local(Web.JsonLog), _node.Local(Side.JsonLog + ".1")));

        var instances = Measure(out var measurer);
        Assert.Equal(3, instances.Count);
        var pods = measurer.Aggregate(instances, UsageGrouping.Pod);
        Assert.Equal([Db.Pod, Web.Pod], pods.Select(p => p.PodName));   // largest first
        var web = pods[1];
        Assert.Equal(UsageGrouping.Pod, web.By);
        Assert.Equal(2, web.InstanceCount);
        Assert.Null(web.ContainerName);
        Assert.Equal(2, web.FileCount);
        Assert.Equal(RealDu.Total(new[] { Web.JsonLog, Side.JsonLog, Side.JsonLog + ".1" }.Select(_node.Local)), web.TotalBytes);
        Assert.True(web.TotalBytes < instances.Where(i => i.PodName == Web.Pod).Sum(i => i.TotalBytes));

        var node = Assert.Single(measurer.Aggregate(instances, UsageGrouping.Node));
        Assert.Equal(3, node.FileCount);
        Assert.Equal(RealDu.Total(new[] { Web.JsonLog, Side.JsonLog, Db.JsonLog }.Select(_node.Local)), node.TotalBytes);
        Assert.Equal(2, measurer.Aggregate(instances, UsageGrouping.Namespace).Count);
        Assert.Equal(3, measurer.Aggregate(instances, UsageGrouping.Container).Count);
    }

    [Fact]
    public void A_stale_N_log_does_not_give_its_instance_another_instances_log()
    {
        var old = Web with { Attempt = 0, Id = FakeNode.Id("usage-web-0") };
        var now = Web with { Attempt = 1, Id = FakeNode.Id("usage-web-1") };
        _node.Healthy(old);
        _node.Docker(now);
        _node.PodLogLink(now, old.JsonLog);                                 // 1.log still links to attempt 0's json log
        _node.WriteBytes(old.JsonLog, Random(100_000));
        _node.WriteBytes(now.JsonLog, Random(30_000));

        var usages = Measure(out var measurer);
        Assert.Equal(Own(now.JsonLog), usages.Single(u => u.RestartCount == 1).ActiveBytes);
        Assert.Equal(Own(old.JsonLog), usages.Single(u => u.RestartCount == 0).ActiveBytes);
        Assert.Equal(RealDu.Total(new[] { old.JsonLog, now.JsonLog }.Select(_node.Local)), Assert.Single(measurer.Aggregate(usages, UsageGrouping.Container)).TotalBytes);
    }

    [Fact]
    public void Deleted_logs_held_open_count_once_per_inode_for_the_instance_their_path_names()
    {
        _node.Healthy(Web);
        _node.WriteBytes(Db.PodLogFile, Random(1_000));
        LogHandle Held(int pid, string path, ulong inode, long bytes, bool deleted = true) =>
            new() { ProcessId = pid, ProcessName = "fluent-bit", Path = path, Deleted = deleted, Bytes = bytes, Device = 1, Inode = inode };
        var handles = new List<LogHandle>
        {
            Held(10, Web.JsonLog + ".1", 77, 50_000) with { ContainerId = Web.Id },
            Held(11, Web.JsonLog + ".1", 77, 50_000) with { ContainerId = Web.Id },   // the same file held twice: once
            Held(10, Db.PodLogFile + ".20260301-100000", 78, 8_000) with { PodUid = Db.Uid, ContainerName = Db.Container, RestartCount = Db.Attempt },
            Held(10, Web.JsonLog, 79, 999, deleted: false) with { ContainerId = Web.Id },  // not deleted: its blocks are in ActiveBytes
        };
        var inspected = _node.Inspect();
        var measurer = new UsageMeasurer(inspected.Layout, RotationPolicy.Load(inspected.Layout, inspected.Reporter), inspected.Runtime);
        var usages = measurer.Measure(inspected.Entries, handles);
        Assert.Equal(50_000, usages.Single(u => u.ContainerName == Web.Container).DeletedOpenBytes);
        Assert.Equal(8_000, usages.Single(u => u.ContainerName == Db.Container).DeletedOpenBytes);
        Assert.Equal(58_000, Assert.Single(measurer.Aggregate(usages, UsageGrouping.Node)).DeletedOpenBytes);
        Assert.Null(Measure().First().DeletedOpenBytes);                                 // not scanned: null, not 0
    }

    [Fact]
    public void A_chain_that_ends_outside_the_log_roots_counts_nothing()
    {
        _node.WriteBytes("/etc/secret", Random(50_000));
        _node.Mkdir(Db.ContainerDirectory);
        _node.Link(Db.PodLogFile, "/etc/secret");
        var usage = Assert.Single(Measure());
        Assert.Equal(0, usage.ActiveBytes);
        Assert.Equal(0, usage.FileCount);

        // Nor a docker json log that is itself a link out of the data root, reached from the runtime's own path.
        _node.Healthy(Web);
        File.Delete(_node.Local(Web.JsonLog));
        _node.Link(Web.JsonLog, "/etc/secret");
        Assert.All(Measure(), u => Assert.Equal(0, u.ActiveBytes));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int Link(string existing, string created);
}
