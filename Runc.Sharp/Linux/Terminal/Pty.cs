using System.Globalization;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Terminal;

/// <summary>A pseudo-terminal opened inside the container (/dev/ptmx of its devpts).</summary>
public sealed record Pty(FileDescriptor Master, FileDescriptor Slave, string SlavePath)
{
    private const nuint TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431, TIOCSWINSZ = 0x5414, TIOCSCTTY = 0x540E;

    public static unsafe Pty Open()
    {
        var master = FileDescriptor.Open("/dev/ptmx", O.RDWR | O.NOCTTY);
        int unlock = 0;
        if (Libc.ioctl(master.Value, TIOCSPTLCK, (nint)(&unlock)) != 0)
            throw SyscallException.FromLast("ioctl(TIOCSPTLCK)", "/dev/ptmx");
        int n;
        if (Libc.ioctl(master.Value, TIOCGPTN, (nint)(&n)) != 0)
            throw SyscallException.FromLast("ioctl(TIOCGPTN)", "/dev/ptmx");
        var path = "/dev/pts/" + n.ToString(CultureInfo.InvariantCulture);
        var slave = FileDescriptor.Open(path, O.RDWR | O.NOCTTY);
        return new Pty(master, slave, path);
    }

    public unsafe void Resize(uint rows, uint cols)
    {
        ushort* ws = stackalloc ushort[4];
        ws[0] = (ushort)rows;
        ws[1] = (ushort)cols;
        ws[2] = 0;
        ws[3] = 0;
        if (Libc.ioctl(Master.Value, TIOCSWINSZ, (nint)ws) != 0)
            throw SyscallException.FromLast("ioctl(TIOCSWINSZ)", "process.consoleSize");
    }

    /// <summary>Makes the slave the controlling terminal and stdio of this (session-leading) process.</summary>
    public void BecomeStdio()
    {
        if (Libc.setsid() < 0)
            throw SyscallException.FromLast("setsid");
        if (Libc.ioctl(Slave.Value, TIOCSCTTY, 0) != 0)
            throw SyscallException.FromLast("ioctl(TIOCSCTTY)", SlavePath);
        for (int fd = 0; fd < 3; fd++)
        {
            if (Libc.dup3(Slave.Value, fd, 0) < 0)
                throw SyscallException.FromLast("dup3", SlavePath);
        }
    }
}
