using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>`start`: releases the init parked on exec.fifo, then runs poststart.</summary>
public static class Starter
{
    public static void Start(RuntimeOptions o, string id)
    {
        using var held = o.Store.OpenLocked(id);
        var state = o.Store.Read(id);
        switch (StatusDeriver.Derive(o.Store, state))
        {
            case ContainerStatus.Created:
                break;
            case ContainerStatus.Stopped:
                throw new RuncsException("cannot start a container that has stopped");
            case ContainerStatus.Paused:
                throw new RuncsException("cannot start a paused container");
            default:
                throw new RuncsException("cannot start an already running container");
        }
        ReleaseFifo(o.Store.FifoOf(id), state);
        try
        {
            HookStates.Run(state.Hooks, HookPhases.Poststart, HookStates.Json(state, ContainerStatus.Running, state.InitPid));
        }
        catch (RuncsException)
        {
            // runtime-spec: a failed poststart hook stops the container (runc does the same).
            Signals.TrySend(state.InitPid, Sig.KILL);
            throw;
        }
    }

    /// <summary>
    /// Opens the fifo for reading, which lets init's blocked open return; reads the byte
    /// init writes after the startContainer hooks, then waits for end of file, which
    /// comes when execve closes init's end: the user's process is running.
    /// </summary>
    private static unsafe void ReleaseFifo(string fifoPath, ContainerState state)
    {
        using var fifo = FileDescriptor.Open(fifoPath, O.RDONLY | O.NONBLOCK);
        WaitReadable(fifo, fifoPath, state);
        byte b;
        nint n = Libc.read(fifo.Value, &b, 1);
        if (n <= 0)
            throw new RuncsException("exec fifo is empty: the container's init died before start");
        File.Delete(fifoPath);
        while (true)
        {
            WaitReadable(fifo, fifoPath, state);
            n = Libc.read(fifo.Value, &b, 1);
            if (n == 0 || n < 0 && Marshal.GetLastPInvokeError() != Errno.EAGAIN)
                return;
        }
    }

    private static unsafe void WaitReadable(FileDescriptor fifo, string fifoPath, ContainerState state)
    {
        var pfd = new PollFd { Fd = fifo.Value, Events = 1 /* POLLIN */ };
        while (true)
        {
            int r = Libc.poll(&pfd, 1, 100);
            if (r < 0 && Marshal.GetLastPInvokeError() != Errno.EINTR)
                throw SyscallException.FromLast("poll", fifoPath);
            if (r > 0)
                return;
            if (!StatusDeriver.InitAlive(state))
                throw new RuncsException("cannot start a container that has stopped");
        }
    }
}
