using PodLogs.Core.Node;

namespace PodLogs.Core.Tests;

public class QuantitiesTests
{
    // apimachinery pkg/api/resource/quantity.go ParseQuantity + Value() (rounds up).
    [Theory]
    [InlineData("10Mi", 10485760L)]
    [InlineData("100M", 100000000L)]
    [InlineData("1Gi", 1073741824L)]
    [InlineData("1024", 1024L)]
    [InlineData("1.5Ki", 1536L)]
    [InlineData("1e3", 1000L)]
    [InlineData("1E6", 1000000L)]
    [InlineData("0.5", 1L)]
    [InlineData("1m", 1L)]
    [InlineData("500k", 500000L)]
    [InlineData("+2Ki", 2048L)]
    [InlineData("-10Mi", -10485760L)]
    [InlineData("0", 0L)]
    [InlineData("7Ei", 8070450532247928832L)]
    public void KubernetesQuantity(string text, long bytes)
    {
        Assert.True(Quantities.TryParseKubernetesQuantity(text, out var parsed), text);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10MB")]
    [InlineData("10K")]
    [InlineData("Mi")]
    [InlineData("abc")]
    [InlineData("1e")]
    [InlineData("1.2.3")]
    [InlineData("10 Mi")]
    [InlineData("8Ei")]
    [InlineData("99999999999999999999Ei")]
    [InlineData("1e99999")]
    public void KubernetesQuantityRejected(string text) => Assert.False(Quantities.TryParseKubernetesQuantity(text, out _), text);

    // go-units RAMInBytes (moby json-file/local max-size).
    [Theory]
    [InlineData("10m", 10485760L)]
    [InlineData("10M", 10485760L)]
    [InlineData("1g", 1073741824L)]
    [InlineData("100k", 102400L)]
    [InlineData("1.5m", 1572864L)]
    [InlineData("10 mb", 10485760L)]
    [InlineData("10MiB", 10485760L)]
    [InlineData("4096", 4096L)]
    public void DockerSize(string text, long bytes)
    {
        Assert.True(Quantities.TryParseDockerSize(text, out var parsed), text);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("")]
    [InlineData("99999999999p")]
    public void DockerSizeRejected(string text) => Assert.False(Quantities.TryParseDockerSize(text, out _), text);

    [Theory]
    [InlineData("100", 100L)]
    [InlineData("100k", 102400L)]
    [InlineData("50M", 52428800L)]
    [InlineData("1G", 1073741824L)]
    public void LogrotateSize(string text, long bytes)
    {
        Assert.True(Quantities.TryParseLogrotateSize(text, out var parsed), text);
        Assert.Equal(bytes, parsed);
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("x")]
    [InlineData("99999999999999999G")]
    public void LogrotateSizeRejected(string text) => Assert.False(Quantities.TryParseLogrotateSize(text, out _), text);

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("500ms", 500)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    public void GoDuration(string text, long milliseconds)
    {
        Assert.True(Quantities.TryParseGoDuration(text, out var d), text);
        Assert.Equal(milliseconds, (long)d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("abc")]
    [InlineData("10x")]
    [InlineData("")]
    [InlineData("9999999999999h")]
    public void GoDurationRejected(string text) => Assert.False(Quantities.TryParseGoDuration(text, out _), text);
}
