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
            case ContainerStatus.Creating:
                throw new RuncsException("cannot start a container that is being created");
            default:
                throw new RuncsException("cannot start an already running container");
        }
        ReleaseFifo(o.Store.FifoOf(id), state);
        Faults.At(FaultPoint.Started);
        try
        {
            HookStates.Run(state.Hooks, HookPhases.Poststart, HookStates.Json(state, ContainerStatus.Running, state.InitPid));
        }
        catch (Exception)
        {
            // runtime-spec: a failed poststart hook stops the container (runc does the same).
            Signals.TrySend(state.InitPid, Sig.KILL);
            throw;
        }
    }

    /// <summary>
    /// Opens the fifo for reading, which lets init's blocked open return; reads the byte
    /// init writes after the startContainer hooks, then waits for end of file, which
    /// comes when execve closes init's end: the user's process is running. An init that
    /// failed on the way (a startContainer hook, the seccomp load, execve) wrote its
    /// error there instead (<see cref="Launch.Init.FifoGate.Fail"/>), and exits.
    /// </summary>
    private static unsafe void ReleaseFifo(string fifoPath, ContainerState state)
    {
        using var fifo = FileDescriptor.Open(fifoPath, O.RDONLY | O.NONBLOCK);
        Faults.At(FaultPoint.FifoOpened);
        var report = new List<byte>();
        var chunk = new byte[4096];
        bool removed = false;
        while (true)
        {
            WaitReadable(fifo, fifoPath, state);
            nint n;
            fixed (byte* p = chunk)
                n = Libc.read(fifo.Value, p, chunk.Length);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() is Errno.EAGAIN or Errno.EINTR)
                    continue;
                throw SyscallException.FromLast("read", fifoPath);
            }
            if (n == 0)
                break;
            report.AddRange(chunk.AsSpan(0, (int)n));
            // The release byte: nobody may start this container again.
            if (!removed)
            {
                File.Delete(fifoPath);
                removed = true;
            }
        }
        if (report.Count == 0)
            throw new RuncsException("exec fifo is empty: the container's init died before start");
        int mark = report.IndexOf(Launch.Init.FifoGate.FailureMark);
        if (mark >= 0)
            throw Launch.InitFailure.Decode(report.ToArray().AsSpan(mark + 1));
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
