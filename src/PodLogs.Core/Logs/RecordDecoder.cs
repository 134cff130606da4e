using System.Buffers;

namespace PodLogs.Core.Logs;

/// <summary>
/// Read pipeline, stage 2: a physical line in its file's format becomes a <see cref="DecodedRecord"/>
/// (kubelet's parseCRILog / parseDockerJSONLog through <see cref="PhysicalLineParser"/>); a malformed line is
/// counted (one warning per file), a record of a stream not asked for is dropped. A CRI line that arrives in
/// chunks takes its header from the first chunk.
/// </summary>
internal sealed class RecordDecoder : IDisposable
{
    readonly LogStreams _streams;
    readonly LineWarnings _warnings;
    byte[] _scratch = [];
    // the header of a CRI line arriving in chunks
    readonly PendingLine _chunkHeader = new();
    bool _chunkPartialTag;

    public RecordDecoder(LogStreams streams, LineWarnings warnings)
    {
        _streams = streams;
        _warnings = warnings;
    }

    /// <summary>Decodes <paramref name="line"/> of <paramref name="splitter"/>'s buffer into <paramref name="into"/>; false when it is dropped.</summary>
    public bool Decode(LineSplitter splitter, in PhysicalLine line, DecodedRecord into)
    {
        var buf = splitter.Buffer;
        var span = buf.AsSpan(line.Start, line.Length);
        if (line.Chunk != ChunkKind.None) return DecodeChunk(splitter, span, line, into);
        if (span.IsEmpty) return false;
        var format = splitter.Format;
        if (format == LogFormat.DockerJson && _scratch.Length < span.Length)
        {
            if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(span.Length, 4096));
        }
        if (!PhysicalLineParser.TryParse(format, span, _scratch, out var r, out var error))
        {
            _warnings.Add(LineProblem.Malformed, splitter.File, line.Offset, format, error);
            return false;
        }
        if (((int)_streams & (int)r.Stream) == 0) return false;
        SetHeader(into, ref r, splitter.File, line.Offset, line.Unterminated);
        if (format == LogFormat.DockerJson) SetSpans(into, ref r, buf);
        else
        {
            // CRI: both spans are slices of the line in the buffer; no need to look them up
            into.TsArr = buf; into.TsOff = line.Start; into.TsLen = r.TimestampText.Length;
            into.Arr = buf; into.Off = line.Start + line.Length - r.Content.Length; into.Len = r.Content.Length;
        }
        return true;
    }

    bool DecodeChunk(LineSplitter splitter, ReadOnlySpan<byte> chunk, in PhysicalLine line, DecodedRecord into)
    {
        if (line.Chunk == ChunkKind.First)
        {
            if (!CriLineParser.TryParse(chunk, out var r, out var error))
            {
                _warnings.Add(LineProblem.Malformed, splitter.File, line.Offset, LogFormat.Cri, error);
                splitter.SkipRestOfLine(line.Offset);
                return false;
            }
            var header = new PendingLine { Ticks = r.UtcTicks, OffsetMinutes = r.OffsetMinutes, Stream = r.Stream, File = splitter.File, Offset = line.Offset };
            _chunkHeader.Start(header, r.TimestampText, 0);
            _chunkPartialTag = r.Partial;
            if (((int)_streams & (int)r.Stream) == 0) return false;
            r.TimestampText = _chunkHeader.Ts.AsSpan(0, _chunkHeader.TsLen);
            r.Partial = true;
            SetHeader(into, ref r, splitter.File, line.Offset, false);
            SetSpans(into, ref r, splitter.Buffer);
            return true;
        }
        if (((int)_streams & (int)_chunkHeader.Stream) == 0) return false;
        var rec = new PhysicalRecord
        {
            TimestampText = _chunkHeader.Ts.AsSpan(0, _chunkHeader.TsLen),
            UtcTicks = _chunkHeader.Ticks,
            OffsetMinutes = _chunkHeader.OffsetMinutes,
            Stream = _chunkHeader.Stream,
            Partial = line.Chunk == ChunkKind.Middle || _chunkPartialTag,
            Content = chunk,
        };
        SetHeader(into, ref rec, splitter.File, _chunkHeader.Offset, line.Unterminated);
        SetSpans(into, ref rec, splitter.Buffer);
        return true;
    }

    static void SetHeader(DecodedRecord into, ref PhysicalRecord r, string file, long offset, bool unterminated)
    {
        var h = into.Header;
        h.Ticks = r.UtcTicks;
        h.OffsetMinutes = r.OffsetMinutes;
        h.Stream = r.Stream;
        h.File = file;
        h.Offset = offset;
        h.WarnedSplit = false;
        into.Partial = r.Partial;
        into.Unterminated = unterminated;
        into.Active = true;
    }

    void SetSpans(DecodedRecord into, ref PhysicalRecord r, byte[] buf)
    {
        (into.TsArr, into.TsOff) = Locate(r.TimestampText, buf);
        into.TsLen = r.TimestampText.Length;
        (into.Arr, into.Off) = Locate(r.Content, buf);
        into.Len = r.Content.Length;
    }

    /// <summary>Which of the arrays a span points into (the splitter's buffer, the JSON scratch, the chunk header).</summary>
    (byte[], int) Locate(ReadOnlySpan<byte> span, byte[] buf)
    {
        if (span.IsEmpty) return (buf, 0);
        if (Overlaps(buf, span, out var off)) return (buf, off);
        if (Overlaps(_scratch, span, out off)) return (_scratch, off);
        if (Overlaps(_chunkHeader.Ts, span, out off)) return (_chunkHeader.Ts, off);
        throw new InvalidOperationException("span outside the decoder's buffers");
    }

    static bool Overlaps(byte[] arr, ReadOnlySpan<byte> span, out int offset)
    {
        offset = 0;
        if (arr.Length == 0) return false;
        return arr.AsSpan().Overlaps(span, out offset);
    }

    public void Dispose()
    {
        if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
        _scratch = [];
    }
}
