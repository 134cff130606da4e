using System.Text.Json;
using Docker.DotNet.Models;
using PodLogs.Core;
using PodLogs.Core.Native;
using PodLogs.Core.Node;
using PodLogs.Core.Runtime;
using PodLogs.Runtime.Tests.Harness;
using PodLogs.Tests.Shared;
using static PodLogs.Runtime.Tests.ModuleUnderTest;

namespace PodLogs.Runtime.Tests;

/// <summary>
/// A real dockerd that rotates json logs: started with --config-file naming a daemon.json under the node root whose
/// log-opts are max-size 10k, max-file 3, as /etc/docker/daemon.json is on a node (dockerd's own command-line flags are
/// nowhere on disk for PodLogs to read).
/// </summary>
public sealed class RotatingDockerFixture() : DockerNode(DaemonJson)
{
    public const string DaemonJson = "{\"log-opts\": {\"max-size\": \"10k\", \"max-file\": \"3\"}}";
}

/// <summary>Issue #13 items 2 and 5: Measure-PodLog over json logs a real dockerd rotated, against daemon.json, hostconfig.json and du.</summary>
public sealed class DockerRotationUsageTests(RotatingDockerFixture f) : IClassFixture<RotatingDockerFixture>
{
    /// <summary>Prints 3000 lines as fast as busybox sh can (about 300 kB of json log), then a last line and sleeps: the log stops changing.</summary>
    const string Burst = "i=1; while [ $i -le 3000 ]; do echo \"line $i of a busy container\"; i=$((i+1)); done; echo finished; exec sleep 2147483647";

    string Local(string nodePath) => f.Node.Root + nodePath;

    static string JsonLog(PodContainer c) => $"/var/lib/docker/containers/{c.Id}/{c.Id}-json.log";

    static long Own(string local) => Posix.LStat(local, out var s) == 0 ? s.AllocatedBytes : throw new FileNotFoundException(local);

    /// <summary>Waits (bounded) until the container printed its last line and docker keeps exactly <paramref name="files"/> files of its log.</summary>
    void WaitForRotatedLog(PodContainer c, int files)
    {
        var log = Local(JsonLog(c));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var present = Directory.GetFiles(Path.GetDirectoryName(log)!, Path.GetFileName(log) + "*").Length;
            string active;
            try { active = File.ReadAllText(log); }
            catch (FileNotFoundException) { active = ""; }   // between docker's rename and its new file
            if (present == files && active.Contains("\"log\":\"finished\\n\"", StringComparison.Ordinal)) return;
            Assert.True(DateTime.UtcNow < deadline, $"docker keeps {present} files of {log}, not {files}, or the container has not finished printing");
            Thread.Sleep(100);
        }
    }

    RuntimeSourceOptions ViaApi() => ViaDocker(f.Docker) with { DockerEndpoint = "unix:///" + Path.GetRelativePath(f.Node.Root, f.Docker.Socket) };

    [Fact]
    public void Json_logs_docker_rotated_count_every_file_once_with_dockers_limits_and_agree_with_du()
    {
        var (ns, pod, uid) = ("rotation", "busy-7d9f8c6b5-x2k4q", Guid.NewGuid().ToString());
        // One container takes daemon.json's defaults; the other has its own LogConfig (docker run --log-opt).
        var byDaemon = f.Dockershim.Start(ns, pod, uid, "defaults", 0, Burst);
        var own = f.Dockershim.Start(ns, pod, uid, "own", 0, Burst,
            logConfig: new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "20k", ["max-file"] = "2" } });
        WaitForRotatedLog(byDaemon, 3);
        WaitForRotatedLog(own, 2);

        // dockerd wrote daemon.json's options into the container's hostconfig.json when it created it: that file is what
        // rotates the log from then on (daemon.json changed later applies to new containers only).
        var hostConfig = $"/var/lib/docker/containers/{byDaemon.Id}/hostconfig.json";
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(Local(hostConfig))))
        {
            var options = doc.RootElement.GetProperty("LogConfig").GetProperty("Config");
            Assert.Equal(("10k", "3"), (options.GetProperty("max-size").GetString(), options.GetProperty("max-file").GetString()));
        }

        var (fromFiles, policy, reporter) = Measure(new RuntimeSourceOptions { Kind = RuntimeSourceKind.DockerFiles }, f.Node.Root, Pod(ns, pod));
        Assert.Empty(reporter.Errors);
        Assert.Empty(reporter.Warnings);
        // The daemon.json dockerd was started with: the default for containers without options of their own.
        Assert.Equal(new Sourced<string>("json-file", Sourced<string>.Default), policy.Docker.Driver);
        Assert.Equal(NodeLayout.DockerDaemonConfig, policy.Docker.OptionsSource);
        var daemonDefault = policy.For(RuntimeKind.Docker);
        Assert.Equal((RotationOwner.Docker, (long?)10 * 1024, NodeLayout.DockerDaemonConfig, (int?)3, NodeLayout.DockerDaemonConfig),
            (daemonDefault.RotatedBy, daemonDefault.MaxBytes, daemonDefault.MaxBytesSource, daemonDefault.MaxFiles, daemonDefault.MaxFilesSource));

        Assert.Equal(2, fromFiles.Count);
        foreach (var (c, maxBytes, maxFiles) in new[] { (byDaemon, 10L * 1024, 3), (own, 20L * 1024, 2) })
        {
            var usage = Assert.Single(fromFiles, u => u.ContainerId == c.Id);
            var json = JsonLog(c);
            var rotated = Enumerable.Range(1, maxFiles - 1).Select(n => $"{json}.{n}").ToList();
            Assert.Equal((RotationOwner.Docker, (long?)maxBytes, (int?)maxFiles), (usage.RotatedBy, usage.MaxBytes, usage.MaxFiles));
            // The container's hostconfig.json (dockerd's merge of daemon.json, or the container's own options), by its node path.
            Assert.Equal($"/var/lib/docker/containers/{c.Id}/hostconfig.json", usage.RotatedBySource);
            Assert.Equal(PodLogs.Core.ContainerState.Running, usage.State);
            Assert.Equal(RotationState.WithinLimit, usage.RotationState);
            Assert.Null(usage.OverLimitBytes);
            Assert.Equal(Own(Local(json)), usage.ActiveBytes);
            Assert.True(usage.RotatedBytes > 0, $"{c.ContainerName}: RotatedBytes {usage.RotatedBytes}");
            Assert.Equal(rotated.Sum(r => Own(Local(r))), usage.RotatedBytes);
            Assert.Equal((0L, 0L), (usage.CompressedBytes, usage.LeftoverBytes));
            Assert.Equal(maxFiles, usage.FileCount);
            // The same files as du counts them: docker's own directory listing of the log, nothing else there counted.
            var files = Directory.GetFiles(Local($"/var/lib/docker/containers/{c.Id}"), $"{c.Id}-json.log*");
            Assert.Equal(maxFiles, files.Length);
            Assert.Equal(RealDu.Total(files), usage.TotalBytes);
            Assert.Equal(usage.ActiveBytes + usage.RotatedBytes, usage.TotalBytes);
        }

        // The live API (its list-only fast path reads no LogConfig: the policy reads hostconfig.json) gives the same answer.
        var (fromApi, _, apiReporter) = Measure(ViaApi(), f.Node.Root, Pod(ns, pod));
        Assert.Empty(apiReporter.Errors);
        Assert.Empty(apiReporter.Warnings);
        Assert.Equal(
            fromFiles.OrderBy(u => u.ContainerName).Select(u => (u.ContainerId, u.RotatedBy, u.RotatedBySource, u.MaxBytes, u.MaxFiles, u.ActiveBytes, u.RotatedBytes, u.FileCount, u.TotalBytes, u.RotationState)),
            fromApi.OrderBy(u => u.ContainerName).Select(u => (u.ContainerId, u.RotatedBy, u.RotatedBySource, u.MaxBytes, u.MaxFiles, u.ActiveBytes, u.RotatedBytes, u.FileCount, u.TotalBytes, u.RotationState)));
    }

    [Fact]
    public void A_logrotate_rule_with_copytruncate_over_dockers_containers_is_one_warning_naming_the_rule_and_the_hostconfig()
    {
        const string rule = "/etc/logrotate.d/docker-containers";
        Directory.CreateDirectory(Local("/etc/logrotate.d"));
        File.WriteAllText(Local(rule), "/var/lib/docker/containers/*/*.log {\n    rotate 5\n    size 1M\n    missingok\n    copytruncate\n}\n");
        try
        {
            Logrotate.AssertAccepts(Local(rule));
            var (ns, pod, uid) = ("rotation", "copytruncated-5c7d9f8b6-m4n8p", Guid.NewGuid().ToString());
            var containers = new[] { f.Dockershim.Start(ns, pod, uid, "a", 0, Burst), f.Dockershim.Start(ns, pod, uid, "b", 0, Burst) };

            foreach (var source in new[] { new RuntimeSourceOptions { Kind = RuntimeSourceKind.DockerFiles }, ViaApi() })
            {
                var (usages, policy, reporter) = Measure(source, f.Node.Root, Pod(ns, pod));
                var lr = Assert.Single(policy.LogrotateRules);
                Assert.Equal((rule, true, (int?)5, (long?)1024 * 1024), (lr.File, lr.CopyTruncate, lr.Rotate, lr.SizeBytes));
                Assert.Equal(["/var/lib/docker/containers"], lr.CoveredRoots);
                // docker still rotates (its max-size); the rule is a conflict, for each container, warned about once.
                Assert.Equal(2, usages.Count);
                Assert.All(usages, u => Assert.Equal(RotationOwner.Docker, u.RotatedBy));
                var warning = Assert.Single(reporter.Warnings);
                Assert.Contains($"in {Local(rule)} (", warning);
                // The owner's file (the first container's hostconfig.json, and "other containers' own LogConfig"), by its local path
                // under -Root, the root once.
                Assert.Single(containers, c => warning.Contains($"({Local($"/var/lib/docker/containers/{c.Id}/hostconfig.json")},", StringComparison.Ordinal));
                Assert.Contains("copytruncate", warning);
            }
        }
        finally
        {
            File.Delete(Local(rule));
        }
    }
}
