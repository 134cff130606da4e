using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Reading;

/// <summary>-LimitBytes of one container, over what it holds and what it writes while followed.</summary>
public sealed class ByteBudget(long bytes)
{
    long _left = bytes;

    /// <summary>A budget of <paramref name="limitBytes"/>, or one that never runs out.</summary>
    public static ByteBudget Of(long? limitBytes) => new(limitBytes ?? long.MaxValue);

    public bool Spent => _left <= 0;

    /// <summary>Counts what kubectl prints, the message and its newline; false for a line that would go past the limit (it is not returned).</summary>
    public bool Take(string message) => (_left -= Encoding.UTF8.GetByteCount(message) + 1) >= 0;

    /// <summary>The lines of <paramref name="origin"/> up to the budget (the line that would pass it is not returned, nor any after it).</summary>
    public IEnumerable<ContainerLogLine> Limit(IEnumerable<LogLine> lines, ContainerLogOrigin origin)
    {
        if (Spent) yield break;
        foreach (var line in lines)
        {
            if (!Take(line.Message)) yield break;
            yield return new ContainerLogLine(line, origin);
        }
    }
}
