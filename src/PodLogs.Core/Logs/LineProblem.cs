using System.Text;

namespace PodLogs.Core.Logs;

/// <summary>What can be wrong with one line of a log file (each is counted, not reported line by line).</summary>
internal enum LineProblem { Malformed, Skipped, Split, InvalidUtf8 }
