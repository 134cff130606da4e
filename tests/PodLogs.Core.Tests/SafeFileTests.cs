using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>Capped, no-follow reads of small files: the whole content, whatever fstat says about their size.</summary>
public sealed class SafeFileTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("podlogs-safefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Write(string name, byte[] content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    [InlineData(70_000)]
    public void A_regular_file_is_read_whole(int size)
    {
        var content = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();
        var read = SafeFile.ReadSmallFile(Write("f", content));
        Assert.Equal(SafeReadOutcome.Ok, read.Outcome);
        Assert.Equal(content, read.Content);
    }

    [Fact]
    public void A_proc_file_that_fstat_sizes_zero_is_read_to_its_end()
    {
        var read = SafeFile.ReadSmallFile("/proc/self/status");
        Assert.Equal(SafeReadOutcome.Ok, read.Outcome);
        Assert.Equal(0, read.Status.Size);
        Assert.Contains("VmRSS", System.Text.Encoding.ASCII.GetString(read.Content));
    }

    [Fact]
    public void A_file_over_the_cap_is_refused_and_one_at_the_cap_is_read()
    {
        Assert.Equal(SafeReadOutcome.TooLarge, SafeFile.ReadSmallFile(Write("big", new byte[4097]), maxBytes: 4096).Outcome);
        Assert.Equal(4096, SafeFile.ReadSmallFile(Write("cap", new byte[4096]), maxBytes: 4096).Content.Length);
    }

    [Fact]
    public void The_pooled_read_gives_the_same_bytes_relative_to_a_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "c"));
        var content = "{\"ID\":\"x\"}"u8.ToArray();
        Write("c/config.v2.json", content);
        Assert.Equal(0, Native.Posix.OpenDirectory(_dir, out var dirFd));
        try
        {
            using var read = SafeFile.ReadSmallFilePooledAt(dirFd, "c", "config.v2.json");
            Assert.Equal(SafeReadOutcome.Ok, read.Outcome);
            Assert.Equal(content, read.Content.ToArray());
            using var missing = SafeFile.ReadSmallFilePooledAt(dirFd, "c", "hostconfig.json");
            Assert.Equal(SafeReadOutcome.NotFound, missing.Outcome);
        }
        finally
        {
            Native.Posix.Close(dirFd);
        }
    }
}
