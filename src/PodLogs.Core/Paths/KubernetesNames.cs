using System.Runtime.CompilerServices;
namespace PodLogs.Core.Paths;

/// <summary>
/// Name and uid validation, applied before any path is built from a name
/// (k8s.io/apimachinery <c>pkg/util/validation</c>: IsDNS1123Label, IsDNS1123Subdomain).
/// </summary>
public static class KubernetesNames
{
    /// <summary>Namespaces and container names: lowercase alphanumerics and '-', ≤ 63, alphanumeric at both ends.</summary>
    public static bool IsDns1123Label(string? value) => value is not null && IsDns1123Label(value.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsDns1123Label(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > 63) return false;
        if (!IsLowerAlnum(value[0]) || !IsLowerAlnum(value[^1])) return false;
        foreach (var c in value)
            if (!IsLowerAlnum(c) && c != '-') return false;
        return true;
    }

    /// <summary>Pod names: DNS-1123 labels joined by '.', ≤ 253.</summary>
    public static bool IsDns1123Subdomain(string? value) => value is not null && IsDns1123Subdomain(value.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsDns1123Subdomain(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > 253) return false;
        if (!IsLowerAlnum(value[0]) || !IsLowerAlnum(value[^1])) return false;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '.')
            {
                if (!IsLowerAlnum(value[i - 1]) || !IsLowerAlnum(value[i + 1])) return false;
            }
            else if (!IsLowerAlnum(c) && c != '-') return false;
        }
        return true;
    }

    /// <summary>An API uid (36-char UUID) or a static pod's config hash (32 hex, no dashes).</summary>
    public static bool IsPodUid(string? value) => value is not null && IsPodUid(value.AsSpan());

    public static bool IsPodUid(ReadOnlySpan<char> value) => IsUuid(value) || IsStaticPodUid(value);

    /// <summary>
    /// A uid as kubelet may have written it into a pod directory name: a static pod's manifest may set any
    /// <c>metadata.uid</c>, and kubelet keeps it (<c>pkg/kubelet/config/common.go</c> applyDefaults computes one only
    /// when it is empty). Accepted when it is one safe name part: not empty, not <c>.</c> or <c>..</c>, no <c>/</c>,
    /// no <c>_</c> (kubelet's separator: <c>parsePodUIDFromLogsDirectory</c> takes the part after the last one), no
    /// control character, at most 253 characters. Used for what is read from the node, the runtime and piped
    /// records; <c>-PodUid</c> typed by a person is held to <see cref="IsPodUid(string?)"/>.
    /// </summary>
    public static bool IsPodUidPart(string? value) => value is not null && IsPodUidPart(value.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsPodUidPart(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > 253 || value is "." or "..") return false;
        foreach (var c in value)
            if (c is '/' or '_' || char.IsControl(c)) return false;
        return true;
    }

    /// <summary>
    /// Static pods without an explicit uid get md5(manifest) as 32 lowercase hex chars
    /// (kubernetes <c>pkg/kubelet/config/common.go</c> applyDefaults).
    /// </summary>
    public static bool IsStaticPodUid(string? value) => value is not null && IsStaticPodUid(value.AsSpan());

    public static bool IsStaticPodUid(ReadOnlySpan<char> value) => value.Length == 32 && IsHex(value);

    public static bool IsUuid(string? value) => value is not null && IsUuid(value.AsSpan());

    public static bool IsUuid(ReadOnlySpan<char> value)
    {
        if (value.Length != 36) return false;
        for (var i = 0; i < 36; i++)
        {
            var dash = i is 8 or 13 or 18 or 23;
            if (dash ? value[i] != '-' : !IsHexChar(value[i])) return false;
        }
        return true;
    }

    /// <summary>A full container id as docker, containerd and CRI-O write it: 64 lowercase hex.</summary>
    public static bool IsContainerId(string? value) => value is not null && IsContainerId(value.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool IsContainerId(ReadOnlySpan<char> value) => value.Length == 64 && IsHex(value);

    /// <summary>
    /// What a cut legacy link name keeps of an id: kubelet's <c>getContainerIDFromLegacyLogSymlink</c> reads it back when
    /// it has at least 6 characters ("container can be retrieved with container Id as short as 6 characters").
    /// </summary>
    public static bool IsContainerIdPrefix(ReadOnlySpan<char> value) => value.Length is >= MinContainerIdPrefix and <= 64 && IsHex(value);

    /// <summary>The shortest id prefix kubelet reads back from a legacy link name (<c>legacy.go</c>).</summary>
    public const int MinContainerIdPrefix = 6;

    /// <summary>
    /// Normalises a user's container id: strips <c>docker://</c>, <c>containerd://</c>, <c>cri-o://</c>,
    /// lowercases; null when what is left is not 1–64 hex chars.
    /// </summary>
    public static string? NormalizeContainerIdPrefix(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var v = value.Trim();
        var scheme = v.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) v = v[(scheme + 3)..];
        v = v.ToLowerInvariant();
        return v.Length is >= 1 and <= 64 && IsHex(v) ? v : null;
    }

    // Lowercase only, as kubelet and docker write them; vectorized (a scan checks two ids per link).
    static readonly System.Buffers.SearchValues<char> HexChars = System.Buffers.SearchValues.Create("0123456789abcdef");

    static bool IsHex(ReadOnlySpan<char> s) => !s.ContainsAnyExcept(HexChars);

    static bool IsHexChar(char c) => c is >= '0' and <= '9' or >= 'a' and <= 'f';
    static bool IsLowerAlnum(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9';
}
