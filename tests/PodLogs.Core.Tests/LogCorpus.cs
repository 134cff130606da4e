using System.Text;
using PodLogs.Core.Logs;

namespace PodLogs.Core.Tests;

/// <summary>A deterministic mixed log: both streams, P…F chains, stderr stamped a little early (inversions).</summary>
public static class LogCorpus
{
    public static string Cri(int lines, DateTimeOffset start, TimeSpan step, int seed = 1, double inversionSeconds = 0.5)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        var t = start;
        for (var i = 0; i < lines; i++)
        {
            t += step;
            var stderr = rng.Next(5) == 0;
            var stamp = stderr ? t.AddSeconds(-inversionSeconds) : t;
            var stream = stderr ? "stderr" : "stdout";
            var parts = rng.Next(10) == 0 ? rng.Next(2, 5) : 1;
            for (var p = 0; p < parts; p++)
            {
                var tag = p == parts - 1 ? 'F' : 'P';
                var body = p == 0 ? $"line {i} " + new string('x', rng.Next(20, 200)) : $" part{p}";
                sb.Append(LogDir.Cri(stamp, stream, tag, body));
            }
        }
        return sb.ToString();
    }

    public static string Docker(int lines, DateTimeOffset start, TimeSpan step, int seed = 1)
    {
        var rng = new Random(seed);
        var sb = new StringBuilder();
        var t = start;
        for (var i = 0; i < lines; i++)
        {
            t += step;
            var stream = rng.Next(5) == 0 ? "stderr" : "stdout";
            var parts = rng.Next(10) == 0 ? 3 : 1;
            for (var p = 0; p < parts; p++)
                sb.Append(LogDir.Docker(t, stream, (p == 0 ? $"line {i} \"q\" " + new string('y', rng.Next(10, 150)) : $" part{p}") + (p == parts - 1 ? "\n" : "")));
        }
        return sb.ToString();
    }
}
