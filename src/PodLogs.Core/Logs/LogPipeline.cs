using System.Runtime.CompilerServices;

namespace PodLogs.Core.Logs;

/// <summary>
/// The one read pipeline, as kubelet's ReadLogs is one loop: physical lines (<see cref="LineSplitter"/>) →
/// records (<see cref="RecordDecoder"/>) → logical lines, merged and split at MaxLineBytes
/// (<see cref="PartialLineMerger"/>) → filters and the UTF-8 check (<see cref="LineFilter"/>). Its driver feeds
/// it the bytes of one file after another and decides what the end of a file means: <see cref="ContainerLogReader"/>
/// goes on with the next segment, the follower waits, or reopens the name after a rotation or truncation.
/// Line problems are counted in <see cref="Warnings"/>, which the driver flushes when a file is done.
/// </summary>
internal sealed class LogPipeline : IDisposable
{
    readonly LineSplitter _splitter;
    readonly RecordDecoder _decoder;
    readonly PartialLineMerger _merger;
    readonly LineFilter _filter;
    bool _atEnd, _dropRest;
    // reading began inside a file: per stream, whether it began at a line boundary (else its first line is a tail, and dropped)
    bool[]? _firstIsClean;
    readonly bool[] _seenStream = new bool[3];

    /// <param name="chunkOversizeCri">Pass a CRI line longer than MaxLineBytes + 64 KiB on in chunks (split into lines) instead of skipping it.</param>
    public LogPipeline(LogReadOptions options, int initialBufferSize, bool chunkOversizeCri)
    {
        options.Validate();
        _splitter = new LineSplitter(initialBufferSize, options.PhysicalLineCap, chunkOversizeCri, Warnings);
        _decoder = new RecordDecoder(options.Streams, Warnings);
        _merger = new PartialLineMerger(options.MaxLineBytes, options.NoMerge, Warnings);
        _filter = new LineFilter(options, Warnings);
    }

    public LineWarnings Warnings { get; } = new();

    /// <inheritdoc cref="LineFilter.ReportInvalidUtf8"/>
    public bool ReportInvalidUtf8 { get => _filter.ReportInvalidUtf8; set => _filter.ReportInvalidUtf8 = value; }

    /// <summary>Bytes of the current file not yet part of a whole line, and where they start.</summary>
    public int Unconsumed => _splitter.Unconsumed;
    public long UnconsumedOffset => _splitter.UnconsumedOffset;

    /// <summary>The unconsumed bytes are the rest of a line too long to hold, which is being dropped.</summary>
    public bool Skipping => _splitter.Skipping;

    /// <summary>Reading begins inside a file; <paramref name="firstIsClean"/> (filled by the driver when it opens that file) says, per stream, whether at a line boundary.</summary>
    public void StartMidStream(bool[] firstIsClean) => _firstIsClean = firstIsClean;

    /// <summary>The bytes that follow are <paramref name="file"/>'s from <paramref name="offset"/> (format Unknown: detected from them).</summary>
    public void StartFile(string file, LogFormat format, long offset)
    {
        _splitter.Start(file, format, offset);
        _atEnd = _dropRest = false;
    }

    /// <summary>Where to put the next bytes of the file (valid when <see cref="TryRead"/> has returned false).</summary>
    public Span<byte> Room => _splitter.Room;

    public void Added(int n) => _splitter.Added(n);

    /// <summary>The current file ends here: its last line, if it has no newline, is read as it is (unless <paramref name="dropRest"/>).</summary>
    public void EndOfFile(bool dropRest = false)
    {
        _atEnd = true;
        _dropRest = dropRest;
    }

    /// <summary>No more records will come (or those to come do not continue the open lines): the lines still open are read next, flagged Incomplete.</summary>
    public void EndOfInput() => _merger.FlushIncomplete();

    /// <summary>The next line that passes the filters, from the bytes added so far; false: more bytes are needed (or the file has ended).</summary>
    public bool TryRead(out LogLineView line)
    {
        if (!TryAdvance())
        {
            line = default;
            return false;
        }
        var m = _merger;
        line = new LogLineView
        {
            TimestampText = m.TimestampText,
            Message = m.Message,
            UtcTicks = m.UtcTicks,
            OffsetMinutes = m.OffsetMinutes,
            Stream = m.Stream,
            File = m.File,
            Offset = m.Offset,
            Flags = m.Flags,
        };
        return true;
    }

    /// <summary>Like <see cref="TryRead"/> without building the view (counting).</summary>
    public bool TryAdvance()
    {
        while (NextLogical())
        {
            var m = _merger;
            var message = m.Message;
            if (!_filter.Passes(m.UtcTicks, message, m.File, m.Offset)) continue;
            m.Flags |= _filter.Check(message, m.File, m.Offset);
            return true;
        }
        return false;
    }

    bool NextLogical()
    {
        while (true)
        {
            if (_merger.TryTake())
            {
                if (Emitted()) return true;
                continue;
            }
            if (!_splitter.TryNext(_atEnd, _dropRest, out var physical)) return false;
            _decoder.Decode(_splitter, physical, _merger.Record);
        }
    }

    /// <summary>After a mid-file start, a stream's first line may be the tail of one begun before it: dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    bool Emitted()
    {
        if (_firstIsClean is null) return true;
        var s = (int)_merger.Stream;
        if (_seenStream[s]) return true;
        _seenStream[s] = true;
        return _firstIsClean[s];
    }

    public void Dispose()
    {
        _splitter.Dispose();
        _decoder.Dispose();
    }
}
