using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// `run`: create and start. Detached, it returns at once; in the foreground it forwards
/// signals to the container, waits for init, deletes the container (unless --keep) and
/// returns init's status (128+signal when killed).
/// </summary>
public static class Runner
{
    private static readonly int[] Forwarded = [Sig.HUP, Sig.INT, Sig.QUIT, Sig.USR1, Sig.USR2, Sig.TERM, Sig.WINCH];

    public static int Run(RuntimeOptions o, CreateRequest r, bool keep, bool noSubreaper)
    {
        if (!noSubreaper && !r.Detach)
            Libc.prctl(Pr.SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        var created = Creator.Create(o, r);
        var registrations = r.Detach ? [] : Forwarded.Select(sig => PosixSignalRegistration.Create((PosixSignal)sig, ctx =>
        {
            ctx.Cancel = true;
            Signals.TrySend(created.Pid, sig);
        })).ToList();
        try
        {
            try
            {
                Starter.Start(o, r.Id);
            }
            catch (RuncsException)
            {
                if (!r.Detach)
                    DeleteQuietly(o, r.Id);
                throw;
            }
            if (r.Detach)
                return 0;
            int status = WaitFor(created.Pid);
            if (!keep)
                Deleter.Delete(o, r.Id, force: true);
            return status;
        }
        finally
        {
            foreach (var reg in registrations)
                reg.Dispose();
        }
    }

    private static void DeleteQuietly(RuntimeOptions o, string id)
    {
        try
        {
            Deleter.Delete(o, id, force: true);
        }
        catch (RuncsException e)
        {
            o.Warn($"cleanup of {id} after a failed start: {e.Message}");
        }
    }

    /// <summary>Reaps children (we may be a subreaper) until init exits; returns its shell-style status.</summary>
    private static unsafe int WaitFor(int pid)
    {
        while (true)
        {
            int status;
            int r = Libc.waitpid(-1, &status, 0);
            if (r < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.ECHILD)
                    return 255;
                throw new SyscallException("waitpid", "container init", errno);
            }
            if (r != pid)
                continue;
            int sig = status & 0x7f;
            return sig == 0 ? (status >> 8) & 0xff : 128 + sig;
        }
    }
}
