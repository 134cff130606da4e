using System.Text;
using PodLogs.Core.Logs;
using static PodLogs.Core.Tests.LogDir;

namespace PodLogs.Core.Tests;

/// <summary>Read pipeline stage 2, in memory: a physical line to a record, or a counted malformed line.</summary>
public class RecordDecoderTests
{
    static (bool Ok, DecodedRecord Record) Decode(string line, LogFormat format, LogStreams streams, LineWarnings warnings)
    {
        var s = new LineSplitter(4096, 8192, true, warnings);
        s.Start("f", format, 0);
        var bytes = Encoding.UTF8.GetBytes(line);
        bytes.CopyTo(s.Room);
        s.Added(bytes.Length);
        Assert.True(s.TryNext(true, false, out var physical));
        var record = new DecodedRecord();
        return (new RecordDecoder(streams, warnings).Decode(s, physical, record), record);
    }

    static string Content(DecodedRecord r) => Encoding.UTF8.GetString(r.Arr, r.Off, r.Len);

    [Fact]
    public void Decodes_CRI_and_docker_json_records_with_their_header()
    {
        var (ok, r) = Decode(Cri(T0, "stderr", 'P', "part"), LogFormat.Cri, LogStreams.All, new LineWarnings());
        Assert.True(ok);
        Assert.Equal(("part", true, LogStream.Stderr, T0.UtcTicks, "f"), (Content(r), r.Partial, r.Header.Stream, r.Header.Ticks, r.Header.File));
        (ok, r) = Decode(Docker(T0, "stdout", "a \"quoted\" line\n"), LogFormat.DockerJson, LogStreams.All, new LineWarnings());
        Assert.True(ok);
        Assert.Equal(("a \"quoted\" line", false, LogStream.Stdout), (Content(r), r.Partial, r.Header.Stream));
    }

    [Fact]
    public void Drops_a_stream_not_asked_for_and_counts_a_malformed_line()
    {
        var warnings = new LineWarnings();
        Assert.False(Decode(Cri(T0, "stdout", 'F', "x"), LogFormat.Cri, LogStreams.Stderr, warnings).Ok);
        Assert.False(Decode("garbage\n", LogFormat.Cri, LogStreams.All, warnings).Ok);
        var reporter = new CollectingReporter();
        warnings.Flush(reporter);
        Assert.Equal("Malformed CRI line in 'f' at byte 0: no timestamp delimiter; skipped.", Assert.Single(reporter.Warnings));
    }
}
