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
    public void Many_malformed_lines_are_one_warning_per_file_with_the_count_and_the_first_offsets()
    {
        using var dir = new LogDir();
        var sb = new StringBuilder(Cri(T0, "stdout", 'F', "good one"));
        var firstBad = sb.Length;
        for (var i = 0; i < 100_000; i++) sb.Append("x\n");
        sb.Append(Cri(T0, "stdout", 'F', "good two"));
        var rotated = dir.Write("0.log.20260301-000000", "bad\nbad\nbad\n" + Cri(T0, "stdout", 'F', "rotated"));
        var live = dir.Write("0.log", sb.ToString());
        var reporter = new CollectingReporter();
        Assert.Equal(["rotated", "good one", "good two"], ReadAll(live, null, reporter).Select(l => l.Message));
        Assert.Equal(2, reporter.Warnings.Count);
        Assert.Equal($"3 malformed CRI lines in '{rotated}' were skipped; the first at bytes 0 (no timestamp delimiter), 4, 8.", reporter.Warnings[0]);
        Assert.Equal($"100000 malformed CRI lines in '{live}' were skipped; the first at bytes {firstBad} (no timestamp delimiter), {firstBad + 2}, {firstBad + 4}, {firstBad + 6}, {firstBad + 8}, …",
            reporter.Warnings[1]);
    }

    [Fact]
    public void Many_lines_with_invalid_UTF8_or_too_long_are_one_warning_each_per_file()
    {
        using var dir = new LogDir();
        var bad = Encoding.UTF8.GetBytes(Cri(T0, "stdout", 'F', "bad X"));
        bad[Array.IndexOf(bad, (byte)'X')] = 0xFF;
        var longLine = Encoding.UTF8.GetBytes(Cri(T0, "stderr", 'F', new string('z', 100)));
        var bytes = new List<byte>();
        for (var i = 0; i < 1000; i++) { bytes.AddRange(bad); bytes.AddRange(longLine); }
        var live = dir.Write("0.log", bytes.ToArray());
        var reporter = new CollectingReporter();
        var lines = ReadAll(live, new LogReadOptions { MaxLineBytes = 64 }, reporter);
        Assert.Equal(3000, lines.Count);
        Assert.Equal(2, reporter.Warnings.Count);
        Assert.StartsWith($"1000 lines in '{live}' have invalid UTF-8; invalid bytes are shown as U+FFFD; the first at bytes 0, {bad.Length + longLine.Length}, ", reporter.Warnings[0]);
        Assert.StartsWith($"1000 lines in '{live}' are longer than MaxLineBytes (64); each is split into several lines; the first at bytes {bad.Length}, ", reporter.Warnings[1]);
    }

    [Fact]
    public void A_catastrophic_pattern_over_a_hostile_line_returns_its_answer()
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', new string('a', 5000) + "!") + Cri(T0, "stdout", 'F', "aaaa"));
        // a backtracking engine takes 2^n steps on the first line; -Match's pattern runs in linear time
        var options = new LogReadOptions { Match = LogMatch.Create(@"^(a+)+$") };
        var reporter = new CollectingReporter();
        Assert.Equal(["aaaa"], ReadAll(live, options, reporter).Select(l => l.Message));
        Assert.Empty(reporter.Warnings);
        Assert.Equal(["aaaa"], LogFollower.Follow(live, options, reporter, () => false, CancellationToken.None).Select(l => l.Message));
    }

    [Fact]
    public void A_pattern_that_times_out_on_a_hostile_line_stops_the_read_with_MatchTimedOut()
    {
        using var dir = new LogDir();
        var first = Cri(T0, "stdout", 'F', "aaaa");
        var live = dir.Write("0.log", first + Cri(T0, "stdout", 'F', new string('a', 40) + "!") + Cri(T0, "stdout", 'F', "aaaa"));
        // a lookahead needs the backtracking engine, which runs with the timeout
        var options = new LogReadOptions { Match = LogMatch.Create(@"^(?=(a+)+$)", TimeSpan.FromMilliseconds(100)) };
        var read = new List<string>();
        var ex = Assert.Throws<PodLogsException>(() => { foreach (var l in ContainerLogReader.ReadAll(LogSegments.Discover(live), options)) read.Add(l.Message); });
        Assert.Equal(["aaaa"], read);
        Assert.Equal("MatchTimedOut", ex.Failure.ErrorId);
        Assert.Equal(FailureCategory.OperationTimeout, ex.Failure.Category);
        Assert.Equal(live, ex.Failure.TargetPath);
        Assert.Contains($"'{live}' at byte {Encoding.UTF8.GetByteCount(first)}", ex.Message);
        var follow = Assert.Throws<PodLogsException>(() => LogFollower.Follow(live, options, new CollectingReporter(), () => false, CancellationToken.None).ToList());
        Assert.Equal("MatchTimedOut", follow.Failure.ErrorId);
    }

    [Fact]
    public void Malformed_lines_while_following_are_one_warning_per_file()
    {
        using var dir = new LogDir();
        var sb = new StringBuilder(Cri(T0, "stdout", 'F', "good one"));
        for (var i = 0; i < 50_000; i++) sb.Append("x\n");
        sb.Append(Cri(T0, "stdout", 'F', "good two"));
        var live = dir.Write("0.log", sb.ToString());
        var reporter = new CollectingReporter();
        Assert.Equal(["good one", "good two"], LogFollower.Follow(live, new LogReadOptions(), reporter, () => false, CancellationToken.None).Select(l => l.Message));
        Assert.StartsWith($"50000 malformed CRI lines in '{live}' were skipped; the first at bytes ", Assert.Single(reporter.Warnings));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(LogReadOptions.MaxLineBytesLimit + 1)]
    [InlineData(int.MaxValue)]
    public void MaxLineBytes_out_of_range_is_refused_by_name(int value)
    {
        using var dir = new LogDir();
        var live = dir.Write("0.log", Cri(T0, "stdout", 'F', "a"));
        var options = new LogReadOptions { MaxLineBytes = value };
        Assert.Equal("MaxLineBytes", Assert.Throws<ArgumentOutOfRangeException>(() => ReadAll(live, options)).ParamName);
        Assert.Equal("MaxLineBytes", Assert.Throws<ArgumentOutOfRangeException>(() => LogFollower.Follow(live, options, new CollectingReporter(), () => false, CancellationToken.None)).ParamName);
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
