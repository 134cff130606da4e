namespace PodLogs.Core.Logs;

/// <summary>A logical line being merged from partial records (or a saved record header): its first record's header and the content so far.</summary>
internal sealed class PendingLine
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
    /// <summary>The line was split at MaxLineBytes and that was counted already.</summary>
    public bool WarnedSplit;

    public void Start(PendingLine header, ReadOnlySpan<byte> ts, int capacity)
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
