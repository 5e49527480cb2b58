using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// The init's end of exec.fifo. Opening it for writing blocks until `runcs start` opens
/// it for reading; that open happens on a thread started before the user switch, so it
/// keeps root's credentials (they are per thread) and can reopen the fifo through
/// /proc/self/fd whatever the container user is. After the startContainer hooks the
/// init writes one byte; the descriptor is close-on-exec, so `start` then sees end of
/// file exactly when the user's process has been exec'd, and only then runs poststart.
/// </summary>
public sealed unsafe class FifoGate
{
    private readonly Thread _thread;
    private int _fd = -1;
    private RuncsException? _error;

    public FifoGate(FileDescriptor procSelfFd, int fifoFd)
    {
        int dir = procSelfFd.Value;
        var name = fifoFd.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _thread = new Thread(() =>
        {
            _fd = Libc.openat(dir, name, O.WRONLY | O.CLOEXEC, 0);
            if (_fd < 0)
                _error = SyscallException.FromLast("open", "exec fifo");
        })
        { IsBackground = true, Name = "exec.fifo" };
        _thread.Start();
    }

    /// <summary>Blocks until `runcs start` has opened the fifo.</summary>
    public void Wait()
    {
        _thread.Join();
        if (_error is not null)
            throw _error;
    }

    /// <summary>
    /// Tells `start` why the container did not start: 'E' and the failure, then the init
    /// exits (runcs start reads to end of file). A write that fails leaves start with an
    /// empty report, which it names as the init's death.
    /// </summary>
    public void Fail(Exception e)
    {
        if (_fd < 0)
            return;
        var report = InitFailure.Encode(e);
        var bytes = new byte[report.Length + 1];
        bytes[0] = FailureMark;
        report.CopyTo(bytes, 1);
        fixed (byte* p = bytes)
            Libc.write(_fd, p, bytes.Length);
    }

    /// <summary>The first byte of a failure report in the fifo; '0' is the release.</summary>
    public const byte FailureMark = (byte)'E';

    /// <summary>Tells `start` the process is about to be exec'd; the fd stays open until execve closes it.</summary>
    public void Release()
    {
        byte zero = (byte)'0';
        if (Libc.write(_fd, &zero, 1) != 1)
            throw new SyscallException("write", "exec fifo", Marshal.GetLastPInvokeError());
    }
}
