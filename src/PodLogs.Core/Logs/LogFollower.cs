using System.Buffers;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

/// <summary>
/// Follow mode (<c>-Follow</c>): yields what a live log holds, then keeps reading as it grows, across
/// kubelet's rotation (rename to <c>N.log.&lt;ts&gt;</c>, then a new <c>N.log</c> from CRI
/// <c>ReopenContainerLog</c>), docker's own rotation (<c>&lt;id&gt;-json.log</c> → <c>.1</c>) and
/// docker's in-place truncation (max-file 1) — nothing lost, nothing repeated, in file order.
/// </summary>
/// <remarks>
/// Every file that has been at <c>liveFile</c>'s name is held open by descriptor, oldest first, as soon
/// as it is seen: a file rotated away (even renamed again or removed) is still read to its end. The
/// oldest is read until a newer one has been known for <c>rotationGrace</c> and the oldest is at its
/// end (the runtime writes to its old descriptor until it reopens); only then does reading move on.
/// </remarks>
public static class LogFollower
{
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan DefaultRotationGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Reads <paramref name="liveFile"/> from its start and follows it.
    /// </summary>
    /// <param name="liveFile">Local path of the live log (<c>N.log</c> or docker's <c>&lt;id&gt;-json.log</c>), not a link.</param>
    /// <param name="options">Filters (Streams, Since/Until as plain filters, Match), merging, MaxLineBytes. Tail is the caller's business.</param>
    /// <param name="stillRunning">Asked when there is nothing to read; false ends the enumeration after every held file is drained. Null: follow until cancelled.</param>
    /// <param name="cancellationToken">Stops at once, with <see cref="OperationCanceledException"/>.</param>
    /// <param name="pollInterval">How long to sleep when idle (default 200 ms).</param>
    /// <param name="rotationGrace">How long a rotated file is still drained after its successor appeared (default 2 s).</param>
    /// <param name="door">Where <paramref name="liveFile"/>'s directory is under -Root: every (re)open walks it again from the root's descriptor.</param>
    public static IEnumerable<LogLine> Follow(string liveFile, LogReadOptions options, IPodLogsReporter reporter, Func<bool>? stillRunning,
        CancellationToken cancellationToken, TimeSpan? pollInterval = null, TimeSpan? rotationGrace = null, LogDoor? door = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return Session(liveFile, options, stillRunning, pollInterval, rotationGrace, door).Run(reporter, cancellationToken);
    }

    /// <summary>
    /// Begins following <paramref name="liveFile"/> now: the file at the name is held from this moment (and
    /// the name watched), and <see cref="LogFollow.History"/> says what to read first — the rotated siblings
    /// and the live file up to a line end where no partial line is open — with <c>-Tail</c>, <c>-Since</c> or
    /// whole; <see cref="LogFollow.Lines"/> then goes on from exactly there. A rotation while the history
    /// is read loses nothing: the history reads the held file through its descriptor.
    /// </summary>
    /// <param name="reporter">Gets what opening the live file reports (a missing file is waited for, with a warning).</param>
    /// <param name="door">Where <paramref name="liveFile"/>'s directory is under -Root: every (re)open walks it again from the root's descriptor.</param>
    public static LogFollow Begin(string liveFile, LogReadOptions options, IPodLogsReporter reporter, Func<bool>? stillRunning,
        TimeSpan? pollInterval = null, TimeSpan? rotationGrace = null, LogDoor? door = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        var session = Session(liveFile, options, stillRunning, pollInterval, rotationGrace, door);
        return new LogFollow(session, session.Begin(reporter));
    }

    static FollowSession Session(string liveFile, LogReadOptions options, Func<bool>? stillRunning, TimeSpan? pollInterval, TimeSpan? rotationGrace, LogDoor? door)
    {
        ArgumentException.ThrowIfNullOrEmpty(liveFile);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var poll = pollInterval ?? DefaultPollInterval;
        var grace = rotationGrace ?? DefaultRotationGrace;
        if (poll <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(pollInterval));
        if (grace < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(rotationGrace));
        return new FollowSession(liveFile, options, stillRunning, poll, grace, door);
    }
}

/// <summary>A follow begun by <see cref="LogFollower.Begin"/>: read <see cref="History"/>, then enumerate <see cref="Lines"/> (once).</summary>
public sealed class LogFollow : IDisposable
{
    readonly FollowSession _session;

    internal LogFollow(FollowSession session, IReadOnlyList<LogSegment> history)
    {
        _session = session;
        History = history;
    }

    /// <summary>The segments to read before following, oldest first; the live one ends where <see cref="Lines"/> begins.</summary>
    public IReadOnlyList<LogSegment> History { get; }

    /// <summary>What is written after <see cref="History"/>, as it comes; <paramref name="reporter"/> is called on the enumerating thread.</summary>
    /// <param name="cancellationToken">Stops at once, with <see cref="OperationCanceledException"/>.</param>
    public IEnumerable<LogLine> Lines(IPodLogsReporter reporter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        return _session.Run(reporter, cancellationToken);
    }

    /// <summary>Closes every held file and stops watching the name (also when <see cref="Lines"/> was never enumerated).</summary>
    public void Dispose() => _session.Close();
}

/// <summary>One file that has been at the followed name, held by descriptor.</summary>
internal sealed class FollowedFile : IDisposable
{
    public required SafeFileHandle Handle { get; init; }
    public required string Path { get; init; }
    public required ulong Device { get; init; }
    public required ulong Inode { get; init; }
    /// <summary>When this file was first seen (the grace of the file before it runs from here).</summary>
    public long SeenAt { get; init; }
    public long ReadOffset;
    /// <summary>The last bytes read before ReadOffset: if they change, the file was truncated and rewritten.</summary>
    public byte[] Signature = new byte[32];
    public int SignatureLength;
    public FollowLineSplitter Lines = null!;
    public void Dispose() => Handle.Dispose();
}

/// <summary>Cuts a byte stream into physical lines (across reads); a line without its newline is held back.</summary>
internal sealed class FollowLineSplitter : IDisposable
{
    byte[] _buf;
    int _pos, _end;
    long _bufBase;                 // file offset of _buf[0]
    readonly int _cap;
    bool _skipping;
    long _skipStart;

    public FollowLineSplitter(long startOffset, int blockSize, int cap)
    {
        _cap = cap;
        _buf = ArrayPool<byte>.Shared.Rent(Math.Clamp(blockSize, 4096, cap));
        _bufBase = startOffset;
        _skipStart = -1;
    }

    public LogFormat Format { get; set; }

    /// <summary>Bytes read but not yet part of a whole line.</summary>
    public int Unconsumed => _end - _pos;

    /// <summary>Room to read into (compacts and grows the buffer; past the cap the line is skipped, and counted in <paramref name="warnings"/>).</summary>
    public Span<byte> Room(LineWarnings warnings, string file)
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buf, _pos, _buf, 0, _end - _pos);
            _bufBase += _pos;
            _end -= _pos;
            _pos = 0;
        }
        if (_end == _buf.Length)
        {
            if (_buf.Length < _cap)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buf.Length * 2, _cap));
                Buffer.BlockCopy(_buf, 0, bigger, 0, _end);
                ArrayPool<byte>.Shared.Return(_buf);
                _buf = bigger;
            }
            else
            {
                // one physical line longer than MaxLineBytes + 64 KiB: drop it up to its newline
                if (!_skipping || _skipStart < 0)
                {
                    _skipStart = _bufBase;
                    warnings.Add(LineProblem.Skipped, file, _bufBase);
                }
                _skipping = true;
                _bufBase += _end;
                _end = 0;
            }
        }
        return _buf.AsSpan(_end);
    }

    public void Added(int n) => _end += n;

    /// <summary>The next whole line [without its newline] and its file offset.</summary>
    public bool Next(out ReadOnlySpan<byte> line, out long offset)
    {
        while (true)
        {
            var nl = _buf.AsSpan(_pos, _end - _pos).IndexOf((byte)'\n');
            if (nl < 0) { line = default; offset = 0; return false; }
            line = _buf.AsSpan(_pos, nl);
            offset = _bufBase + _pos;
            _pos += nl + 1;
            if (_skipping) { _skipping = false; _skipStart = -1; continue; }
            return true;
        }
    }

    /// <summary>What is left without a newline (used when the file will not grow any more).</summary>
    public bool Rest(out ReadOnlySpan<byte> line, out long offset)
    {
        offset = _bufBase + _pos;
        line = _buf.AsSpan(_pos, _end - _pos);
        _pos = _end;
        if (_skipping) { _skipping = false; return false; }
        return !line.IsEmpty;
    }

    public void Reset(long offset)
    {
        _pos = _end = 0;
        _bufBase = offset;
        _skipping = false;
        _skipStart = -1;
        Format = LogFormat.Unknown;
    }

    public void Dispose()
    {
        if (_buf.Length > 0) ArrayPool<byte>.Shared.Return(_buf);
        _buf = [];
    }
}

/// <summary>The follow loop: a queue of held files, oldest first, and the merge of partial records.</summary>
internal sealed class FollowSession
{
    readonly string _path;
    readonly LogDoor? _door;
    readonly LogReadOptions _o;
    readonly Func<bool>? _stillRunning;
    readonly TimeSpan _poll;
    readonly long _graceTicks;
    readonly List<FollowedFile> _files = [];
    readonly List<LogLine> _out = [];
    // set by Run: the consumer's reporter and token, and the merge that reports to it
    IPodLogsReporter _reporter = null!;
    CancellationToken _ct;
    FollowMerger _merger = null!;
    // line problems, counted per file and reported when the follower has caught up (or a file is retired)
    readonly LineWarnings _lineWarnings = new();
    (ulong Dev, ulong Ino) _refused;
    bool _refusedSwap;
    bool _warnedMissing;
    // the name is also watched from a timer, so a slow consumer cannot make the follower miss a file
    // that is at the name only for a while; _files and _refused are shared with it under _gate, and
    // what it has to report waits in _deferred for the consumer's thread
    readonly object _gate = new();
    readonly Queue<Action<IPodLogsReporter>> _deferred = new();
    Timer? _watcher;
    bool _closed, _watching = true;

    public FollowSession(string path, LogReadOptions options, Func<bool>? stillRunning, TimeSpan poll, TimeSpan grace, LogDoor? door)
    {
        _path = path;
        _door = door;
        _o = options;
        _stillRunning = stillRunning;
        _poll = poll;
        _graceTicks = (long)(grace.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Holds the file at the name now and says what to read before following (see <see cref="LogFollower.Begin"/>).</summary>
    public IReadOnlyList<LogSegment> Begin(IPodLogsReporter reporter)
    {
        if (_path.EndsWith(".gz", StringComparison.Ordinal))
        {
            // a compressed file (named by -LiteralPath) never grows: read it, follow nothing
            Close();
            return LogSegments.Discover(_path, door: _door);
        }
        var opened = TryOpenNext(first: true);
        ReportDeferred(reporter);
        var segments = LogSegments.Discover(_path, door: _door);
        if (opened != OpenResult.Opened || Oldest() is not { } held)
            return segments.Where(s => !s.Live).ToList();     // the follower waits for the live file (or has reported why it cannot read it)
        StartWatching();
        // the segment that is the held file: the live one, unless it was rotated away in between
        var i = segments.Count - 1;
        while (i >= 0 && (segments[i].Compressed || LogFileOpener.LStat(segments[i].Path, _door, out var st) != 0 || (st.Device, st.Inode) != (held.Device, held.Inode))) i--;
        if (i < 0) return segments.Where(s => !s.Live).ToList();
        var size = Posix.FStat((int)held.Handle.DangerousGetHandle(), out var fst) == 0 ? fst.Size : 0;
        var cut = LogProbe.CleanLineEnd(held.Handle, size);
        held.ReadOffset = cut;
        held.Lines.Reset(cut);
        return [.. segments.Take(i), segments[i] with { Length = cut, Held = held.Handle }];
    }

    void StartWatching() => _watcher ??= new Timer(_ => Watch(), null, _poll, _poll);

    /// <summary>Closes every held file and stops the watcher (idempotent; Run does it when it ends).</summary>
    public void Close()
    {
        _watcher?.Dispose();
        lock (_gate)
        {
            _closed = true;
            foreach (var f in _files) { f.Lines.Dispose(); f.Dispose(); }
            _files.Clear();
        }
    }

    public IEnumerable<LogLine> Run(IPodLogsReporter reporter, CancellationToken ct)
    {
        _reporter = reporter;
        _ct = ct;
        _merger = new FollowMerger(_o, _lineWarnings, _out);
        try
        {
            while (true)
            {
                _ct.ThrowIfCancellationRequested();
                if (Oldest() is null)
                {
                    if (_closed) yield break;
                    var state = TryOpenNext(first: true);
                    if (state == OpenResult.Fatal) yield break;
                    if (state == OpenResult.Opened) StartWatching();
                    if (state == OpenResult.None)
                    {
                        if (_stillRunning is not null && !_stillRunning()) yield break;
                        Sleep();
                        continue;
                    }
                }
                FollowedFile head;
                lock (_gate) head = _files[0];
                var read = Drain(head, out var truncatedNow);
                // look at the name after every block, even while far behind: a file that is at the name for a
                // moment (rotated again before the head is drained) must be held before it is renamed away
                TryOpenNext(first: false);
                foreach (var line in Flush()) yield return line;
                if (read > 0 || truncatedNow) continue;
                _lineWarnings.Flush(_reporter);

                // head is at its end
                if (SuccessorSeenAt() is { } seen && Stopwatch.GetTimestamp() - seen >= _graceTicks)
                {
                    // the runtime has had its grace to flush into the old file: one last read, then move on
                    while (Drain(head, out _) > 0) foreach (var line in Flush()) yield return line;
                    Retire(head);
                    foreach (var line in Flush()) yield return line;
                    continue;
                }
                if (_stillRunning is not null && !_stillRunning())
                {
                    // the container has stopped: nothing more will be written; read everything held, in order.
                    // The watcher stops first: once the live file is drained and closed it is no longer held,
                    // and the watcher would take it for a new file and read it again from 0.
                    lock (_gate) _watching = false;
                    TryOpenNext(first: false);
                    while (Oldest() is { } f)
                    {
                        while (Drain(f, out var t) > 0 || t) foreach (var line in Flush()) yield return line;
                        Retire(f);
                        foreach (var line in Flush()) yield return line;
                    }
                    _merger.FlushIncomplete();
                    foreach (var line in Flush()) yield return line;
                    yield break;
                }
                Sleep();
            }
        }
        finally
        {
            Close();
            ReportDeferred(_reporter);
            _lineWarnings.Flush(_reporter);
        }
    }

    void Watch()
    {
        try { TryOpenNext(first: false, fromWatcher: true); }
        catch (Exception ex) { lock (_gate) _deferred.Enqueue(r => r.Verbose($"Watching '{_path}' failed: {ex.Message}")); }
    }

    long? SuccessorSeenAt() { lock (_gate) return _files.Count > 1 ? _files[1].SeenAt : null; }

    FollowedFile? Oldest() { lock (_gate) return _files.Count > 0 ? _files[0] : null; }

    void Report(Action<IPodLogsReporter> report) { lock (_gate) _deferred.Enqueue(report); }

    void ReportDeferred(IPodLogsReporter reporter)
    {
        while (true)
        {
            Action<IPodLogsReporter> next;
            lock (_gate) { if (!_deferred.TryDequeue(out next!)) return; }
            next(reporter);
        }
    }

    IEnumerable<LogLine> Flush()
    {
        ReportDeferred(_reporter);
        if (_out.Count == 0) return [];
        var copy = _out.ToArray();
        _out.Clear();
        return YieldChecked(copy);
    }

    IEnumerable<LogLine> YieldChecked(LogLine[] lines)
    {
        foreach (var l in lines)
        {
            _ct.ThrowIfCancellationRequested();
            yield return l;
        }
    }

    void Sleep()
    {
        ReportDeferred(_reporter);
        _ct.WaitHandle.WaitOne(_poll);
        _ct.ThrowIfCancellationRequested();
    }

    enum OpenResult { None, Opened, Fatal }

    /// <summary>Opens the file now at the name if it is not one already held.</summary>
    OpenResult TryOpenNext(bool first, bool fromWatcher = false)
    {
        lock (_gate) return _closed || fromWatcher && !_watching ? OpenResult.None : TryOpenNextLocked(first);
    }

    OpenResult TryOpenNextLocked(bool first)
    {
        // through the door every time: a directory swapped for a link since the last open is refused, not followed
        var errno = LogFileOpener.LStat(_path, _door, out var st);
        if (errno == Posix.ENOENT)
        {
            if (first && !_warnedMissing)
            {
                _warnedMissing = true;
                Report(r => r.Warning($"Log file '{_path}' does not exist (yet); waiting for it."));
            }
            return OpenResult.None;
        }
        if (errno == 0 && Held(st.Device, st.Inode)) return OpenResult.None;
        if (errno == 0 && st.Kind == FileKind.SymbolicLink) return Refuse(first, st, "it is a symbolic link");
        errno = LogFileOpener.OpenForScan(_path, _door, out var fd);
        if (errno == Posix.ENOENT) return OpenResult.None;    // renamed away between the two calls: seen next time
        if (errno != 0)
        {
            if (errno is Posix.ELOOP or Posix.ENOTDIR && _door is not null)
            {
                // nothing was opened (no inode to remember): said once until a file is opened at the name again
                if (!_refusedSwap)
                {
                    _refusedSwap = true;
                    var swapped = new PodLogsFailure(ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData,
                        $"Cannot read log file '{_path}' at byte 0: it, or a directory above it under the root, was swapped for a symbolic link since it was checked; it is not followed there.", _path);
                    Report(r => r.Error(swapped));
                }
                return first ? OpenResult.Fatal : OpenResult.None;
            }
            if (errno == Posix.ELOOP) return Refuse(first, st, "it is a symbolic link");
            var (id, cat) = errno is Posix.EACCES or Posix.EPERM ? (ErrorIds.Logs.LogFileAccessDenied, FailureCategory.PermissionDenied) : (ErrorIds.Logs.LogFileUnreadable, FailureCategory.ReadError);
            if (_refused != (st.Device, st.Inode))
            {
                _refused = (st.Device, st.Inode);
                var failure = new PodLogsFailure(id, cat, $"Cannot read log file '{_path}' at byte 0: {Posix.Describe(errno)}.", _path);
                Report(r => r.Error(failure));
            }
            return first ? OpenResult.Fatal : OpenResult.None;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        errno = Posix.FStat(fd, out var fst);
        if (errno != 0 || fst.Kind != FileKind.RegularFile)
        {
            handle.Dispose();
            return Refuse(first, fst, errno != 0 ? Posix.Describe(errno) : $"it is a {fst.Kind}, not a regular file");
        }
        if (Held(fst.Device, fst.Inode)) { handle.Dispose(); return OpenResult.None; }
        var file = new FollowedFile { Handle = handle, Path = _path, Device = fst.Device, Inode = fst.Inode, SeenAt = Stopwatch.GetTimestamp() };
        file.Lines = new FollowLineSplitter(0, Math.Min(_o.BlockSize, 256 * 1024), _o.PhysicalLineCap);
        if (_files.Count > 0)
        {
            var inode = fst.Inode;
            Report(r => r.Verbose($"Log file '{_path}' was rotated (new inode {inode}); the old file is drained for the grace period, then reading goes on in the new one."));
        }
        _files.Add(file);
        _refusedSwap = false;
        return OpenResult.Opened;
    }

    OpenResult Refuse(bool first, FileStatus st, string why)
    {
        if (_refused != (st.Device, st.Inode))
        {
            _refused = (st.Device, st.Inode);
            var failure = new PodLogsFailure(ErrorIds.Logs.LogFileNotRegular, FailureCategory.InvalidData, $"Cannot read log file '{_path}' at byte 0: {why}.", _path);
            Report(r => r.Error(failure));
        }
        return first ? OpenResult.Fatal : OpenResult.None;
    }

    bool Held(ulong dev, ulong ino)
    {
        foreach (var f in _files) if (f.Device == dev && f.Inode == ino) return true;
        return false;
    }

    /// <summary>Reads what is there now (one block), parses whole lines. Detects in-place truncation first.</summary>
    int Drain(FollowedFile f, out bool truncated)
    {
        truncated = false;
        if (Posix.FStat((int)f.Handle.DangerousGetHandle(), out var st) == 0)
        {
            if (st.Size < f.ReadOffset || (st.Size > f.ReadOffset && !SignatureMatches(f)))
            {
                Truncated(f, st.Size);
                truncated = true;
            }
            else if (st.Size == f.ReadOffset) return 0;
        }
        int total = 0;
        var room = f.Lines.Room(_lineWarnings, f.Path);
        int n;
        try { n = RandomAccess.Read(f.Handle, room, f.ReadOffset); }
        catch (IOException ex)
        {
            _reporter.Error(new PodLogsFailure(ErrorIds.Logs.LogFileReadError, FailureCategory.ReadError, $"Cannot read log file '{f.Path}' at byte {f.ReadOffset}: {ex.Message}", f.Path, ex));
            return 0;
        }
        if (n > 0)
        {
            if (f.Lines.Format == LogFormat.Unknown) f.Lines.Format = ContainerLogReader.DetectFormat(room[..n]);
            f.ReadOffset += n;
            f.Lines.Added(n);
            total += n;
            var sig = Math.Min(n, f.Signature.Length);
            // keep the last bytes read: the signature is compared before the next read
            if (sig == f.Signature.Length) room.Slice(n - sig, sig).CopyTo(f.Signature);
            else
            {
                var keep = Math.Min(f.SignatureLength, f.Signature.Length - sig);
                Buffer.BlockCopy(f.Signature, f.SignatureLength - keep, f.Signature, 0, keep);
                room.Slice(n - sig, sig).CopyTo(f.Signature.AsSpan(keep));
                sig += keep;
            }
            f.SignatureLength = sig;
            while (f.Lines.Next(out var line, out var offset)) _merger.Record(line, offset, f.Path, f.Lines.Format, LogLineFlags.None);
        }
        return total;
    }

    bool SignatureMatches(FollowedFile f)
    {
        if (f.SignatureLength == 0) return true;
        Span<byte> now = stackalloc byte[f.SignatureLength];
        var n = RandomAccess.Read(f.Handle, now, f.ReadOffset - f.SignatureLength);
        return n == f.SignatureLength && now.SequenceEqual(f.Signature.AsSpan(0, f.SignatureLength));
    }

    void Truncated(FollowedFile f, long size)
    {
        var unfinished = f.Lines.Unconsumed;
        _reporter.Warning($"Log file '{f.Path}' was truncated in place (same inode; {f.ReadOffset} bytes had been read, it now has {size}): " +
            $"reading restarts at byte 0. {unfinished} bytes were lost (an unfinished line), and whatever was written after byte {f.ReadOffset} before the truncation is lost too.");
        // lines still being merged will never be finished by this file's old content
        _merger.FlushIncomplete();
        f.Lines.Reset(0);
        f.ReadOffset = 0;
        f.SignatureLength = 0;
    }

    /// <summary>The file will not grow any more: an unterminated last line is read as it is; the file is closed.</summary>
    void Retire(FollowedFile f)
    {
        if (f.Lines.Rest(out var rest, out var offset))
        {
            _reporter.Warning($"Log file '{f.Path}' ends inside a line at byte {offset} ({rest.Length} bytes without a newline); it is read as a whole line.");
            _merger.Record(rest, offset, f.Path, f.Lines.Format, LogLineFlags.Incomplete);
        }
        lock (_gate) _files.Remove(f);
        f.Lines.Dispose();
        f.Dispose();
        _lineWarnings.Flush(_reporter);
    }
}

/// <summary>Merges partial records per stream (across reads and files), applies the filters, builds records.</summary>
internal sealed class FollowMerger
{
    readonly LogReadOptions _o;
    readonly LineWarnings _warnings;
    readonly List<LogLine> _out;
    readonly long _since, _until;
    readonly Pending[] _pending = [new(), new(), new()];
    byte[] _scratch = new byte[4096];

    public FollowMerger(LogReadOptions options, LineWarnings warnings, List<LogLine> output)
    {
        _o = options;
        _warnings = warnings;
        _out = output;
        _since = options.Since?.UtcTicks ?? long.MinValue;
        _until = options.Until?.UtcTicks ?? long.MaxValue;
    }

    sealed class Pending
    {
        public bool Active;
        public byte[] Data = [];
        public int Length;
        public string Ts = "";
        public long Ticks;
        public short OffsetMinutes;
        public string File = "";
        public long Offset;
        public bool WarnedSplit;
    }

    public void Record(ReadOnlySpan<byte> line, long offset, string file, LogFormat format, LogLineFlags extra)
    {
        if (line.IsEmpty) return;
        if (format == LogFormat.DockerJson && _scratch.Length < line.Length) _scratch = new byte[Math.Max(line.Length, _scratch.Length * 2)];
        if (!PhysicalLineParser.TryParse(format, line, _scratch, out var r, out var error))
        {
            _warnings.Add(LineProblem.Malformed, file, offset, format, error);
            return;
        }
        if (((int)_o.Streams & (int)r.Stream) == 0) return;
        var s = (int)r.Stream;
        if (_o.NoMerge)
        {
            Emit(r.TimestampText, r.UtcTicks, r.OffsetMinutes, r.Stream, r.Content, file, offset, (r.Partial ? LogLineFlags.Partial : LogLineFlags.None) | extra);
            return;
        }
        var p = _pending[s];
        var content = r.Content;
        if (!p.Active && !r.Partial && content.Length <= _o.MaxLineBytes)
        {
            Emit(r.TimestampText, r.UtcTicks, r.OffsetMinutes, r.Stream, content, file, offset, extra);
            return;
        }
        if (!p.Active) Start(p, ref r, file, offset, false);
        while (true)
        {
            var room = _o.MaxLineBytes - p.Length;
            if (content.Length <= room)
            {
                Append(p, content);
                if (r.Partial && (extra & LogLineFlags.Incomplete) == 0) return;     // held back until its F arrives
                EmitPending(s, r.Stream, extra);
                return;
            }
            var take = Utf8Boundary(content, room);
            Append(p, content[..take]);
            content = content[take..];
            if (!p.WarnedSplit) _warnings.Add(LineProblem.Split, p.File, p.Offset, maxLineBytes: _o.MaxLineBytes);
            EmitPending(s, r.Stream, LogLineFlags.Split);
            Start(p, ref r, file, offset, true);
        }
    }

    /// <summary>Lines still open (their final record will not come): out, flagged Incomplete.</summary>
    public void FlushIncomplete()
    {
        for (var s = 1; s < _pending.Length; s++)
            if (_pending[s].Active) EmitPending(s, (LogStream)s, LogLineFlags.Incomplete);
    }

    static void Start(Pending p, ref PhysicalRecord r, string file, long offset, bool warned)
    {
        p.Active = true;
        p.Length = 0;
        p.Ts = System.Text.Encoding.ASCII.GetString(r.TimestampText);
        p.Ticks = r.UtcTicks;
        p.OffsetMinutes = r.OffsetMinutes;
        p.File = file;
        p.Offset = offset;
        p.WarnedSplit = warned;
    }

    static void Append(Pending p, ReadOnlySpan<byte> bytes)
    {
        if (p.Length + bytes.Length > p.Data.Length) Array.Resize(ref p.Data, Math.Max(p.Length + bytes.Length, Math.Max(256, p.Data.Length * 2)));
        bytes.CopyTo(p.Data.AsSpan(p.Length));
        p.Length += bytes.Length;
    }

    void EmitPending(int s, LogStream stream, LogLineFlags flags)
    {
        var p = _pending[s];
        p.Active = false;
        Emit(p.Ts, p.Ticks, p.OffsetMinutes, stream, p.Data.AsSpan(0, p.Length), p.File, p.Offset, flags);
        p.Length = 0;
        if (p.Data.Length > 64 * 1024) p.Data = [];
    }

    void Emit(ReadOnlySpan<byte> ts, long ticks, short offMin, LogStream stream, ReadOnlySpan<byte> msg, string file, long offset, LogLineFlags flags) =>
        Emit(System.Text.Encoding.ASCII.GetString(ts), ticks, offMin, stream, msg, file, offset, flags);

    void Emit(string ts, long ticks, short offMin, LogStream stream, ReadOnlySpan<byte> msg, string file, long offset, LogLineFlags flags)
    {
        if (ticks < _since || ticks > _until) return;
        var text = System.Text.Encoding.UTF8.GetString(msg);
        if (_o.Match is { } regex && !LogMatch.IsMatch(regex, text, file, offset)) return;
        if (!System.Text.Unicode.Utf8.IsValid(msg))
        {
            flags |= LogLineFlags.InvalidUtf8;
            _warnings.Add(LineProblem.InvalidUtf8, file, offset);
        }
        _out.Add(new LogLine(Rfc3339Nano.ToDateTimeOffset(ticks, offMin), ts, stream, text, file, offset, flags));
    }

    static int Utf8Boundary(ReadOnlySpan<byte> s, int max)
    {
        if (max >= s.Length) return s.Length;
        var i = max;
        for (var k = 0; k < 3 && i > 0 && (s[i] & 0xC0) == 0x80; k++) i--;
        return i > 0 ? i : max;
    }
}
