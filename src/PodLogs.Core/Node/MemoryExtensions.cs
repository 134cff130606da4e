namespace PodLogs.Core.Node;

static class MemoryExtensions
{
    public static ReadOnlyMemory<byte> TrimStartBom(this Memory<byte> m) =>
        m.Length >= 3 && m.Span[0] == 0xEF && m.Span[1] == 0xBB && m.Span[2] == 0xBF ? m[3..] : m;
}
