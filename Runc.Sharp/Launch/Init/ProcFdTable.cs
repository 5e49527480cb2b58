using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch.Init;

/// <summary>
/// The handle through which the parked init reopens exec.fifo. Opened on the host's /proc
/// before the mounts, it would name a host path for as long as the init waits; once the
/// container's own procfs is mounted, the same fd table is reached through it
/// (/proc/thread-self/fd, which the container sees as /proc/1/task/1/fd), and the host's
/// handle is closed. Only a real procfs is taken: anything else keeps the early handle.
/// </summary>
public static unsafe class ProcFdTable
{
    private const long ProcSuperMagic = 0x9fa0;

    public static FileDescriptor PreferContainers(FileDescriptor early)
    {
        FileDescriptor? own;
        try
        {
            own = FileDescriptor.OpenIfExists("/proc/thread-self/fd", O.PATH | O.DIRECTORY);
        }
        catch (SyscallException)
        {
            own = null;
        }
        if (own is null)
            return early;
        StatFs fs;
        if (Libc.fstatfs(own.Value, &fs) != 0 || fs.Type != ProcSuperMagic)
        {
            own.Dispose();
            return early;
        }
        early.Dispose();
        return own;
    }
}
