using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

/// <summary>
/// Reads a container's segments oldest first as one stream of logical lines, through the one read pipeline
/// (<see cref="LogPipeline"/>: formats per file, partial records merged across blocks and segments up to
/// MaxLineBytes, UTF-8 checked, filters on spans). This class is the pipeline's driver for a log that is read,
/// not followed: at the end of a segment it goes on with the next one. Nothing is allocated per line until
/// <see cref="LogLineView.ToLogLine"/>. Problems are reported with file and byte offset; reading goes on.
/// Line problems are reported once per file when it is done (<see cref="LineWarnings"/>); a .gz segment is
/// decompressed at most up to its cap (<see cref="LogReadOptions.MaxDecompressedBytes"/>, <see cref="LogReadOptions.MaxCompressionRatio"/>).
/// </summary>
public sealed class ContainerLogReader : IDisposable
{
    readonly IReadOnlyList<LogSegment> _segments;
    readonly LogReadOptions _o;
    readonly IPodLogsReporter _reporter;
    readonly LogPosition _start;
    readonly bool _midStream;
    readonly CancellationToken _ct;
    readonly LogPipeline _pipeline;
    /// <summary>Per stream: reading starts at a line boundary (the stream's previous record was not partial).</summary>
    readonly bool[] _firstIsClean = [true, true, true];

    // the current segment
    int _seg;
    SafeFileHandle? _handle;
    Stream? _gzip;
    string _file = "";
    long _readOffset;      // next offset to read (plain files)
    long _readLimit;       // plain files: the segment's Length, if it has one
    long _gzTotal;         // decompressed bytes so far (gz)
    long _gzCompressedSize;
    long _gzCap;           // decompress no more than this from the current .gz
    bool _gzCapped;        // ... and reading it stopped there
    bool _segEof;
    bool _inputEnded, _done;

    /// <param name="start">Where to start; null = at the start, or where <see cref="LogSeek.FindSince"/> puts <c>Since</c>.</param>
    /// <param name="cancellationToken">Looked at before every block read, so a long scan (nothing passing -Match) stops promptly.</param>
    public ContainerLogReader(IReadOnlyList<LogSegment> segments, LogReadOptions? options = null, IPodLogsReporter? reporter = null, LogPosition? start = null,
        CancellationToken cancellationToken = default)
    {
        _ct = cancellationToken;
        _segments = segments;
        _o = options ?? new LogReadOptions();
        var from = start ?? (_o.Since is { } s ? LogSeek.FindSince(segments, s, _o) : default);
        _pipeline = new LogPipeline(_o, _o.BlockSize, chunkOversizeCri: true);
        _reporter = reporter ?? new CollectingReporter();
        _start = from;
        _midStream = from.Offset > 0 || from.Segment > 0;
        if (_midStream) _pipeline.StartMidStream(_firstIsClean);
        _seg = from.Segment - 1;
    }

    /// <summary>Segments of <paramref name="liveFile"/>, read from the start.</summary>
    public static ContainerLogReader Open(string liveFile, LogReadOptions? options = null, IPodLogsReporter? reporter = null) =>
        new(LogSegments.Discover(liveFile), options, reporter);

    /// <summary>Every line that passes the filters, as records.</summary>
    public static IEnumerable<LogLine> ReadAll(IReadOnlyList<LogSegment> segments, LogReadOptions? options = null, IPodLogsReporter? reporter = null,
        CancellationToken cancellationToken = default)
    {
        using var reader = new ContainerLogReader(segments, options, reporter, cancellationToken: cancellationToken);
        while (reader.TryReadRecord(out var line)) yield return line;
    }

    /// <inheritdoc cref="LineFilter.ReportInvalidUtf8"/>
    internal bool ReportInvalidUtf8 { get => _pipeline.ReportInvalidUtf8; init => _pipeline.ReportInvalidUtf8 = value; }

    /// <summary>The next line that passes the filters, as a record.</summary>
    public bool TryReadRecord(out LogLine line)
    {
        if (TryRead(out LogLineView view)) { line = view.ToLogLine(); return true; }
        line = null!;
        return false;
    }

    /// <summary>The next line that passes the filters; the spans stay valid until the next call.</summary>
    public bool TryRead(out LogLineView line)
    {
        while (true)
        {
            if (_pipeline.TryRead(out line)) return true;
            if (!Feed()) return false;
        }
    }

    /// <summary>Counts lines that pass the filters without building records (the benchmark's full parse).</summary>
    public long CountAll()
    {
        long n = 0;
        while (true)
        {
            while (_pipeline.TryAdvance()) n++;
            if (!Feed()) return n;
        }
    }

    /// <summary>
    /// The pipeline wants more: the next block of the segment; at its end, the next segment; after the last, the
    /// lines still open. False when all is read.
    /// </summary>
    bool Feed()
    {
        if (_handle is null)
        {
            if (_inputEnded)
            {
                if (!_done) _pipeline.Warnings.Flush(_reporter);
                _done = true;
                return false;
            }
            if (!OpenNextSegment())
            {
                _inputEnded = true;
                _pipeline.EndOfInput();
            }
            return true;
        }
        if (_segEof)
        {
            CloseSegment();
            return true;
        }
        _ct.ThrowIfCancellationRequested();
        var n = ReadMore(_pipeline.Room);
        if (n == 0)
        {
            _segEof = true;
            // a .gz cut at its cap: the bytes after its last newline are not a line
            _pipeline.EndOfFile(dropRest: _gzCapped);
        }
        else _pipeline.Added(n);
        return true;
    }

    int ReadMore(Span<byte> into)
    {
        if (_gzip is not null)
        {
            try
            {
                var left = _gzCap - _gzTotal;
                if (left <= 0)
                {
                    // at the cap: one byte more says whether the segment really goes on
                    Span<byte> one = stackalloc byte[1];
                    if (_gzip.Read(one) == 0) return GzipEnded();
                    _o.Counters?.AddDecompressed(1);
                    _o.Counters?.AddCapped();
                    _gzCapped = true;
                    _reporter.Warning($"Compressed log '{_file}' expands to more than {_gzCap} bytes from {_gzCompressedSize} compressed bytes; " +
                        $"reading it stops there, and its later lines are not read (a segment is decompressed up to the larger of {_o.MaxDecompressedBytes} bytes " +
                        $"and {_o.MaxCompressionRatio} times its compressed size). If it is a genuine log, read it whole with zcat.");
                    return 0;
                }
                if (into.Length > left) into = into[..(int)left];
                var n = _gzip.Read(into);
                _gzTotal += n;
                _o.Counters?.AddDecompressed(n);
                return n == 0 ? GzipEnded() : n;
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                _reporter.Warning($"Compressed log '{_file}' is truncated or corrupt after {_gzTotal} decompressed bytes (compressed size {_gzCompressedSize}): {ex.Message}; reading goes on with the next segment.");
                return 0;
            }
        }
        try
        {
            if (_readLimit - _readOffset < into.Length) into = into[..(int)Math.Max(0, _readLimit - _readOffset)];
            var n = into.IsEmpty ? 0 : RandomAccess.Read(_handle!, into, _readOffset);
            _readOffset += n;
            return n;
        }
        catch (IOException ex)
        {
            _reporter.Error(LogFileOpener.ReadFailure(_file, _readOffset, ex));
            return 0;
        }
    }

    /// <summary>GZipStream reports a cut-off stream as a plain end: compare ISIZE (the last 4 bytes) with what came out.</summary>
    // the end of a .gz's data: a warning unless its trailer says it is whole
    int GzipEnded()
    {
        if (!GzipTrailerMatches())
            _reporter.Warning($"Compressed log '{_file}' is truncated or corrupt after {_gzTotal} decompressed bytes (compressed size {_gzCompressedSize}); reading goes on with the next segment.");
        return 0;
    }

    bool GzipTrailerMatches()
    {
        if (_gzCompressedSize < 18) return false;
        Span<byte> trailer = stackalloc byte[4];
        if (RandomAccess.Read(_handle!, trailer, _gzCompressedSize - 4) != 4) return false;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer) == (uint)_gzTotal;
    }

    bool OpenNextSegment()
    {
        while (++_seg < _segments.Count)
        {
            var segment = _segments[_seg];
            SafeFileHandle? handle;
            FileStatus status;
            if (!segment.Live && !segment.Compressed && segment.Held is null && LogFileOpener.LStat(segment.Path, segment.Door, out _) == Posix.ENOENT && LogFileOpener.LStat(segment.Path + ".gz", segment.Door, out _) == 0)
            {
                // compressed since it was listed (kubelet writes .gz.tmp, renames, removes the plain file): read it once, as .gz
                segment = segment with { Path = segment.Path + ".gz", Compressed = true };
            }
            handle = LogFileOpener.Open(segment, _reporter, out status);
            if (handle is null) continue;
            _readLimit = segment.Length ?? long.MaxValue;
            _handle = handle;
            _file = segment.Path;
            _segEof = false;
            _gzTotal = 0;
            _gzCompressedSize = status.Size;
            _gzCap = _o.DecompressionCap(status.Size);
            _gzCapped = false;
            if (segment.Compressed)
            {
                _gzip = new GZipStream(new FileStream(handle, FileAccess.Read, 1), CompressionMode.Decompress);
                // the format from the first decompressed bytes
                _pipeline.StartFile(_file, LogFormat.Unknown, 0);
            }
            else
            {
                Span<byte> head = stackalloc byte[64];
                var format = LineSplitter.DetectFormat(head[..RandomAccess.Read(handle, head, 0)]);
                _readOffset = 0;
                if (_midStream && _seg == _start.Segment)
                {
                    if (_start.Offset > 0)
                    {
                        _readOffset = LogProbe.AlignToLineStart(handle, Math.Min(_start.Offset, status.Size), status.Size);
                        LogProbe.StreamsAtBoundary(handle, _readOffset, format, _firstIsClean);
                    }
                    else if (_seg > 0 && !_segments[_seg - 1].Compressed)
                        LogProbe.StreamsAtBoundary(_segments[_seg - 1], _firstIsClean);
                }
                _pipeline.StartFile(_file, format, _readOffset);
            }
            return true;
        }
        return false;
    }

    void CloseSegment()
    {
        _pipeline.Warnings.Flush(_reporter);
        _gzip?.Dispose();
        _gzip = null;
        _handle?.Dispose();
        _handle = null;
    }

    public void Dispose()
    {
        CloseSegment();
        _pipeline.Dispose();
    }
}
