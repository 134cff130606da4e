using System.Globalization;

namespace PodLogs.TestKubeApi;

/// <summary>The server-wide resourceVersion counter (etcd's revision): one for all collections.</summary>
internal sealed class ResourceVersionClock
{
    long current = 1000;

    public string Current => Interlocked.Read(ref current).ToString(CultureInfo.InvariantCulture);

    public string Next() => Interlocked.Increment(ref current).ToString(CultureInfo.InvariantCulture);

    public void Advance() => Interlocked.Increment(ref current);
}
