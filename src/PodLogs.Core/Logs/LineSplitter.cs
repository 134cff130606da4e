using System.Runtime.CompilerServices;
using System.Buffers;

namespace PodLogs.Core.Logs;

/// <summary>
/// Read pipeline, stage 1: cuts one file's bytes into physical lines (CRI or docker json, whose format it
/// detects from the file's first bytes, as kubelet does). The caller adds bytes into <see cref="Room"/> when
/// <see cref="TryNext"/> asks for more, and says when the file ends: a last line without a newline is then a
/// line of its own (kubelet's ReadLogs: "Incomplete line in log file"). The buffer grows up to
/// MaxLineBytes + 64 KiB; a physical line longer than that is skipped (counted, one warning per file) or, for CRI
/// when <c>chunkOversizeCri</c>, passed on in chunks (the first holds the header).
/// </summary>
internal sealed class LineSplitter : IDisposable
{
    readonly int _cap;
    readonly bool _chunkCri;
    readonly LineWarnings _warnings;
    byte[] _buf;
    // [_pos, _end) not yet cut; _bufBase is the file offset of _buf[0]
    int _pos, _end;
    long _bufBase;
    bool _skipping;       // dropping a line too long for the buffer, up to its newline
    long _skipStart;
    bool _oversize;       // passing a CRI line too long for the buffer on in chunks

    /// <param name="cap">The largest physical line held whole (MaxLineBytes + 64 KiB).</param>
    /// <param name="chunkOversizeCri">Pass a CRI line longer than <paramref name="cap"/> on in chunks instead of skipping it.</param>
    public LineSplitter(int initialSize, int cap, bool chunkOversizeCri, LineWarnings warnings)
    {
        _cap = cap;
        _chunkCri = chunkOversizeCri;
        _warnings = warnings;
        _buf = ArrayPool<byte>.Shared.Rent(Math.Clamp(initialSize, 64, cap));
    }

    /// <summary>The buffer the lines are in; valid until the next <see cref="TryNext"/> or <see cref="Added"/>.</summary>
    public byte[] Buffer => _buf;

    public string File { get; private set; } = "";

    public LogFormat Format { get; private set; }

    /// <summary>Bytes added but not yet part of a line.</summary>
    public int Unconsumed => _end - _pos;

    /// <summary>The file offset of the first unconsumed byte.</summary>
    public long UnconsumedOffset => _bufBase + _pos;

    /// <summary>Dropping a too-long line (its bytes are not a line).</summary>
    public bool Skipping => _skipping;

    /// <summary>Starts on <paramref name="file"/> at <paramref name="offset"/>; an Unknown format is detected from the first bytes added.</summary>
    public void Start(string file, LogFormat format, long offset)
    {
        File = file;
        Format = format;
        _pos = _end = 0;
        _bufBase = offset;
        _skipping = _oversize = false;
    }

    /// <summary>Where to add bytes; not empty after <see cref="TryNext"/> returned false for a file that has not ended.</summary>
    public Span<byte> Room => _buf.AsSpan(_end);

    public void Added(int n)
    {
        if (Format == LogFormat.Unknown && n > 0) Format = DetectFormat(_buf.AsSpan(_end, n));
        _end += n;
    }

    /// <summary>
    /// The next physical line, or false: more bytes are needed (<paramref name="atEnd"/> false), or the file is done.
    /// </summary>
    /// <param name="atEnd">The file will not grow: what is left without a newline is a line.</param>
    /// <param name="dropRest">... except that it is not (a .gz cut at its decompression cap).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // the common case inline, once per line (LogParse benchmark: CRI full parse)
    public bool TryNext(bool atEnd, bool dropRest, out PhysicalLine line)
    {
        var nl = _buf.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
        if (nl >= 0 && !_skipping && !_oversize)
        {
            line = new PhysicalLine(_pos, nl, _bufBase + _pos, ChunkKind.None, false);
            _pos += nl + 1;
            return true;
        }
        return TryNextSlow(atEnd, dropRest, out line);
    }

    bool TryNextSlow(bool atEnd, bool dropRest, out PhysicalLine line)
    {
        while (true)
        {
            var nl = _buf.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
            if (nl >= 0 || atEnd && _pos < _end && !dropRest)
            {
                var ls = _pos;
                var le = nl >= 0 ? _pos + nl : _end;
                var offset = _bufBase + _pos;
                _pos = nl >= 0 ? le + 1 : _end;
                if (_skipping)
                {
                    _skipping = false;
                    _warnings.Add(LineProblem.Skipped, File, _skipStart, size: offset + (le - ls) - _skipStart);
                    continue;
                }
                var chunk = ChunkKind.None;
                if (_oversize)
                {
                    _oversize = false;
                    chunk = ChunkKind.Last;
                }
                line = new PhysicalLine(ls, le - ls, offset, chunk, nl < 0);
                return true;
            }
            line = default;
            if (atEnd)
            {
                if (_skipping && !dropRest) _warnings.Add(LineProblem.Skipped, File, _skipStart, size: -1);
                _skipping = _oversize = false;
                _pos = _end;
                return false;
            }
            if (_pos > 0)
            {
                System.Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
                _bufBase += _pos;
                _end -= _pos;
                _pos = 0;
            }
            if (_end < _buf.Length) return false;
            if (_buf.Length < _cap)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buf.Length * 2, _cap));
                System.Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buf);
                _buf = bigger;
                return false;
            }
            if (!_skipping && _chunkCri && Format == LogFormat.Cri)
            {
                // pass the line on in chunks; keep an incomplete UTF-8 character for the next one
                var le = Utf8Boundary.Cut(_buf.AsSpan(0, _end), _end - 1);
                line = new PhysicalLine(0, le, _bufBase, _oversize ? ChunkKind.Middle : ChunkKind.First, false);
                _pos = le;
                _oversize = true;
                return true;
            }
            if (!_skipping)
            {
                _skipping = true;
                _skipStart = _bufBase;
            }
            _bufBase += _end;
            _end = 0;
            return false;
        }
    }

    /// <summary>The line being passed on in chunks is not wanted after all (its first chunk is malformed): drop the rest.</summary>
    public void SkipRestOfLine(long lineOffset)
    {
        _skipping = true;
        _oversize = false;
        _skipStart = lineOffset;
    }

    /// <summary>A file's format from its first bytes: a JSON object is docker's json-file, anything else CRI.</summary>
    internal static LogFormat DetectFormat(ReadOnlySpan<byte> head)
    {
        var t = head.TrimStart(" \t\r\n"u8);
        if (t.IsEmpty) return LogFormat.Unknown;
        return t[0] == '{' ? LogFormat.DockerJson : LogFormat.Cri;
    }

    public void Dispose()
    {
        if (_buf.Length > 0) ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
    }
}
