using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;

namespace PodLogs.Core.Logs;

/// <summary>
/// The follow loop: a queue of held files, oldest first, read through the one read pipeline (<see cref="LogPipeline"/>).
/// What differs from reading is the end of a file: the follower waits for more, drains a rotated file for its grace
/// and moves on to the next, restarts a file truncated in place, and reads a file's unterminated last line only when
/// the file will not grow any more.
/// </summary>
internal sealed class FollowSession
{
    readonly string _path;
    readonly LogDoor? _door;
    readonly Func<bool>? _stillRunning;
    readonly TimeSpan _poll;
    readonly long _graceTicks;
    readonly List<FollowedFile> _files = [];
    readonly List<LogLine> _out = [];
    // set by Run: the consumer's reporter and token
    IPodLogsReporter _reporter = null!;
    CancellationToken _ct;
    // line problems are counted per file and reported when the follower has caught up (or a file is retired)
    readonly LogPipeline _pipeline;
    // the file whose bytes are in the pipeline
    FollowedFile? _current;
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
        _stillRunning = stillRunning;
        _poll = poll;
        _graceTicks = (long)(grace.TotalSeconds * Stopwatch.Frequency);
        // a CRI line longer than MaxLineBytes + 64 KiB is skipped (with a warning), not passed on in pieces as when reading
        _pipeline = new LogPipeline(options, Math.Min(options.BlockSize, 256 * 1024), chunkOversizeCri: false);
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
            foreach (var f in _files) f.Dispose();
            _files.Clear();
        }
    }

    public IEnumerable<LogLine> Run(IPodLogsReporter reporter, CancellationToken ct)
    {
        _reporter = reporter;
        _ct = ct;
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
                _pipeline.Warnings.Flush(_reporter);

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
                    EndOfInput();
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
            _pipeline.Warnings.Flush(_reporter);
            _pipeline.Dispose();
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
        if (errno == 0 && st.Kind == FileKind.SymbolicLink) return Refuse(first, st, LogFileOpener.NotRegular(_path, "it is a symbolic link"));
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
                    var swapped = LogFileOpener.OpenFailure(_path, _door, errno);
                    Report(r => r.Error(swapped));
                }
                return first ? OpenResult.Fatal : OpenResult.None;
            }
            return Refuse(first, st, LogFileOpener.OpenFailure(_path, _door, errno));
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        errno = Posix.FStat(fd, out var fst);
        if (errno != 0 || fst.Kind != FileKind.RegularFile)
        {
            handle.Dispose();
            return Refuse(first, fst, LogFileOpener.NotRegular(_path, errno != 0 ? Posix.Describe(errno) : $"it is a {fst.Kind}, not a regular file"));
        }
        if (Held(fst.Device, fst.Inode)) { handle.Dispose(); return OpenResult.None; }
        var file = new FollowedFile { Handle = handle, Path = _path, Device = fst.Device, Inode = fst.Inode, SeenAt = Stopwatch.GetTimestamp() };
        if (_files.Count > 0)
        {
            var inode = fst.Inode;
            Report(r => r.Verbose($"Log file '{_path}' was rotated (new inode {inode}); the old file is drained for the grace period, then reading goes on in the new one."));
        }
        _files.Add(file);
        _refusedSwap = false;
        return OpenResult.Opened;
    }

    /// <summary>Reports <paramref name="failure"/> once per inode at the name.</summary>
    OpenResult Refuse(bool first, FileStatus st, PodLogsFailure failure)
    {
        if (_refused != (st.Device, st.Inode))
        {
            _refused = (st.Device, st.Inode);
            Report(r => r.Error(failure));
        }
        return first ? OpenResult.Fatal : OpenResult.None;
    }

    bool Held(ulong dev, ulong ino)
    {
        foreach (var f in _files) if (f.Device == dev && f.Inode == ino) return true;
        return false;
    }

    /// <summary>Reads what is there now (one block) through the pipeline. Detects in-place truncation first.</summary>
    int Drain(FollowedFile f, out bool truncated)
    {
        truncated = false;
        if (_current != f)
        {
            _pipeline.StartFile(f.Path, LogFormat.Unknown, f.ReadOffset);
            _current = f;
        }
        if (Posix.FStat((int)f.Handle.DangerousGetHandle(), out var st) == 0)
        {
            if (st.Size < f.ReadOffset || (st.Size > f.ReadOffset && !SignatureMatches(f)))
            {
                Truncated(f, st.Size);
                truncated = true;
            }
            else if (st.Size == f.ReadOffset) return 0;
        }
        var room = _pipeline.Room;
        int n;
        try { n = RandomAccess.Read(f.Handle, room, f.ReadOffset); }
        catch (IOException ex)
        {
            _reporter.Error(LogFileOpener.ReadFailure(f.Path, f.ReadOffset, ex));
            return 0;
        }
        if (n == 0) return 0;
        f.ReadOffset += n;
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
        _pipeline.Added(n);
        Collect();
        return n;
    }

    /// <summary>The lines the pipeline has now, as records.</summary>
    void Collect()
    {
        while (_pipeline.TryRead(out var line)) _out.Add(line.ToLogLine());
    }

    /// <summary>Lines still open will not be finished (the container stopped, or the file was truncated): out, flagged Incomplete.</summary>
    void EndOfInput()
    {
        _pipeline.EndOfInput();
        Collect();
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
        var unfinished = _pipeline.Unconsumed;
        _reporter.Warning($"Log file '{f.Path}' was truncated in place (same inode; {f.ReadOffset} bytes had been read, it now has {size}): " +
            $"reading restarts at byte 0. {unfinished} bytes were lost (an unfinished line), and whatever was written after byte {f.ReadOffset} before the truncation is lost too.");
        // lines still being merged will never be finished by this file's old content
        EndOfInput();
        _pipeline.StartFile(f.Path, LogFormat.Unknown, 0);
        f.ReadOffset = 0;
        f.SignatureLength = 0;
    }

    /// <summary>The file will not grow any more: an unterminated last line is read as it is; the file is closed.</summary>
    void Retire(FollowedFile f)
    {
        if (_current == f)
        {
            if (_pipeline.Unconsumed > 0 && !_pipeline.Skipping)
                _reporter.Warning($"Log file '{f.Path}' ends inside a line at byte {_pipeline.UnconsumedOffset} ({_pipeline.Unconsumed} bytes without a newline); it is read as a whole line.");
            _pipeline.EndOfFile();
            Collect();
            _current = null;
        }
        lock (_gate) _files.Remove(f);
        f.Dispose();
        _pipeline.Warnings.Flush(_reporter);
    }
}
