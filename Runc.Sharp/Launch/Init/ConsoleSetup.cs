using System.Text;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Mounts;
using Runc.Sharp.Linux.Terminal;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// process.terminal: a pty opened inside the container, its master sent in one
/// SCM_RIGHTS message over the console socket, its slave bound on /dev/console and
/// made the process's controlling terminal and stdio.
/// </summary>
public static class ConsoleSetup
{
    public static void Attach(InitConfig c, Spec.Process process, bool bindDevConsole)
    {
        if (c.ConsoleSocketFd < 0)
            throw new RuncsException("process.terminal is true but no console socket was given");
        var pty = Pty.Open();
        if (process.ConsoleSize is { } size)
            pty.Resize(size.Height, size.Width);
        if (bindDevConsole)
        {
            using var root = new RootDir("/");
            using var console = root.OpenOwnFile("/dev/console", 0x1B6);
            SysCall.Mount(pty.SlavePath, SysCall.FdPath(console.Value), null, (ulong)MountFlags.Bind, null, $"bind {pty.SlavePath} on /dev/console");
        }
        UnixSocket.SendFd(c.ConsoleSocketFd, pty.Master.Value, Encoding.UTF8.GetBytes(pty.SlavePath), "console socket");
        pty.Master.Dispose();
        new FileDescriptor(c.ConsoleSocketFd).Dispose();
        pty.BecomeStdio();
        pty.Slave.Dispose();
    }
}
