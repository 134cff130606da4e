using System.Diagnostics;
using System.Text;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

public class BadInputTests
{
    static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file) { ArgumentList = { }, UseShellExecute = false }.With(args))!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void A_malformed_line_warns_with_file_and_offset_and_reading_goes_on()
    {
        using var dir = new LogDir();
        var first = Cri(T0, "stdout", 'F', "good one");
        var live = dir.Write("0.log", first + "this is not a CRI line\n" + Cri(T0, "stdout", 'F', "good two"));
        var reporter = new CollectingReporter();
        Assert.Equal(["good one", "good two"], ReadAll(live, null, reporter).Select(l => l.Message));
        var w = Assert.Single(reporter.Warnings);
        Assert.Contains($"'{live}' at byte {Encoding.UTF8.GetByteCount(first)}", w);
    }

    [Fact]
    public void A_malformed_docker_record_warns_with_file_and_offset()
    {
        using var dir = new LogDir();
        var first = Docker(T0, "stdout", "ok\n");
        var live = dir.Write("c-json.log", first + "{\"log\":\"cut\n" + Docker(T0, "stderr", "ok2\n"));
        var reporter = new CollectingReporter();
        Assert.Equal(["ok", "ok2"], ReadAll(live, null, reporter).Select(l => l.Message));
        Assert.Contains($"'{live}' at byte {Encoding.UTF8.GetByteCount(first)}", Assert.Single(reporter.Warnings));
    }

    [Fact]
    public void Invalid_UTF8_is_flagged_replaced_and_reported()
    {
        using var dir = new LogDir();
        var first = Encoding.UTF8.GetBytes(Cri(T0, "stdout", 'F', "fine é"));
        var bad = Encoding.UTF8.GetBytes(Cri(T0, "stderr", 'F', "bad X end"));
        bad[Array.IndexOf(bad, (byte)'X')] = 0xFF;
        var live = dir.Write("0.log", [.. first, .. bad, .. Encoding.UTF8.GetBytes(Cri(T0, "stdout", 'F', "after"))]);
        var reporter = new CollectingReporter();
        var lines = ReadAll(live, null, reporter);
        Assert.Equal(["fine é", "bad \uFFFD end", "after"], lines.Select(l => l.Message));
        Assert.Equal([LogLineFlags.None, LogLineFlags.InvalidUtf8, LogLineFlags.None], lines.Select(l => l.Flags));
        var w = Assert.Single(reporter.Warnings);
        Assert.Contains($"'{live}' at byte {first.Length}", w);
        Assert.Contains("UTF-8", w);
    }

    [Fact]
    public void Invalid_UTF8_in_a_line_the_filters_skip_is_not_reported()
    {
        using var dir = new LogDir();
        var bad = Encoding.UTF8.GetBytes(Cri(T0, "stdout", 'F', "bad X"));
        bad[Array.IndexOf(bad, (byte)'X')] = 0xC3;
        var live = dir.Write("0.log", [.. bad, .. Encoding.UTF8.GetBytes(Cri(T0.AddSeconds(1), "stdout", 'F', "later"))]);
        var reporter = new CollectingReporter();
        Assert.Equal(["later"], ReadAll(live, new LogReadOptions { Since = T0.AddSeconds(1) }, reporter).Select(l => l.Message));
        Assert.Empty(reporter.Warnings);
        using var counter = new ContainerLogReader(LogSegments.Discover(live), null, reporter);
        Assert.Equal(2, counter.CountAll());
        Assert.Single(reporter.Warnings);
    }

    [Fact]
    public void A_10_MiB_CRI_line_is_split_with_a_warning_and_reading_goes_on()
    {
        using var dir = new LogDir();
        var huge = new string('z', 10 * 1024 * 1024);
        var first = Cri(T0, "stdout", 'F', "before");
        var live = dir.Write("0.log", first + Cri(T0, "stdout", 'F', huge) + Cri(T0, "stderr", 'F', "after"));
        var reporter = new CollectingReporter();
        var lines = ReadAll(live, null, reporter);
        Assert.Equal("before", lines[0].Message);
        Assert.Equal("after", lines[^1].Message);
        var pieces = lines.Skip(1).SkipLast(1).ToList();
        Assert.Equal(huge.Length, pieces.Sum(p => p.Message.Length));
        Assert.All(pieces, p => Assert.True(p.Message.Length <= LogReadOptions.DefaultMaxLineBytes));
        Assert.All(pieces.SkipLast(1), p => Assert.Equal(LogLineFlags.Split, p.Flags));
        Assert.All(pieces, p => Assert.Equal(Encoding.UTF8.GetByteCount(first), p.Offset));
        var w = Assert.Single(reporter.Warnings);
        Assert.Contains($"'{live}' at byte {Encoding.UTF8.GetByteCount(first)}", w);
    }

    [Fact]
    public void A_10_MiB_docker_record_is_skipped_with_a_warning_and_reading_goes_on()
    {
        using var dir = new LogDir();
        var first = Docker(T0, "stdout", "before\n");
        var live = dir.Write("c-json.log", first + Docker(T0, "stdout", new string('z', 10 * 1024 * 1024) + "\n") + Docker(T0, "stdout", "after\n"));
        var reporter = new CollectingReporter();
        Assert.Equal(["before", "after"], ReadAll(live, null, reporter).Select(l => l.Message));
        var w = Assert.Single(reporter.Warnings);
        Assert.Contains($"'{live}' at byte {Encoding.UTF8.GetByteCount(first)}", w);
    }

    [Fact]
    public void A_FIFO_where_the_log_belongs_is_an_error_and_does_not_hang()
    {
        using var dir = new LogDir();
        dir.Write("0.log.20260301-000000", Cri(T0, "stdout", 'F', "rotated"));
        Run("mkfifo", dir.File("0.log"));
        var reporter = new CollectingReporter();
        var task = Task.Run(() => ReadAll(dir.File("0.log"), null, reporter));
        Assert.True(task.Wait(TimeSpan.FromSeconds(10)), "reading a FIFO blocked");
        Assert.Equal(["rotated"], task.Result.Select(l => l.Message));
        var e = Assert.Single(reporter.Errors);
        Assert.Equal("LogFileNotRegular", e.ErrorId);
        Assert.Equal(dir.File("0.log"), e.TargetPath);
        Assert.Contains("Fifo", e.Message);
        Assert.Contains("at byte 0", e.Message);
    }

    [Fact]
    public void A_device_where_the_log_belongs_is_an_error()
    {
        using var dir = new LogDir();
        Run("mknod", dir.File("0.log"), "c", "1", "5"); // /dev/zero: reading it would never end
        var reporter = new CollectingReporter();
        Assert.Empty(ReadAll(dir.File("0.log"), null, reporter));
        var e = Assert.Single(reporter.Errors);
        Assert.Equal("LogFileNotRegular", e.ErrorId);
        Assert.Contains("CharacterDevice", e.Message);
    }

    [Fact]
    public void A_symbolic_link_where_the_log_belongs_is_not_followed()
    {
        using var dir = new LogDir();
        var secret = dir.Write("secret", Cri(T0, "stdout", 'F', "do not print me"));
        File.CreateSymbolicLink(dir.File("0.log"), secret);
        var reporter = new CollectingReporter();
        Assert.Empty(ReadAll(dir.File("0.log"), null, reporter));
        Assert.Contains("symbolic link", Assert.Single(reporter.Errors).Message);
    }

    [Fact]
    public void A_last_line_without_newline_is_read()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', "a") + Cri(T0, "stdout", 'F', "b").TrimEnd('\n'));
        Assert.Equal(["a", "b"], ReadAll(live).Select(l => l.Message));
    }
}

static class StartInfoExtensions
{
    public static ProcessStartInfo With(this ProcessStartInfo psi, string[] args)
    {
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }
}
