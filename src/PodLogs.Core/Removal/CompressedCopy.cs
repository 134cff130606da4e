using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.Win32.SafeHandles;
using PodLogs.Core.Native;
using PodLogs.Core.Node;

namespace PodLogs.Core.Removal;

/// <summary>
/// Whether a rotated segment's <c>.gz</c> is a whole copy of it, so the plain segment is the leftover of a kubelet that died
/// between compressing and deleting (kubelet-facts.md §11) and removing it loses nothing. Kubelet itself only asks whether
/// the <c>.gz</c> exists (it writes it through a <c>.tmp</c> and a rename); a cleanup run by hand also checks the bytes:
/// the gzip trailer's length, and the decompressed stream equal to the segment (zlib checks the trailer's CRC-32).
/// </summary>
public static class CompressedCopy
{
    /// <summary>Null when <paramref name="gzName"/> in <paramref name="directoryLocated"/> holds exactly <paramref name="plainName"/>'s bytes; else why not.</summary>
    public static string? Mismatch(NodeRoot root, string directoryLocated, string plainName, string gzName)
    {
        var errno = BeneathRoot.Walk(root.LocalRoot, directoryLocated, out var dir);
        if (errno != 0) return $"its directory cannot be opened: {Posix.Describe(errno)}";
        try
        {
            using var plain = OpenRegular(dir, plainName, out var plainWhy);
            if (plain is null) return $"{plainName} {plainWhy}";
            using var gz = OpenRegular(dir, gzName, out var gzWhy);
            if (gz is null) return $"{gzName} {gzWhy}";
            return Compare(plain, gz, plainName, gzName);
        }
        finally
        {
            Posix.Close(dir);
        }
    }

    static FileStream? OpenRegular(int dir, string name, out string why)
    {
        why = "";
        var errno = Posix.OpenForScanAt(dir, name, out var fd);
        if (errno != 0)
        {
            why = errno == Posix.ENOENT ? "does not exist" : $"cannot be opened: {Posix.Describe(errno)}";
            return null;
        }
        if (Posix.FStat(fd, out var st) != 0 || st.Kind != FileKind.RegularFile)
        {
            Posix.Close(fd);
            why = "is not a regular file";
            return null;
        }
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
    }

    static string? Compare(FileStream plain, FileStream gz, string plainName, string gzName)
    {
        var length = plain.Length;
        // ISIZE, the trailer's last 4 bytes: the uncompressed length modulo 2^32 (RFC 1952 §2.3.1).
        Span<byte> trailer = stackalloc byte[4];
        if (gz.Length < 18) return $"{gzName} is too short to be a gzip file";
        gz.Seek(-4, SeekOrigin.End);
        gz.ReadExactly(trailer);
        if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) != (uint)length)
            return $"{gzName}'s gzip trailer gives a length other than {plainName}'s {length} bytes (an unfinished compression?)";
        gz.Seek(0, SeekOrigin.Begin);
        var a = new byte[64 * 1024];
        var b = new byte[64 * 1024];
        try
        {
            using var inflated = new GZipStream(gz, CompressionMode.Decompress, leaveOpen: true);
            long done = 0;
            while (true)
            {
                var n = plain.ReadAtLeast(a, a.Length, throwOnEndOfStream: false);
                var want = Math.Max(n, 1);
                var m = inflated.ReadAtLeast(b.AsSpan(0, want), want, throwOnEndOfStream: false);
                if (n == 0) return m == 0 ? null : $"{gzName} holds more than {plainName}";
                if (m < n || !a.AsSpan(0, n).SequenceEqual(b.AsSpan(0, n)))
                    return $"{gzName} differs from {plainName} at or after byte {done}";
                done += n;
            }
        }
        catch (InvalidDataException ex)
        {
            return $"{gzName} is not valid gzip ({ex.Message})";
        }
    }
}
