using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Linux.Terminal;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// A container process runcs waits for (run and exec without --detach): signals sent
/// to runcs are forwarded to it, a pty is proxied when there is one, and its status
/// becomes runcs's exit code (128+signal when it was killed).
/// </summary>
public sealed class Foreground : IDisposable
{
    private static readonly int[] Forwarded = [Sig.HUP, Sig.INT, Sig.QUIT, Sig.USR1, Sig.USR2, Sig.TERM, Sig.WINCH];

    private readonly int _pid;
    private readonly TerminalProxy? _terminal;
    private readonly List<PosixSignalRegistration> _registrations;

    public Foreground(int pid, int ptyMaster)
    {
        _pid = pid;
        _terminal = ptyMaster >= 0 ? new TerminalProxy(ptyMaster) : null;
        _registrations = Forwarded.Select(sig => PosixSignalRegistration.Create((PosixSignal)sig, ctx =>
        {
            ctx.Cancel = true;
            if (sig == Sig.WINCH && _terminal is not null)
                _terminal.Resize();
            else
                Signals.TrySend(_pid, sig);
        })).ToList();
    }

    /// <summary>Reaps children (runcs may be a subreaper) until the process exits; returns its status.</summary>
    public unsafe int Wait()
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
                throw new SyscallException("waitpid", "container process", errno);
            }
            if (r != _pid)
                continue;
            _terminal?.Drain();
            int sig = status & 0x7f;
            return sig == 0 ? (status >> 8) & 0xff : 128 + sig;
        }
    }

    public void Dispose()
    {
        foreach (var reg in _registrations)
            reg.Dispose();
        _terminal?.Dispose();
    }
}

/// <summary>
/// Where a container's terminal goes: to the caller's --console-socket, or, for a
/// foreground process, back to runcs over a socket pair so it can proxy the pty.
/// </summary>
public sealed class ConsoleRoute : IDisposable
{
    /// <summary>The connected socket the init inherits, or null without a terminal.</summary>
    public FileDescriptor? ToInit { get; }
    private readonly FileDescriptor? _receiver;

    public ConsoleRoute(string? socketPath, bool terminal, bool detach)
    {
        if (socketPath is not null)
            ToInit = UnixSocket.Connect(socketPath, "--console-socket");
        else if (terminal && !detach)
            (_receiver, ToInit) = UnixSocket.StreamPair();
    }

    /// <summary>The pty master when runcs proxies it, else -1. Call after the init reported ready.</summary>
    public int ReceiveMaster() => _receiver is null ? -1 : UnixSocket.RecvFd(_receiver.Value, "pty from the container");

    public void Dispose()
    {
        ToInit?.Dispose();
        _receiver?.Dispose();
    }
}
