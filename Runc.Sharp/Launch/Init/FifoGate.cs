using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// Blocks on exec.fifo until `runcs start` opens it. The open happens on a thread
/// started before the user switch, so it keeps root's credentials (credentials are per
/// thread) and can reopen the fifo through /proc/self/fd whatever the container user is.
/// </summary>
public sealed unsafe class FifoGate
{
    private readonly Thread _thread;
    private RuncsException? _error;

    public FifoGate(FileDescriptor procSelfFd, int fifoFd)
    {
        int dir = procSelfFd.Value;
        var name = fifoFd.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _thread = new Thread(() =>
        {
            int fd = Libc.openat(dir, name, O.WRONLY | O.CLOEXEC, 0);
            if (fd < 0)
            {
                _error = SyscallException.FromLast("open", "exec fifo");
                return;
            }
            byte zero = (byte)'0';
            if (Libc.write(fd, &zero, 1) != 1)
                _error = new SyscallException("write", "exec fifo", Marshal.GetLastPInvokeError());
            Libc.close(fd);
        })
        { IsBackground = true, Name = "exec.fifo" };
        _thread.Start();
    }

    public void Wait()
    {
        _thread.Join();
        if (_error is not null)
            throw _error;
    }
}
