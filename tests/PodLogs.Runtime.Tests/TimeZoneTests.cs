using PodLogs.Core;
using PodLogs.Core.Logs;
using PodLogs.Runtime.Tests.Harness;

namespace PodLogs.Runtime.Tests;

/// <summary>A node whose time zone is not UTC: containerd stamps CRI lines in local time with an offset.</summary>
public sealed class TimeZoneTests
{
    [Fact]
    public async Task A_containerd_on_Europe_Berlin_time_writes_offsets_and_the_reader_takes_them_to_the_right_instants()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");   // from tzdata, as containerd's Go runtime reads it
        // its own containerd: the suite's shared one runs on the suite's time zone
        var harness = new ContainerdHarness(importImages: true) { TimeZone = "Europe/Berlin" };
        await harness.InitializeAsync();
        try
        {
            var before = DateTimeOffset.UtcNow;
            var pod = await harness.Kubelet.RunPodAsync("logs", "berlin", "8b1d2c3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e");
            var c = await harness.Kubelet.StartContainerAsync(pod, "printer", program: ContainerProgram.PrintLines(5));
            await harness.Kubelet.WaitForLinesAsync(c.LogNodePath, 6);
            var after = DateTimeOffset.UtcNow;

            var reporter = new CollectingReporter();
            var lines = ContainerLogReader.ReadAll(LogSegments.Discover(harness.ToLocal(c.LogNodePath)), null, reporter).ToList();
            Assert.Empty(reporter.Warnings);
            Assert.Equal(["line 1", "line 2", "line 3", "line 4", "line 5"], lines.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Message));
            var slack = TimeSpan.FromSeconds(5);
            foreach (var line in lines)
            {
                // +01:00 in winter, +02:00 in summer: whatever the zone says for that instant
                var offset = berlin.GetUtcOffset(line.Timestamp.UtcDateTime);
                Assert.Equal(offset, line.Timestamp.Offset);
                Assert.EndsWith(offset.ToString(@"\+hh\:mm"), line.TimestampText);
                Assert.InRange(line.Timestamp.UtcDateTime, before.UtcDateTime - slack, after.UtcDateTime + slack);
                Assert.StartsWith(line.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), line.TimestampText);
            }
            // -Since compares instants, not text: the first line's own instant, written with an offset, keeps every line
            var since = lines.Min(l => l.Timestamp).ToUniversalTime();
            Assert.Equal(lines.Count, ContainerLogReader.ReadAll(LogSegments.Discover(harness.ToLocal(c.LogNodePath)), new LogReadOptions { Since = since }).Count());

            await harness.Kubelet.RemovePodAsync(pod);
        }
        finally
        {
            await harness.DisposeAsync();
        }
    }
}
