using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PodLogs.Core.Node;

/// <summary>
/// A hash table keyed by part of a string — a path, a parent directory as a prefix of a path, a name inside a
/// path — so nothing is cut out to look it up. <see cref="NodeRoot"/>'s caches; not thread-safe (NodeRoot locks).
/// </summary>
/// <remarks>
/// Our own, not a Dictionary over a key struct: a scan makes a hundred thousand lookups, and a BCL generic over
/// one of our structs is compiled for it alone and recompiled by tiering through a session's first calls, where
/// this is compiled once, optimised. The hash is a key's length and last characters (see <see cref="Hash"/>).
/// Open addressing, linear probing, at most 70% full; entries are never removed, only all cleared.
/// </remarks>
sealed class PathTable<TValue> where TValue : class
{
    const int HashedTail = 32;

    struct Slot
    {
        public string? Text;
        public int Start;
        public int Length;
        public int Hash;
        public TValue Value;
    }

    Slot[] _slots;
    int _count;

    public PathTable(int capacity = 8) => _slots = new Slot[SizeFor(capacity)];

    public int Count => _count;

    public TValue? this[string key] => Find(key, 0, key.Length);

    /// <summary>The value for <paramref name="text"/>[<paramref name="start"/>..+<paramref name="length"/>], or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TValue? Find(string text, int start, int length)
    {
        var key = text.AsSpan(start, length);
        var hash = Hash(key);
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Text is null) return null;
            if (slot.Hash == hash && slot.Length == length && slot.Text.AsSpan(slot.Start, length).SequenceEqual(key)) return slot.Value;
        }
    }

    /// <summary>Sets the value for the whole of <paramref name="key"/>, which the table keeps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(string key, TValue value)
    {
        if ((_count + 1) * 10 > _slots.Length * 7) Grow();
        var hash = Hash(key);
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Text is null)
            {
                slot = new Slot { Text = key, Start = 0, Length = key.Length, Hash = hash, Value = value };
                _count++;
                return;
            }
            if (slot.Hash == hash && slot.Length == key.Length && slot.Text.AsSpan(slot.Start, slot.Length).SequenceEqual(key))
            {
                slot.Value = value;
                return;
            }
        }
    }

    /// <summary>Empties the table; one grown large starts small again (a reused table must not cost its largest size on every clear).</summary>
    public void Clear()
    {
        if (_slots.Length > 64) _slots = new Slot[8];
        else Array.Clear(_slots);
        _count = 0;
    }

    void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Text is null) continue;
            var i = slot.Hash & mask;
            while (_slots[i].Text is not null) i = (i + 1) & mask;
            _slots[i] = slot;
        }
    }

    static int SizeFor(int capacity)
    {
        var size = 8;
        while (size * 7 < capacity * 10) size *= 2;
        return size;
    }

    /// <summary>
    /// The length and the last characters, four at a time: paths under one directory differ at their end (uids,
    /// container ids), and hashing whole 100–170 character paths was a scan's largest cost outside the kernel. Those
    /// ends are chosen by the API server and the runtime, not by whoever names a pod, so an unseeded hash is no
    /// flooding risk.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int Hash(ReadOnlySpan<char> key)
    {
        var tail = key[Math.Max(0, key.Length - HashedTail)..];
        var hash = (ulong)key.Length;
        var words = MemoryMarshal.Cast<char, ulong>(tail);
        foreach (var w in words) hash = (hash ^ w) * 0x9E3779B97F4A7C15ul;
        foreach (var c in tail[(words.Length * 4)..]) hash = (hash ^ c) * 0x9E3779B97F4A7C15ul;
        return (int)((hash ^ (hash >> 29) ^ (hash >> 47)) & int.MaxValue);
    }
}
