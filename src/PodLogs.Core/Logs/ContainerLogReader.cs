using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

/// <summary>Where reading starts: a segment index and a byte offset in it.</summary>
public readonly record struct LogPosition(int Segment, long Offset);

/// <summary>
/// Reads a container's segments oldest first as one stream of logical lines: detects the format per
/// file, merges partial records (per stream, across block and segment boundaries) up to MaxLineBytes,
/// validates UTF-8 and applies the filters on spans. Nothing is allocated per line until
/// <see cref="LogLineView.ToLogLine"/>. Problems are reported with file and byte offset; reading goes on.
/// Line problems (malformed, too long, invalid UTF-8) are counted per file and reported once per file when
/// it is done (<see cref="LineWarnings"/>); a .gz segment is decompressed at most up to its cap
/// (<see cref="LogReadOptions.MaxDecompressedBytes"/>, <see cref="LogReadOptions.MaxCompressionRatio"/>).
/// </summary>
public sealed class ContainerLogReader : IDisposable
{
    readonly IReadOnlyList<LogSegment> _segments;
    readonly LogReadOptions _o;
    readonly IPodLogsReporter _reporter;
    readonly long _sinceTicks, _untilTicks;
    readonly LogPosition _start;
    readonly bool _dropFirstPerStream;
    readonly CancellationToken _ct;

    // current segment
    int _seg;
    SafeFileHandle? _handle;
    Stream? _gzip;
    string _file = "";
    LogFormat _format;
    long _readOffset;      // next offset to read (plain files)
    long _readLimit;       // plain files: the segment's Length, if it has one
    long _gzTotal;         // decompressed bytes so far (gz)
    long _gzCompressedSize;
    long _gzCap;           // decompress no more than this from the current .gz
    bool _gzCapped;        // ... and reading it stopped there
    bool _segEof;
    readonly LineWarnings _lineWarnings = new();

    // read buffer: [_pos, _end) unparsed; _bufBase is the file offset of _buf[0]
    byte[] _buf;
    int _pos, _end;
    long _bufBase;
    byte[] _scratch;
    char[] _chars = [];

    // the physical line NextLine returned last ended its segment without a newline
    bool _lineUnterminated;

    // a physical line too long for the buffer
    bool _skipping;       // docker: drop until newline
    long _skipStart;
    bool _oversize;       // CRI: pass on in chunks
    readonly Pending _oversizeHeader = new();
    bool _oversizePartialTag;

    // merge state, one per stream
    readonly Pending[] _pending = [new(), new(), new()];
    readonly bool[] _seenStream = new bool[3];
    int _resetStream;

    // the record being consumed (content may be longer than fits a line)
    bool _carry;
    byte[] _carryArr = [];
    int _carryOff, _carryLen;
    bool _carryPartial;
    bool _carryUnterminated;   // the record's physical line ended its segment without a newline
    readonly Pending _carryHeader = new();
    byte[] _carryTsArr = [];
    int _carryTsOff, _carryTsLen;

    // the output
    byte[] _outTsArr = [], _outMsgArr = [];
    int _outTsOff, _outTsLen, _outMsgOff, _outMsgLen;
    long _outTicks, _outOffset;
    short _outOffMin;
    LogStream _outStream;
    string _outFile = "";
    LogLineFlags _outFlags;
    bool _done;

    /// <param name="start">Where to start; null = at the start, or where <see cref="LogSeek.FindSince"/> puts <c>Since</c>.</param>
    /// <param name="cancellationToken">Looked at before every block read, so a long scan (nothing passing -Match) stops promptly.</param>
    public ContainerLogReader(IReadOnlyList<LogSegment> segments, LogReadOptions? options = null, IPodLogsReporter? reporter = null, LogPosition? start = null,
        CancellationToken cancellationToken = default)
    {
        _ct = cancellationToken;
        _segments = segments;
        _o = options ?? new LogReadOptions();
        var from = start ?? (_o.Since is { } s ? LogSeek.FindSince(segments, s, _o) : default);
        _o.Validate();
        _reporter = reporter ?? new CollectingReporter();
        _sinceTicks = _o.Since?.UtcTicks ?? long.MinValue;
        _untilTicks = _o.Until?.UtcTicks ?? long.MaxValue;
        _start = from;
        _dropFirstPerStream = from.Offset > 0 || from.Segment > 0;
        _seg = from.Segment - 1;
        _buf = ArrayPool<byte>.Shared.Rent(Math.Clamp(_o.BlockSize, 64, _o.PhysicalLineCap));
        _scratch = [];
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

    /// <summary>
    /// Whether lines with invalid UTF-8 are reported (they are flagged either way). LogTail reports them for
    /// the lines it returns, not for every line of its window.
    /// </summary>
    internal bool ReportInvalidUtf8 { get; init; } = true;

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
        while (NextLogical())
        {
            if (!Passes()) continue;
            Validate();
            line = CurrentView();
            return true;
        }
        line = default;
        return false;
    }

    /// <summary>Counts lines that pass the filters without building records (the benchmark's full parse).</summary>
    public long CountAll()
    {
        long n = 0;
        while (NextLogical()) if (Passes()) { Validate(); n++; }
        return n;
    }

    LogLineView CurrentView() => new()
    {
        TimestampText = _outTsArr.AsSpan(_outTsOff, _outTsLen),
        Message = _outMsgArr.AsSpan(_outMsgOff, _outMsgLen),
        UtcTicks = _outTicks,
        OffsetMinutes = _outOffMin,
        Stream = _outStream,
        File = _outFile,
        Offset = _outOffset,
        Flags = _outFlags,
    };

    bool Passes()
    {
        if (_outTicks < _sinceTicks || _outTicks > _untilTicks) return false;
        return _o.Match is not { } regex || Matches(regex);
    }

    // apart from Passes, so the decoding and the match (with its timeout handling) do not keep Passes from being inlined
    bool Matches(Regex regex)
    {
        var msg = _outMsgArr.AsSpan(_outMsgOff, _outMsgLen);
        if (_chars.Length < msg.Length) _chars = new char[Math.Max(msg.Length, 256)];
        var n = Encoding.UTF8.GetChars(msg, _chars);
        return LogMatch.IsMatch(regex, _chars.AsSpan(0, n), _outFile, _outOffset);
    }

    // ---- logical lines ----------------------------------------------------------------------

    bool NextLogical()
    {
        while (true)
        {
            if (_resetStream != 0) { _pending[_resetStream].Clear(); _resetStream = 0; }
            if (_carry)
            {
                if (ConsumeCarry()) { if (Emitted()) return true; }
                continue;
            }
            if (_done) return false;
            if (!NextRecord())
            {
                // end of input: lines still open are emitted as Incomplete
                for (var s = 1; s <= 2; s++)
                {
                    if (!_pending[s].Active) continue;
                    EmitPending(s, LogLineFlags.Incomplete);
                    if (Emitted()) return true;
                }
                _done = true;
                _lineWarnings.Flush(_reporter);
                return false;
            }
        }
    }

    /// <summary>Post-emit: drop a line that may be the tail of one started before a mid-file start.</summary>
    bool Emitted()
    {
        var s = (int)_outStream;
        if (_dropFirstPerStream && !_seenStream[s])
        {
            _seenStream[s] = true;
            if (!_firstIsClean[s]) return false;
        }
        return true;
    }

    /// <summary>UTF-8 is checked on lines that passed the filters, so a skipped line is never reported.</summary>
    void Validate()
    {
        if (!Utf8.IsValid(_outMsgArr.AsSpan(_outMsgOff, _outMsgLen)))
        {
            _outFlags |= LogLineFlags.InvalidUtf8;
            if (ReportInvalidUtf8) _lineWarnings.Add(LineProblem.InvalidUtf8, _outFile, _outOffset);
        }
    }

    /// <summary>Per stream: reading starts at a line boundary (the stream's previous record was not partial).</summary>
    readonly bool[] _firstIsClean = [true, true, true];

    /// <summary>Moves the current record's content into the output or the merge buffer. True when a line is out.</summary>
    bool ConsumeCarry()
    {
        var s = (int)_carryHeader.Stream;
        var content = _carryArr.AsSpan(_carryOff, _carryLen);
        if (_o.NoMerge)
        {
            _carry = false;
            SetOut(_carryTsArr, _carryTsOff, _carryTsLen, _carryArr, _carryOff, _carryLen, _carryHeader,
                (_carryPartial ? LogLineFlags.Partial : LogLineFlags.None) | (_carryUnterminated ? LogLineFlags.Incomplete : LogLineFlags.None));
            return true;
        }
        var p = _pending[s];
        if (!p.Active && !_carryPartial && content.Length <= _o.MaxLineBytes)
        {
            // the common case: a whole line in one record, emitted from the read buffer without a copy
            _carry = false;
            SetOut(_carryTsArr, _carryTsOff, _carryTsLen, _carryArr, _carryOff, _carryLen, _carryHeader, _carryUnterminated ? LogLineFlags.Incomplete : LogLineFlags.None);
            return true;
        }
        if (!p.Active) p.Start(_carryHeader, _carryTsArr.AsSpan(_carryTsOff, _carryTsLen), _o.MaxLineBytes);
        var room = _o.MaxLineBytes - p.Length;
        if (content.Length <= room)
        {
            p.Append(content);
            _carry = false;
            // a record cut off by the end of its file ends its line: nothing after it continues what it began
            if (_carryPartial && !_carryUnterminated) return false;
            EmitPending(s, _carryUnterminated ? LogLineFlags.Incomplete : LogLineFlags.None);
            return true;
        }
        var take = Utf8Boundary(content, room);
        p.Append(content[..take]);
        _carryOff += take;
        _carryLen -= take;
        if (!p.WarnedSplit) _lineWarnings.Add(LineProblem.Split, p.File, p.Offset, maxLineBytes: _o.MaxLineBytes);
        EmitPending(s, LogLineFlags.Split);
        // the rest continues as a new line with this record's header, without a second warning
        _carryHeader.WarnedSplit = true;
        return true;
    }

    void EmitPending(int s, LogLineFlags flags)
    {
        var p = _pending[s];
        SetOut(p.Ts, 0, p.TsLen, p.Data, 0, p.Length, p, flags);
        _resetStream = s;
    }

    void SetOut(byte[] tsArr, int tsOff, int tsLen, byte[] msgArr, int msgOff, int msgLen, Pending h, LogLineFlags flags)
    {
        _outTsArr = tsArr; _outTsOff = tsOff; _outTsLen = tsLen;
        _outMsgArr = msgArr; _outMsgOff = msgOff; _outMsgLen = msgLen;
        _outTicks = h.Ticks; _outOffMin = h.OffsetMinutes; _outStream = h.Stream; _outFile = h.File; _outOffset = h.Offset;
        _outFlags = flags;
    }

    static int Utf8Boundary(ReadOnlySpan<byte> s, int max)
    {
        if (max >= s.Length) return s.Length;
        var i = max;
        // do not cut inside a multi-byte character
        for (var k = 0; k < 3 && i > 0 && (s[i] & 0xC0) == 0x80; k++) i--;
        return i > 0 ? i : max;
    }

    // ---- physical records -------------------------------------------------------------------

    /// <summary>Parses physical lines until one is accepted into the carry; false at the end of all segments.</summary>
    bool NextRecord()
    {
        while (NextLine(out var ls, out var le, out var offset, out var chunk))
        {
            var line = _buf.AsSpan(ls, le - ls);
            if (chunk != ChunkKind.None)
            {
                if (!AcceptChunk(line, offset, chunk)) continue;
                return true;
            }
            if (line.IsEmpty) continue;
            if (_format == LogFormat.DockerJson && _scratch.Length < line.Length)
            {
                if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(line.Length, 4096));
            }
            if (!PhysicalLineParser.TryParse(_format, line, _scratch, out var r, out var error))
            {
                _lineWarnings.Add(LineProblem.Malformed, _file, offset, _format, error);
                continue;
            }
            if (((int)_o.Streams & (int)r.Stream) == 0) continue;
            if (_format == LogFormat.DockerJson) SetCarry(ref r, offset);
            else
            {
                // CRI: both spans are slices of the line in the read buffer; no need to look them up
                SetCarryHeader(ref r, offset);
                _carryTsArr = _buf; _carryTsOff = ls; _carryTsLen = r.TimestampText.Length;
                _carryArr = _buf; _carryOff = le - r.Content.Length; _carryLen = r.Content.Length;
            }
            return true;
        }
        return false;
    }

    void SetCarry(ref PhysicalRecord r, long offset)
    {
        SetCarryHeader(ref r, offset);
        (_carryTsArr, _carryTsOff) = Locate(r.TimestampText);
        _carryTsLen = r.TimestampText.Length;
        (_carryArr, _carryOff) = Locate(r.Content);
        _carryLen = r.Content.Length;
    }

    void SetCarryHeader(ref PhysicalRecord r, long offset)
    {
        _carryHeader.Ticks = r.UtcTicks;
        _carryHeader.OffsetMinutes = r.OffsetMinutes;
        _carryHeader.Stream = r.Stream;
        _carryHeader.File = _file;
        _carryHeader.Offset = offset;
        _carryHeader.WarnedSplit = false;
        _carryPartial = r.Partial;
        _carryUnterminated = _lineUnterminated;
        _carry = true;
    }

    /// <summary>Which of our arrays a span points into (the read buffer or the JSON scratch).</summary>
    (byte[], int) Locate(ReadOnlySpan<byte> span)
    {
        if (span.IsEmpty) return (_buf, 0);
        if (Overlaps(_buf, span, out var off)) return (_buf, off);
        if (Overlaps(_scratch, span, out off)) return (_scratch, off);
        if (Overlaps(_oversizeHeader.Ts, span, out off)) return (_oversizeHeader.Ts, off);
        throw new InvalidOperationException("span outside the reader's buffers");
    }

    static bool Overlaps(byte[] arr, ReadOnlySpan<byte> span, out int offset)
    {
        offset = 0;
        if (arr.Length == 0) return false;
        return arr.AsSpan().Overlaps(span, out offset);
    }

    /// <summary>A CRI line longer than the buffer arrives in chunks: the first holds the header.</summary>
    bool AcceptChunk(ReadOnlySpan<byte> chunk, long offset, ChunkKind kind)
    {
        if (kind == ChunkKind.First)
        {
            if (!CriLineParser.TryParse(chunk, out var r, out var error))
            {
                _lineWarnings.Add(LineProblem.Malformed, _file, offset, LogFormat.Cri, error);
                _skipping = true; _oversize = false; _skipStart = offset;
                return false;
            }
            _oversizeHeader.Start(new Pending { Ticks = r.UtcTicks, OffsetMinutes = r.OffsetMinutes, Stream = r.Stream, File = _file, Offset = offset }, r.TimestampText, 0);
            _oversizePartialTag = r.Partial;
            if (((int)_o.Streams & (int)r.Stream) == 0) return false;
            r.TimestampText = _oversizeHeader.Ts.AsSpan(0, _oversizeHeader.TsLen);
            r.Partial = true;
            SetCarry(ref r, offset);
            _carryHeader.Offset = _oversizeHeader.Offset;
            return true;
        }
        if (((int)_o.Streams & (int)_oversizeHeader.Stream) == 0) return false;
        var rec = new PhysicalRecord
        {
            TimestampText = _oversizeHeader.Ts.AsSpan(0, _oversizeHeader.TsLen),
            UtcTicks = _oversizeHeader.Ticks,
            OffsetMinutes = _oversizeHeader.OffsetMinutes,
            Stream = _oversizeHeader.Stream,
            Partial = kind == ChunkKind.Middle || _oversizePartialTag,
            Content = chunk,
        };
        SetCarry(ref rec, _oversizeHeader.Offset);
        return true;
    }

    enum ChunkKind { None, First, Middle, Last }

    /// <summary>The next physical line [ls, le) in _buf without its newline, across blocks and segments.</summary>
    bool NextLine(out int ls, out int le, out long offset, out ChunkKind chunk)
    {
        chunk = ChunkKind.None;
        while (true)
        {
            if (_handle is null && !OpenNextSegment()) { ls = le = 0; offset = 0; return false; }
            var nl = _buf.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
            // a .gz cut at its cap: the bytes after its last newline are not a line
            if (nl >= 0 || _segEof && _pos < _end && !_gzCapped)
            {
                ls = _pos;
                le = nl >= 0 ? _pos + nl : _end;
                offset = _bufBase + _pos;
                _pos = nl >= 0 ? le + 1 : _end;
                // kubelet's ReadLogs: an unterminated last line is still read ("Incomplete line in log file")
                _lineUnterminated = nl < 0;
                if (_skipping)
                {
                    _skipping = false;
                    _lineWarnings.Add(LineProblem.Skipped, _file, _skipStart, size: offset + (le - ls) - _skipStart);
                    continue;
                }
                if (_oversize)
                {
                    _oversize = false;
                    chunk = ChunkKind.Last;
                }
                return true;
            }
            if (_segEof)
            {
                if (_skipping) { _skipping = false; if (!_gzCapped) _lineWarnings.Add(LineProblem.Skipped, _file, _skipStart, size: -1); }
                _oversize = false;
                CloseSegment();
                continue;
            }
            if (_pos > 0)
            {
                Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
                _bufBase += _pos;
                _end -= _pos;
                _pos = 0;
            }
            if (_end == _buf.Length)
            {
                if (_buf.Length < _o.PhysicalLineCap)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buf.Length * 2, _o.PhysicalLineCap));
                    Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
                    ArrayPool<byte>.Shared.Return(_buf);
                    _buf = bigger;
                }
                else if (_skipping)
                {
                    _bufBase += _end;
                    _end = 0;
                }
                else if (_format == LogFormat.Cri)
                {
                    // pass the line on in chunks; keep an incomplete UTF-8 character for the next one
                    ls = 0;
                    le = Utf8Boundary(_buf.AsSpan(0, _end), _end - 1);
                    offset = _bufBase;
                    _pos = le;
                    chunk = _oversize ? ChunkKind.Middle : ChunkKind.First;
                    _oversize = true;
                    _lineUnterminated = false;
                    return true;
                }
                else
                {
                    _skipping = true;
                    _skipStart = _bufBase;
                    _bufBase += _end;
                    _end = 0;
                }
            }
            _ct.ThrowIfCancellationRequested();
            var n = ReadMore(_buf.AsSpan(_end));
            if (n == 0) _segEof = true;
            _end += n;
        }
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
            _reporter.Error(new PodLogsFailure(ErrorIds.Logs.LogFileReadError, FailureCategory.ReadError, $"Cannot read log file '{_file}' at byte {_readOffset}: {ex.Message}", _file, ex));
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
            _pos = _end = 0;
            _segEof = false;
            _skipping = _oversize = false;
            _gzTotal = 0;
            _gzCompressedSize = status.Size;
            _gzCap = _o.DecompressionCap(status.Size);
            _gzCapped = false;
            if (segment.Compressed)
            {
                _gzip = new GZipStream(new FileStream(handle, FileAccess.Read, 1), CompressionMode.Decompress);
                _bufBase = 0;
                _format = LogFormat.Unknown;
                // format from the first decompressed line
                _end = ReadMore(_buf);
                if (_end == 0) _segEof = true;
                _format = DetectFormat(_buf.AsSpan(0, _end));
            }
            else
            {
                Span<byte> head = stackalloc byte[64];
                var n = RandomAccess.Read(handle, head, 0);
                _format = DetectFormat(head[..n]);
                _readOffset = 0;
                if (_dropFirstPerStream && _seg == _start.Segment)
                {
                    if (_start.Offset > 0)
                    {
                        _readOffset = LogProbe.AlignToLineStart(handle, Math.Min(_start.Offset, status.Size), status.Size);
                        LogProbe.StreamsAtBoundary(handle, _readOffset, _format, _firstIsClean);
                    }
                    else if (_seg > 0 && !_segments[_seg - 1].Compressed)
                        LogProbe.StreamsAtBoundary(_segments[_seg - 1], _firstIsClean);
                }
                _bufBase = _readOffset;
            }
            return true;
        }
        return false;
    }

    internal static LogFormat DetectFormat(ReadOnlySpan<byte> head)
    {
        var t = head.TrimStart(" \t\r\n"u8);
        if (t.IsEmpty) return LogFormat.Unknown;
        return t[0] == '{' ? LogFormat.DockerJson : LogFormat.Cri;
    }

    void CloseSegment()
    {
        _lineWarnings.Flush(_reporter);
        _gzip?.Dispose();
        _gzip = null;
        _handle?.Dispose();
        _handle = null;
    }

    public void Dispose()
    {
        CloseSegment();
        if (_buf.Length > 0) ArrayPool<byte>.Shared.Return(_buf);
        if (_scratch.Length > 0) ArrayPool<byte>.Shared.Return(_scratch);
        _buf = [];
        _scratch = [];
    }

    /// <summary>A logical line being merged (or a saved record header).</summary>
    internal sealed class Pending
    {
        public byte[] Data = [];
        public int Length;
        public bool Active;
        public byte[] Ts = new byte[Rfc3339Nano.MaxLength + 1];
        public int TsLen;
        public long Ticks;
        public short OffsetMinutes;
        public LogStream Stream;
        public string File = "";
        public long Offset;
        public bool WarnedSplit;

        public void Start(Pending header, ReadOnlySpan<byte> ts, int capacity)
        {
            Ticks = header.Ticks; OffsetMinutes = header.OffsetMinutes; Stream = header.Stream; File = header.File; Offset = header.Offset;
            WarnedSplit = header.WarnedSplit;
            ts.CopyTo(Ts);
            TsLen = ts.Length;
            Length = 0;
            Active = true;
            if (Data.Length == 0 && capacity > 0) Data = new byte[Math.Min(capacity, 64 * 1024)];
        }

        public void Append(ReadOnlySpan<byte> bytes)
        {
            if (Length + bytes.Length > Data.Length)
                Array.Resize(ref Data, Math.Max(Length + bytes.Length, Data.Length * 2));
            bytes.CopyTo(Data.AsSpan(Length));
            Length += bytes.Length;
        }

        public void Clear() { Active = false; Length = 0; }
    }
}
