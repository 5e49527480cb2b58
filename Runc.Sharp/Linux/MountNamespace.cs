using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>
/// Joining a mount namespace from a multi-threaded process: setns(CLONE_NEWNS) needs a
/// filesystem context of its own, so this thread first unshares CLONE_FS. Only this
/// thread moves, which is enough: it is the thread that builds and execs the process.
/// </summary>
public static class MountNamespace
{
    public static void Enter(int fd)
    {
        if (Libc.unshare((int)Clone.FS) != 0)
            throw SyscallException.FromLast("unshare(CLONE_FS)", "before joining the mount namespace");
        if (Libc.setns(fd, (int)Clone.NEWNS) != 0)
            throw SyscallException.FromLast("setns", "mount namespace (linux.namespaces)");
        Libc.close(fd);
    }
}
