namespace PodLogs.Core.Logs;

/// <summary>
/// The physical record <see cref="RecordDecoder"/> decoded last, as <see cref="PartialLineMerger"/> consumes it:
/// its timestamp and content as ranges of the arrays they are in (the splitter's buffer, the JSON scratch),
/// valid until the next physical line is cut. Content may take several logical lines to consume (a split).
/// </summary>
internal sealed class DecodedRecord
{
    /// <summary>Decoded and not yet (wholly) consumed.</summary>
    public bool Active;
    public readonly PendingLine Header = new();
    public byte[] TsArr = [];
    public int TsOff, TsLen;
    public byte[] Arr = [];
    public int Off, Len;
    /// <summary>Not the last record of its logical line.</summary>
    public bool Partial;
    /// <summary>Its physical line ended its file without a newline.</summary>
    public bool Unterminated;
}
