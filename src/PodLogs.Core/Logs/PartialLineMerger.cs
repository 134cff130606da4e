using System.Runtime.CompilerServices;

namespace PodLogs.Core.Logs;

/// <summary>
/// Read pipeline, stages 3 and 4: merges partial records into logical lines, per stream, across blocks,
/// segments and rotations (kubelet's ReadLogs with its partial-line handling), and splits a logical line at
/// MaxLineBytes (flag <see cref="LogLineFlags.Split"/>, one warning per file). The split is part of the merge:
/// where a line is cut depends on how much the merge holds. With NoMerge every record is a line of its own.
/// A whole line in one record is emitted from the splitter's buffer without a copy. A record cut off by
/// the end of its file ends its line (<see cref="LogLineFlags.Incomplete"/>).
/// </summary>
internal sealed class PartialLineMerger
{
    readonly int _maxLineBytes;
    readonly bool _noMerge;
    readonly LineWarnings _warnings;
    readonly PendingLine[] _pending = [new(), new(), new()];
    int _resetStream;
    bool _flushing;

    public PartialLineMerger(int maxLineBytes, bool noMerge, LineWarnings warnings)
    {
        _maxLineBytes = maxLineBytes;
        _noMerge = noMerge;
        _warnings = warnings;
    }

    /// <summary>The record being consumed (<see cref="RecordDecoder"/> fills it).</summary>
    public DecodedRecord Record { get; } = new();

    // the line taken last
    byte[] _tsArr = [], _msgArr = [];
    int _tsOff, _tsLen, _msgOff, _msgLen;

    public ReadOnlySpan<byte> TimestampText => _tsArr.AsSpan(_tsOff, _tsLen);
    public ReadOnlySpan<byte> Message => _msgArr.AsSpan(_msgOff, _msgLen);
    public long UtcTicks { get; private set; }
    public short OffsetMinutes { get; private set; }
    public LogStream Stream { get; private set; }
    public string File { get; private set; } = "";
    public long Offset { get; private set; }
    public LogLineFlags Flags { get; set; }

    /// <summary>The input has ended (or was truncated): lines still open are taken next, flagged Incomplete.</summary>
    public void FlushIncomplete() => _flushing = true;

    /// <summary>The next logical line from <see cref="Record"/> or, when flushing, from the lines still open; false: another record is needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]   // called twice per line by LogPipeline (LogParse benchmark: CRI full parse)
    public bool TryTake()
    {
        if (_resetStream != 0) { _pending[_resetStream].Clear(); _resetStream = 0; }
        var c = Record;
        if (!c.Active) return _flushing && TakeIncomplete();
        if (_noMerge || c.Partial || c.Len > _maxLineBytes || _pending[(int)c.Header.Stream].Active) return Consume();
        // the common case: a whole line in one record, emitted from the buffer without a copy
        c.Active = false;
        SetOut(c.TsArr, c.TsOff, c.TsLen, c.Arr, c.Off, c.Len, c.Header, c.Unterminated ? LogLineFlags.Incomplete : LogLineFlags.None);
        return true;
    }

    bool TakeIncomplete()
    {
        for (var s = 1; s <= 2; s++)
        {
            if (!_pending[s].Active) continue;
            EmitPending(s, LogLineFlags.Incomplete);
            return true;
        }
        _flushing = false;
        return false;
    }

    /// <summary>Moves the record's content into the output or the merge (a record that is not a whole line on its own). True when a line is out.</summary>
    bool Consume()
    {
        var c = Record;
        if (_noMerge)
        {
            c.Active = false;
            SetOut(c.TsArr, c.TsOff, c.TsLen, c.Arr, c.Off, c.Len, c.Header,
                (c.Partial ? LogLineFlags.Partial : LogLineFlags.None) | (c.Unterminated ? LogLineFlags.Incomplete : LogLineFlags.None));
            return true;
        }
        var s = (int)c.Header.Stream;
        var p = _pending[s];
        if (!p.Active) p.Start(c.Header, c.TsArr.AsSpan(c.TsOff, c.TsLen), _maxLineBytes);
        var content = c.Arr.AsSpan(c.Off, c.Len);
        var room = _maxLineBytes - p.Length;
        if (content.Length <= room)
        {
            p.Append(content);
            c.Active = false;
            // a record cut off by the end of its file ends its line: nothing after it continues what it began
            if (c.Partial && !c.Unterminated) return false;
            EmitPending(s, c.Unterminated ? LogLineFlags.Incomplete : LogLineFlags.None);
            return true;
        }
        var take = Utf8Boundary.Cut(content, room);
        p.Append(content[..take]);
        c.Off += take;
        c.Len -= take;
        if (!p.WarnedSplit) _warnings.Add(LineProblem.Split, p.File, p.Offset, maxLineBytes: _maxLineBytes);
        EmitPending(s, LogLineFlags.Split);
        // the rest continues as a new line with this record's header, without a second warning
        c.Header.WarnedSplit = true;
        return true;
    }

    void EmitPending(int s, LogLineFlags flags)
    {
        var p = _pending[s];
        SetOut(p.Ts, 0, p.TsLen, p.Data, 0, p.Length, p, flags);
        _resetStream = s;
    }

    void SetOut(byte[] tsArr, int tsOff, int tsLen, byte[] msgArr, int msgOff, int msgLen, PendingLine h, LogLineFlags flags)
    {
        _tsArr = tsArr; _tsOff = tsOff; _tsLen = tsLen;
        _msgArr = msgArr; _msgOff = msgOff; _msgLen = msgLen;
        UtcTicks = h.Ticks; OffsetMinutes = h.OffsetMinutes; Stream = h.Stream; File = h.File; Offset = h.Offset;
        Flags = flags;
    }
}
