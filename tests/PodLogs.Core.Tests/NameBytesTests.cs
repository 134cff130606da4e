using System.Runtime.InteropServices;
using System.Text;
using PodLogs.Core.Inspection;
using PodLogs.Core.Native;
using PodLogs.Core.Paths;

namespace PodLogs.Core.Tests;

/// <summary>
/// Names that are not valid UTF-8 (issue #11 item 8): made with raw byte paths (a .NET string cannot spell them),
/// and inspected under their real bytes.
/// </summary>
public sealed partial class NameBytesTests : IDisposable
{
    readonly FakeNode _node = new();

    // .NET's Directory.Delete cannot name these entries.
    public void Dispose()
    {
        using (var rm = System.Diagnostics.Process.Start("rm", ["-rf", _node.Root])) rm.WaitForExit();
        _node.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "symlink", SetLastError = true)]
    private static partial int SymlinkBytes(byte[] target, byte[] linkPath);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true)]
    private static partial int MkdirBytes(byte[] path, int mode);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true)]
    private static partial nint ReadLinkBytes(byte[] path, byte[] buffer, nint size);

    static byte[] Z(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (var p in parts) bytes.AddRange(p is string s ? Encoding.UTF8.GetBytes(s) : (byte[])p);
        bytes.Add(0);
        return [.. bytes];
    }

    /// <summary>A node path whose bytes are <paramref name="parts"/> (strings as UTF-8, byte arrays as they are), as the module spells it.</summary>
    static string Spelled(params object[] parts) => NameBytes.Decode(Z(parts).AsSpan()[..^1]);

    static byte[] BytesOf(string nodePath) => NameBytes.GetBytes(nodePath);

    void Symlink(string target, params object[] nodePath) =>
        Assert.True(SymlinkBytes(Z(target), Z([_node.Root, .. nodePath])) == 0, $"symlink: errno {Marshal.GetLastPInvokeError()}");

    void Mkdir(params object[] nodePath) =>
        Assert.True(MkdirBytes(Z([_node.Root, .. nodePath]), 0x1ed) == 0, $"mkdir: errno {Marshal.GetLastPInvokeError()}");

    string? LinkAt(params object[] nodePath)
    {
        var buffer = new byte[4096];
        var n = ReadLinkBytes(Z([_node.Root, .. nodePath]), buffer, buffer.Length);
        return n < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)n);
    }

    static FakeContainer Web(int attempt = 0) => new("default", "web-0", FakeNode.Uid1, "nginx", attempt, FakeNode.Id("web" + attempt));

    static readonly byte[] Xff = [0xff], Xfe = [0xfe];

    [Fact]
    public void Decoding_round_trips_every_byte_string_and_keeps_valid_names_as_UTF8_decodes_them()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            for (var j = 0; j < bytes.Length; j++) if (bytes[j] == 0) bytes[j] = 1;
            Assert.Equal(bytes, NameBytes.GetBytes(NameBytes.Decode(bytes)));
        }
        foreach (var name in new[] { "web-0_default_nginx-abc.log", "caf\u00e9", "\U0001F600x", "\uFFFD" })
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            Assert.Equal(name, NameBytes.Decode(bytes));
            Assert.Equal(bytes, NameBytes.GetBytes(name));
        }
        Assert.NotEqual(NameBytes.Decode(Xff), NameBytes.Decode(Xfe));
    }

    [Fact]
    public void A_legacy_link_whose_name_is_not_UTF8_is_one_Invalid_record_under_its_real_bytes()
    {
        var c = _node.Healthy(Web());
        var stem = $"web-0_default_nginx-";
        Symlink(c.PodLogFile, FakeNode.Legacy + "/" + stem, Xff, c.Id[1..] + ".log");
        var spelled = Spelled(FakeNode.Legacy + "/" + stem, Xff, c.Id[1..] + ".log");

        var i = _node.Inspect();

        var r = i.At(spelled);
        Assert.Equal(Z(FakeNode.Legacy + "/" + stem, Xff, c.Id[1..] + ".log")[..^1], BytesOf(r.NodePath));
        Assert.True(r.Exists);
        Assert.Equal(LinkType.SymbolicLink, r.LinkType);
        Assert.Equal(c.PodLogFile, r.Target);
        Assert.Equal(LinkStatus.Invalid, r.Status);
        Assert.Contains("not kubelet's", r.Reason);
        Assert.Contains("\\xff", r.Reason);
        Assert.Equal(LinkStatus.Healthy, i.At(c.LegacyLink).Status);
        Assert.Empty(i.Reporter.Errors);
    }

    [Fact]
    public void Two_names_that_differ_only_in_invalid_bytes_stay_two_records()
    {
        var c = _node.Healthy(Web());
        Symlink(c.PodLogFile, FakeNode.Legacy + "/x", Xff, ".log");
        Symlink(c.PodLogFile, FakeNode.Legacy + "/x", Xfe, ".log");

        var i = _node.Inspect();

        var odd = i.Entries.Where(e => e.NodePath.StartsWith(FakeNode.Legacy + "/x", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, odd.Count);
        Assert.Equal(
            new[] { Z(FakeNode.Legacy + "/x", Xfe, ".log")[..^1], Z(FakeNode.Legacy + "/x", Xff, ".log")[..^1] }.Select(Convert.ToHexString).Order(),
            odd.Select(e => Convert.ToHexString(BytesOf(e.NodePath))).Order());
        Assert.All(odd, e => Assert.Equal((LinkStatus.Invalid, c.PodLogFile), (e.Status, e.Target)));
    }

    [Fact]
    public void A_container_directory_and_an_N_log_sibling_with_invalid_bytes_are_reported_under_their_real_names()
    {
        var c = _node.Healthy(Web());
        var podDir = c.PodDirectory;
        Mkdir(podDir + "/nginx", Xff);
        Symlink(c.JsonLog, c.ContainerDirectory + "/1", Xff, ".log");

        var i = _node.Inspect();

        var dir = i.At(Spelled(podDir + "/nginx", Xff));
        Assert.Equal((LinkStatus.Invalid, LinkType.Directory), (dir.Status, dir.LinkType));
        Assert.Contains("nginx\\xff", dir.Reason);
        var sibling = i.At(Spelled(c.ContainerDirectory + "/1", Xff, ".log"));
        Assert.Equal((LinkStatus.Invalid, LinkType.SymbolicLink), (sibling.Status, sibling.LinkType));
        Assert.Equal(c.JsonLog, sibling.Target);
        Assert.Equal(c.JsonLog, sibling.ResolvedTarget);
        Assert.Contains("1\\xff.log", sibling.Reason);
        Assert.Equal(LinkStatus.Healthy, i.At(c.PodLogFile).Status);
    }

    [Fact]
    public void A_pod_directory_with_invalid_bytes_is_reported_under_its_real_name_and_escaped()
    {
        _node.Healthy(Web());
        Mkdir(FakeNode.PodLogs + "/default_web", Xff, "-0_" + FakeNode.Uid2);

        var i = _node.Inspect();

        var error = Assert.Single(i.Reporter.Errors);
        Assert.Equal("PodDirectoryNotRecognized", error.ErrorId);
        Assert.Equal(Z(_node.Root + FakeNode.PodLogs + "/default_web", Xff, "-0_" + FakeNode.Uid2)[..^1], BytesOf(error.TargetPath!));
        Assert.Contains("default_web\\xff-0_", error.Message);
    }

    [Fact]
    public void A_repair_leaves_entries_with_invalid_bytes_alone()
    {
        var c = _node.Docker(Web());
        _node.PodLogLink(c);
        _node.Mkdir(FakeNode.Legacy);
        Symlink("/nowhere", FakeNode.Legacy + "/web-0_default_nginx-", Xff, c.Id[1..] + ".log");
        Symlink(c.JsonLog, c.ContainerDirectory + "/0", Xff, ".log");

        var r = _node.Repair(force: true);

        Assert.Equal("/nowhere", LinkAt(FakeNode.Legacy + "/web-0_default_nginx-", Xff, c.Id[1..] + ".log"));
        Assert.Equal(c.JsonLog, LinkAt(c.ContainerDirectory + "/0", Xff, ".log"));
        Assert.DoesNotContain(r.Asked, a => a.Target.Contains('\uDCFF') || a.Target.Contains('\uFFFD'));
        Assert.Equal(c.PodLogFile, _node.ReadLink(c.LegacyLink));
    }
}
