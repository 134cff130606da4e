namespace PodLogs.Core.Logs;

/// <summary>How a physical line longer than the splitter's buffer arrives (CRI only: a docker json line cannot be parsed in pieces).</summary>
internal enum ChunkKind : byte { None, First, Middle, Last }

/// <summary>One physical line as <see cref="LineSplitter"/> cuts it: [Start, Start + Length) of its buffer, without the newline.</summary>
/// <param name="Offset">The line's byte offset in its file (decompressed offset for .gz).</param>
/// <param name="Unterminated">The file ended inside the line (no newline).</param>
internal readonly record struct PhysicalLine(int Start, int Length, long Offset, ChunkKind Chunk, bool Unterminated);
