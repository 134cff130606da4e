using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

/// <summary>The top-level scalars of a kubelet YAML config, read without a YAML package.</summary>
public class MinimalYamlTests
{
    static IReadOnlyDictionary<string, string?> Read(string text) => MinimalYaml.ReadTopLevelScalars(text);

    [Fact]
    public void Plain_values_are_read()
    {
        var y = Read("apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\npodLogsDir: /data/pods\n");
        Assert.Equal("kubelet.config.k8s.io/v1beta1", y["apiVersion"]);
        Assert.Equal("KubeletConfiguration", y["kind"]);
        Assert.Equal("/data/pods", y["podLogsDir"]);
    }

    [Fact]
    public void Quoted_values_are_unquoted()
    {
        var y = Read("""
            a: "/data/pods # not a comment"
            b: 'it''s'
            c: "tab\there \"quoted\" back\\slash"
            "quoted key": x
            d: ''
            """);
        Assert.Equal("/data/pods # not a comment", y["a"]);
        Assert.Equal("it's", y["b"]);
        Assert.Equal("tab\there \"quoted\" back\\slash", y["c"]);
        Assert.Equal("x", y["quoted key"]);
        Assert.Equal("", y["d"]);
    }

    [Fact]
    public void Comments_are_ignored()
    {
        var y = Read("""
            # kubeadm's file
            podLogsDir: /data/pods # moved
            other: "/x" # after a quoted value
            url: http://example#fragment
            """);
        Assert.Equal("/data/pods", y["podLogsDir"]);
        Assert.Equal("/x", y["other"]);
        Assert.Equal("http://example#fragment", y["url"]);
        Assert.Equal(3, y.Count);
    }

    [Fact]
    public void Nested_blocks_and_lists_are_skipped()
    {
        var y = Read("""
            ---
            authentication:
              anonymous:
                enabled: false
              podLogsDir: /nested/is/not/top/level
            clusterDNS:
            - 10.96.0.10
            -
            - "10.96.0.11"
            evictionHard: {memory.available: "100Mi"}
            tlsCipherSuites: [a, b]
            podLogsDir: /top
            empty:
            nothing: ~
            """);
        Assert.Equal("/top", y["podLogsDir"]);
        Assert.Null(y["authentication"]);
        Assert.Null(y["evictionHard"]);
        Assert.Null(y["tlsCipherSuites"]);
        Assert.Null(y["empty"]);
        Assert.Null(y["nothing"]);
        Assert.False(y.ContainsKey("anonymous"));
        Assert.False(y.ContainsKey("enabled"));
    }

    [Fact]
    public void A_document_end_marker_stops_reading()
    {
        var y = Read("podLogsDir: /a\n...\nother: garbage: here\n");
        Assert.Equal("/a", y["podLogsDir"]);
        Assert.False(y.ContainsKey("other"));
    }

    [Fact]
    public void Crlf_line_endings_are_accepted()
    {
        var y = Read("kind: KubeletConfiguration\r\npodLogsDir: /data/pods\r\n");
        Assert.Equal("/data/pods", y["podLogsDir"]);
    }

    [Theory]
    [InlineData("podLogsDir: /a\npodLogsDir: /b\n", "duplicate key")]
    [InlineData("\tpodLogsDir: /a\n", "tab")]
    [InlineData("kind: x\n---\npodLogsDir: /a\n", "second YAML document")]
    [InlineData("- a\n- b\n", "not a mapping")]
    [InlineData("key: value\n- a\n", "not a mapping")]
    [InlineData("just text\n", "expected 'key: value'")]
    [InlineData("a: \"unterminated\n", "unterminated")]
    [InlineData("a: \"x\" trailing\n", "after a quoted value")]
    [InlineData("a: \"bad \\q escape\"\n", "unsupported escape")]
    public void What_cannot_be_read_safely_is_a_FormatException_naming_the_line(string text, string why)
    {
        var ex = Assert.Throws<FormatException>(() => Read(text));
        Assert.Contains(why, ex.Message);
        Assert.StartsWith("line ", ex.Message);
    }

    [Fact]
    public void The_line_number_is_the_offending_line()
    {
        var ex = Assert.Throws<FormatException>(() => Read("a: 1\nb: 2\na: 3\n"));
        Assert.StartsWith("line 3:", ex.Message);
    }
}
