using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PodLogs.Runtime.Tests.Harness;

public sealed record ProcessResult(string FileName, IReadOnlyList<string> Arguments, int ExitCode, string Stdout, string Stderr)
{
    public ProcessResult EnsureSuccess() => ExitCode == 0 ? this
        : throw new InvalidOperationException($"'{FileName} {string.Join(' ', Arguments)}' exited with {ExitCode}: {Stderr.Trim()} {Stdout.Trim()}".Trim());
}

/// <summary>Runs short helper commands (ctr, busybox, umount, docker) with a time limit.</summary>
public static class ProcessRunner
{
    /// <param name="environment">Variables to set (a null value removes one) on top of this process's environment.</param>
    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var args = arguments.ToList();
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) psi.Environment[name] = value;
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
            throw new TimeoutException($"'{fileName} {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds} s.");
        }
        p.WaitForExit();
        return new ProcessResult(fileName, args, p.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}

/// <summary>Signals by pid (only ever pids this harness started).</summary>
public static partial class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static bool Send(int pid, int signal) => KillNative(pid, signal) == 0;

    public static bool IsAlive(int pid) => KillNative(pid, 0) == 0 || Marshal.GetLastPInvokeError() == 1 /* EPERM */;

    /// <summary>Whether a pid still runs a process (a zombie counts as gone).</summary>
    public static bool IsRunning(int pid)
    {
        if (!IsAlive(pid)) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
            return state != 'Z' && state != 'X';
        }
        catch (IOException) { return false; }
    }

    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (IsRunning(pid))
        {
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(50);
        }
        return true;
    }
}
