using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// A parked init is pid 1 of its pid namespace, and the kernel delivers to such a process
/// only the signals it handles: SIGTERM from `kill` (or a pidfd) would be lost. runc's parked
/// init, a Go program, handles them all and exits; so does this one, for the signals whose
/// default is to end a process. execve restores their defaults for the container's process.
/// </summary>
public static class ParkedSignals
{
    private static readonly int[] Ending = [Sig.TERM, Sig.INT, Sig.HUP, Sig.QUIT];
    private static readonly List<PosixSignalRegistration> Registrations = [];

    public static void EndOnTermination()
    {
        foreach (var signal in Ending)
            Registrations.Add(PosixSignalRegistration.Create((PosixSignal)signal, _ => Libc.syscall(Sys.exit_group, 128 + signal, 0, 0, 0, 0, 0)));
    }
}
