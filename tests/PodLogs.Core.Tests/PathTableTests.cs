using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>NodeRoot's path-keyed table: keys looked up as parts of other strings, growth, overwrite.</summary>
public sealed class PathTableTests
{
    [Fact]
    public void A_key_is_found_as_a_prefix_or_a_part_of_another_string()
    {
        var table = new PathTable<string>();
        table.Set("/var/log/pods", "pods");
        table.Set("abc", "name");
        const string path = "/var/log/pods/ns_pod_uid/c/0.log";
        Assert.Equal("pods", table.Find(path, 0, "/var/log/pods".Length));
        Assert.Equal("pods", table["/var/log/pods"]);
        Assert.Equal("name", table.Find("x/abc/y", 2, 3));
        Assert.Null(table.Find(path, 0, "/var/log/pod".Length));
        Assert.Null(table.Find("x/abd/y", 2, 3));
        Assert.Null(table[""]);
    }

    [Fact]
    public void It_grows_keeps_every_key_and_overwrites_in_place()
    {
        var table = new PathTable<string>(2);
        var keys = Enumerable.Range(0, 5000).Select(i => $"/var/lib/docker/containers/{i:x64}").ToList();
        foreach (var k in keys) table.Set(k, k);
        Assert.Equal(5000, table.Count);
        Assert.All(keys, k => Assert.Same(k, table[k]));
        // Keys that differ only before their last 32 characters hash alike and must still be told apart.
        table.Set("a" + new string('z', 40), "first");
        table.Set("b" + new string('z', 40), "second");
        Assert.Equal("first", table["a" + new string('z', 40)]);
        Assert.Equal("second", table["b" + new string('z', 40)]);
        table.Set(keys[7], "replaced");
        Assert.Equal("replaced", table[keys[7]]);
        Assert.Equal(5002, table.Count);
        table.Clear();
        Assert.Equal(0, table.Count);
        Assert.Null(table[keys[7]]);
    }
}
