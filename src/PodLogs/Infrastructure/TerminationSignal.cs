using System.Runtime.InteropServices;

namespace PodLogs.Commands;

/// <summary>
/// SIGTERM for scripts that run for as long as their container (deploy/podlogs-agent.ps1, issue #14 item 3). Without it the
/// runtime ends pwsh at once on SIGTERM, mid-cycle. Once <see cref="Register"/> is called, SIGTERM instead sets the returned
/// handle (the script waits on it between cycles) and stops the PodLogs command that is running, which ends with a
/// PipelineStoppedException as under Ctrl+C; if the process still runs after the grace given, it exits with 143, as the
/// default would have, so a stuck call cannot outlast the kubelet's or docker's own grace period.
/// </summary>
public static class TerminationSignal
{
    static readonly CancellationTokenSource Source = new();
    static readonly object Gate = new();
    static PosixSignalRegistration? _registration;
    static TimeSpan _grace;

    /// <summary>Handle SIGTERM from now on (a second call only changes the grace); the handle is set once SIGTERM came.</summary>
    public static WaitHandle Register(TimeSpan grace)
    {
        if (grace <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(grace), grace, "The grace period must be positive.");
        lock (Gate)
        {
            _grace = grace;
            _registration ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
        }
        return Source.Token.WaitHandle;
    }

    /// <summary>Whether a script asked for SIGTERM (<see cref="Register"/>): only then do commands link their cancellation to it.</summary>
    internal static bool IsRegistered => Volatile.Read(ref _registration) is not null;

    /// <summary>Whether SIGTERM came since <see cref="Register"/>.</summary>
    public static bool Requested => Source.IsCancellationRequested;

    /// <summary>Linked into every PodLogs command's cancellation (<see cref="PodLogsCmdlet"/>); never cancelled unless registered.</summary>
    internal static CancellationToken Token => Source.Token;

    static void OnTerminate(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Source.IsCancellationRequested) return;
        TimeSpan grace;
        lock (Gate) grace = _grace;
        var deadline = new Thread(() =>
        {
            Thread.Sleep(grace);
            Console.Error.WriteLine($"PodLogs: still running {grace.TotalSeconds:0.#} s after SIGTERM; exiting.");
            Environment.Exit(143);
        }) { IsBackground = true, Name = "PodLogs SIGTERM deadline" };
        deadline.Start();
        Source.Cancel();
    }
}
