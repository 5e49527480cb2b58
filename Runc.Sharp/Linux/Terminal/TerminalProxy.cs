using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Terminal;

/// <summary>
/// `run` in the foreground with process.terminal: runcs holds the pty master and copies
/// between it and its own stdio, with its terminal in raw mode and the window size
/// kept in step, as runc does.
/// </summary>
public sealed unsafe class TerminalProxy : IDisposable
{
    private const nuint TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    private readonly FileDescriptor _master;
    private readonly byte[]? _savedTermios;
    private readonly Thread _output;
    private readonly Thread _input;

    public TerminalProxy(int master)
    {
        _master = new FileDescriptor(master);
        ClearOnlcr(master);
        if (IsTerminal(0))
        {
            _savedTermios = new byte[64];
            fixed (byte* t = _savedTermios)
            {
                if (Libc.tcgetattr(0, t) == 0)
                {
                    var raw = (byte[])_savedTermios.Clone();
                    fixed (byte* r = raw)
                    {
                        Libc.cfmakeraw(r);
                        Libc.tcsetattr(0, 0, r);
                    }
                }
            }
        }
        Resize();
        _output = new Thread(() => Copy(_master.Value, 1)) { IsBackground = true, Name = "pty→stdout" };
        _input = new Thread(() => Copy(0, _master.Value)) { IsBackground = true, Name = "stdin→pty" };
        _output.Start();
        _input.Start();
    }

    /// <summary>Copies our terminal's window size onto the container's pty (on start and on SIGWINCH).</summary>
    public void Resize()
    {
        ushort* ws = stackalloc ushort[4];
        if (Libc.ioctl(0, TIOCGWINSZ, (nint)ws) == 0)
            Libc.ioctl(_master.Value, TIOCSWINSZ, (nint)ws);
    }

    /// <summary>Waits (bounded) for the container's output to drain after it exited.</summary>
    public void Drain() => _output.Join(TimeSpan.FromSeconds(2));

    private static void Copy(int from, int to)
    {
        var buf = new byte[32 * 1024];
        fixed (byte* p = buf)
        {
            while (true)
            {
                nint n = Libc.read(from, p, buf.Length);
                if (n < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                    continue;
                if (n <= 0)
                    return;
                for (nint done = 0; done < n;)
                {
                    nint w = Libc.write(to, p + done, n - done);
                    if (w < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                        continue;
                    if (w <= 0)
                        return;
                    done += w;
                }
            }
        }
    }

    /// <summary>
    /// The container's "\n" reaches runcs's stdout as "\n", not the pty's "\r\n": runc clears
    /// ONLCR on the master it proxies too, and output piped on from `run` stays as written.
    /// </summary>
    private static void ClearOnlcr(int master)
    {
        const uint ONLCR = 0x4;
        byte* t = stackalloc byte[64];
        if (Libc.tcgetattr(master, t) != 0)
            return;
        *(uint*)(t + 4) &= ~ONLCR;
        Libc.tcsetattr(master, 0, t);
    }

    private static bool IsTerminal(int fd)
    {
        byte* t = stackalloc byte[64];
        return Libc.tcgetattr(fd, t) == 0;
    }

    public void Dispose()
    {
        if (_savedTermios is not null)
        {
            fixed (byte* t = _savedTermios)
                Libc.tcsetattr(0, 0, t);
        }
        _master.Dispose();
    }
}
