using PodLogs.Core.Metrics;

namespace PodLogs.Core.Tests;

/// <summary>The Prometheus text exposition of Export-PodLogMetric (issue #14 item 1): escaping, order, HELP and TYPE, values, and the metric set.</summary>
public sealed class PrometheusTextTests
{
    static readonly DateTimeOffset ScannedAt = DateTimeOffset.FromUnixTimeMilliseconds(1796371200250);

    /// <summary>A record as a property bag: what Import-Clixml or remoting makes of one, by name only.</summary>
    sealed class Bag(Dictionary<string, object?> values) : IRecordFields
    {
        public bool Has(string name) => values.ContainsKey(name);
        public string? Text(string name) => values.GetValueOrDefault(name)?.ToString();
        public long? Number(string name) => values.GetValueOrDefault(name) is { } v ? Convert.ToInt64(v) : null;
    }

    static MetricSample Sample(double value, params (string, string)[] labels) => new(labels.Select(l => KeyValuePair.Create(l.Item1, l.Item2)).ToList(), value);

    static Bag Usage(string container, long active, string state, string by = "Instance", long? limit = 8192) => new(new()
    {
        ["By"] = by, ["Namespace"] = "ns", ["PodName"] = "web-0", ["PodUid"] = "u1", ["ContainerName"] = container, ["ActiveBytes"] = active,
        ["RotatedBytes"] = 10L, ["CompressedBytes"] = 0L, ["LeftoverBytes"] = 1L, ["FileCount"] = 2, ["MaxBytes"] = limit, ["RotationState"] = state,
        ["InstanceCount"] = 1,
    });

    static Bag Handle(string process, bool deleted, long bytes, ulong inode) => new(new()
    {
        ["ProcessName"] = process, ["FileDescriptor"] = 3, ["Deleted"] = deleted, ["Bytes"] = bytes, ["Device"] = 2049UL, ["Inode"] = inode,
    });

    static Bag Link(string kind, string status) => new(new() { ["Kind"] = kind, ["Status"] = status, ["LinkType"] = "SymbolicLink" });

    [Fact]
    public void HostileLabelValuesAreEscapedAndStayOnOneLine()
    {
        var text = PrometheusText.Write([new MetricFamily("podlogs_x", "Help with a \\ and a\nline.", "gauge",
            [Sample(1, ("container", "a\"b\\c\nd}e,f=\"g"))])]);
        Assert.Equal("# HELP podlogs_x Help with a \\\\ and a\\nline.\n# TYPE podlogs_x gauge\npodlogs_x{container=\"a\\\"b\\\\c\\nd}e,f=\\\"g\"} 1\n", text);
    }

    [Fact]
    public void FamiliesAreSortedWithHelpAndTypeOnceAndSamplesSortedByLabels()
    {
        var text = PrometheusText.Write([
            new MetricFamily("podlogs_b", "B.", "gauge", [Sample(2, ("k", "z")), Sample(1, ("k", "a")), Sample(3, ("k", "m"))]),
            new MetricFamily("podlogs_a", "A.", "gauge", [Sample(5)]),
            new MetricFamily("podlogs_empty", "Nothing.", "gauge", []),
        ]);
        Assert.Equal("""
            # HELP podlogs_a A.
            # TYPE podlogs_a gauge
            podlogs_a 5
            # HELP podlogs_b B.
            # TYPE podlogs_b gauge
            podlogs_b{k="a"} 1
            podlogs_b{k="m"} 3
            podlogs_b{k="z"} 2

            """.ReplaceLineEndings("\n"), text);
    }

    [Theory]
    [InlineData(0d, "0")]
    [InlineData(12345678901d, "12345678901")]
    [InlineData(0.129, "0.129")]
    [InlineData(1796371200.25, "1796371200.25")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void ValuesAreWrittenWithoutExponentOrCulture(double value, string expected) => Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Fact]
    public void InstancesAddUpPerContainerWithTheirRotationStates()
    {
        var metrics = new NodeMetrics();
        Assert.True(metrics.Add(Usage("app", 100, "Exited")));
        Assert.True(metrics.Add(Usage("app", 200, "WithinLimit", limit: 4096)));
        Assert.True(metrics.Add(Usage("app", 300, "Exited")));
        var text = PrometheusText.Write(metrics.Build(ScannedAt, TimeSpan.FromMilliseconds(1500)));
        const string labels = "namespace=\"ns\",pod=\"web-0\",uid=\"u1\",container=\"app\"";
        Assert.Contains($"podlogs_container_log_bytes{{{labels},state=\"active\"}} 600\n", text);
        Assert.Contains($"podlogs_container_log_bytes{{{labels},state=\"rotated\"}} 30\n", text);
        Assert.Contains($"podlogs_container_log_bytes{{{labels},state=\"leftover\"}} 3\n", text);
        Assert.Contains($"podlogs_container_log_files{{{labels}}} 6\n", text);
        Assert.Contains($"podlogs_container_log_limit_bytes{{{labels}}} 8192\n", text);
        Assert.Contains($"podlogs_container_log_rotation{{{labels},state=\"exited\"}} 2\n", text);
        Assert.Contains($"podlogs_container_log_rotation{{{labels},state=\"within_limit\"}} 1\n", text);
        Assert.Contains("podlogs_last_scan_timestamp_seconds 1796371200.25\n", text);
        Assert.Contains("podlogs_scan_duration_seconds 1.5\n", text);
        // Nothing was said about links, handles or orphans: those families are absent, not 0.
        Assert.DoesNotContain("podlogs_log_links", text);
        Assert.DoesNotContain("podlogs_orphaned", text);
        Assert.DoesNotContain("podlogs_deleted_open_bytes", text);
    }

    [Fact]
    public void LinksHaveEveryKindAndStatusAndErrorsCountByErrorId()
    {
        var metrics = new NodeMetrics();
        Assert.True(metrics.Add(Link("Legacy", "Dangling")));
        Assert.True(metrics.Add(Link("PodLog", "Healthy")));
        Assert.True(metrics.Add(Link("PodLog", "Healthy")));
        metrics.AddError("LogEntryUnreadable");
        metrics.AddError("LogEntryUnreadable");
        var text = PrometheusText.Write(metrics.Build(ScannedAt, TimeSpan.Zero));
        Assert.Contains("podlogs_log_links{kind=\"legacy\",status=\"dangling\"} 1\n", text);
        Assert.Contains("podlogs_log_links{kind=\"pod\",status=\"healthy\"} 2\n", text);
        Assert.Contains("podlogs_log_links{kind=\"pod\",status=\"unsafe\"} 0\n", text);
        Assert.Equal(Enum.GetValues<LogEntryKind>().Length * Enum.GetValues<LinkStatus>().Length, text.Split('\n').Count(l => l.StartsWith("podlogs_log_links{", StringComparison.Ordinal)));
        Assert.Contains("podlogs_errors{error_id=\"LogEntryUnreadable\"} 2\n", text);
    }

    [Fact]
    public void DeletedOpenBytesCountEachFileOncePerHolder()
    {
        var metrics = new NodeMetrics();
        Assert.True(metrics.Add(Handle("fluent-bit", true, 4096, 7)));
        Assert.True(metrics.Add(Handle("fluent-bit", true, 4096, 7)));   // the same file on a second descriptor
        Assert.True(metrics.Add(Handle("fluent-bit", true, 8192, 8)));
        Assert.True(metrics.Add(Handle("fluent-bit", false, 100000, 9)));
        Assert.True(metrics.Add(Handle("vector\\n\"x", true, 512, 7)));
        var text = PrometheusText.Write(metrics.Build(ScannedAt, TimeSpan.Zero));
        Assert.Contains("podlogs_deleted_open_bytes{process=\"fluent-bit\"} 12288\n", text);
        Assert.Contains("podlogs_deleted_open_bytes{process=\"vector\\\\n\\\"x\"} 512\n", text);
    }

    [Fact]
    public void OrphansCountDirectoriesLinksAndBytesOnlyWithTheApisWord()
    {
        var metrics = new NodeMetrics();
        Assert.False(metrics.Add(new Bag(new() { ["IsOrphaned"] = false, ["Layout"] = "Current", ["InCluster"] = null, ["TotalBytes"] = 5L })));
        Assert.True(metrics.Add(new Bag(new() { ["IsOrphaned"] = true, ["Layout"] = "Current", ["InCluster"] = false, ["TotalBytes"] = 4096L })));
        Assert.True(metrics.Add(new Bag(new() { ["Target"] = "/x", ["TargetBytes"] = 100L, ["Reason"] = "gone", ["TotalBytes"] = 0L })));
        var text = PrometheusText.Write(metrics.Build(ScannedAt, TimeSpan.Zero));
        Assert.Contains("podlogs_orphaned_pod_directories 1\n", text);
        Assert.Contains("podlogs_orphaned_legacy_links 1\n", text);
        Assert.Contains("podlogs_orphaned_bytes 4096\n", text);

        var none = new NodeMetrics();
        none.OrphansMeasured();
        Assert.Contains("podlogs_orphaned_pod_directories 0\n", PrometheusText.Write(none.Build(ScannedAt, TimeSpan.Zero)));
    }

    [Fact]
    public void GroupTotalsAndUnknownObjectsAreRefused()
    {
        var metrics = new NodeMetrics();
        Assert.False(metrics.Add(Usage("app", 1, "WithinLimit", by: "Pod")));
        Assert.False(metrics.Add(new Bag(new() { ["Name"] = "something else" })));
        Assert.False(metrics.Add(Link("Sideways", "Healthy")));
        Assert.DoesNotContain("podlogs_container_log", PrometheusText.Write(metrics.Build(ScannedAt, TimeSpan.Zero)));
    }

    [Fact]
    public void ATypedRecordAndItsPropertyBagGiveTheSameText()
    {
        var typed = new NodeMetrics();
        typed.Add(new PodLogUsage
        {
            Namespace = "ns", PodName = "web-0", PodUid = "u1", ContainerName = "app", ActiveBytes = 100, RotatedBytes = 10, LeftoverBytes = 1, FileCount = 2,
            MaxBytes = 8192, RotationState = RotationState.OverLimit,
        });
        typed.Add(new LogHandle { ProcessName = "fluent-bit", Path = "/var/log/pods/x/0.log", Deleted = true, Bytes = 4096, Device = 2049, Inode = 7 });
        var bag = new NodeMetrics();
        bag.Add(Usage("app", 100, "OverLimit"));
        bag.Add(Handle("fluent-bit", true, 4096, 7));
        Assert.Equal(PrometheusText.Write(typed.Build(ScannedAt, TimeSpan.Zero)), PrometheusText.Write(bag.Build(ScannedAt, TimeSpan.Zero)));
    }
}
