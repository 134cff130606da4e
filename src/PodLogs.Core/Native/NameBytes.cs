using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.InteropServices.Marshalling;
using System.Text;
using System.Text.Unicode;

namespace PodLogs.Core.Native;

/// <summary>
/// File names and link targets are bytes on Linux, not UTF-8 (issue #11). A name that is valid UTF-8 (all of
/// kubelet's) is the string UTF-8 decodes; each byte of an invalid sequence becomes the lone surrogate
/// U+DC80..U+DCFF (Python's surrogateescape), which no valid UTF-8 decodes to, and every path handed to the
/// kernel is encoded back the same way (<see cref="Marshaller"/>), so an entry is reached under its real bytes
/// and two names that differ only in invalid bytes stay two names.
/// </summary>
public static unsafe class NameBytes
{
    const char EscapeFirst = '\uDC80', EscapeLast = '\uDCFF';

    /// <summary>The name the bytes spell: the plain UTF-8 decoding when they are valid (no extra allocation), else with invalid bytes escaped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string Decode(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : DecodeEscaped(bytes);

    static string DecodeEscaped(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        Span<char> pair = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                text.Append(pair[..rune.EncodeToUtf16(pair)]);
                bytes = bytes[consumed..];
            }
            else
            {
                // An invalid sequence never starts with an ASCII byte: the escape stays in U+DC80..U+DCFF.
                text.Append((char)(0xDC00 | bytes[0]));
                bytes = bytes[1..];
            }
        }
        return text.ToString();
    }

    /// <summary>Whether the name holds an escaped byte (it is not valid UTF-8 on disk).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasEscapedBytes(ReadOnlySpan<char> name) => name.IndexOfAny(Escapes) >= 0;

    // SearchValues, not IndexOfAnyInRange: under the .NET 10 runtime the latter boxed its bounds on every call (four
    // boxed chars per path handed to the kernel, seen in LinkScanProfile --alloc).
    static readonly System.Buffers.SearchValues<char> Escapes = System.Buffers.SearchValues.Create(
        string.Create(EscapeLast - EscapeFirst + 1, 0, static (span, _) => { for (var i = 0; i < span.Length; i++) span[i] = (char)(EscapeFirst + i); }));

    /// <summary>An upper bound of <see cref="GetBytes(ReadOnlySpan{char}, Span{byte})"/>'s count.</summary>
    public static int GetMaxByteCount(int chars) => checked(chars * 3);

    /// <summary>The real bytes of a name or path made by <see cref="Decode"/> (any other string: its UTF-8).</summary>
    public static byte[] GetBytes(string name)
    {
        var buffer = new byte[GetMaxByteCount(name.Length)];
        return buffer[..GetBytes(name, buffer)];
    }

    /// <summary>Writes the real bytes of <paramref name="name"/>; returns their count.</summary>
    public static int GetBytes(ReadOnlySpan<char> name, Span<byte> destination)
    {
        if (!HasEscapedBytes(name)) return Encoding.UTF8.GetBytes(name, destination);
        var n = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                n += new Rune(c, name[i + 1]).EncodeToUtf8(destination[n..]);
                i++;
            }
            else if (c is >= EscapeFirst and <= EscapeLast) destination[n++] = (byte)(c & 0xFF);
            else n += (char.IsSurrogate(c) ? Rune.ReplacementChar : new Rune(c)).EncodeToUtf8(destination[n..]);
        }
        return n;
    }

    /// <summary>Marshals a path to the kernel as its real bytes (see <see cref="NameBytes"/>), NUL-terminated.</summary>
    [CustomMarshaller(typeof(string), MarshalMode.ManagedToUnmanagedIn, typeof(Marshaller.ManagedToUnmanagedIn))]
    public static class Marshaller
    {
        public ref struct ManagedToUnmanagedIn
        {
            public static int BufferSize => 0x200;
            byte* _native;
            bool _allocated;

            public void FromManaged(string? managed, Span<byte> buffer)
            {
                _allocated = false;
                if (managed is null)
                {
                    _native = null;
                    return;
                }
                var max = GetMaxByteCount(managed.Length) + 1;
                if (max > buffer.Length)
                {
                    buffer = new Span<byte>(NativeMemory.Alloc((nuint)max), max);
                    _allocated = true;
                }
                var n = GetBytes(managed, buffer);
                buffer[n] = 0;
                _native = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(buffer));
            }

            public readonly byte* ToUnmanaged() => _native;

            public readonly void Free()
            {
                if (_allocated) NativeMemory.Free(_native);
            }
        }
    }
}
