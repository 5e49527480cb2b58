using System.Runtime.InteropServices;
using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// An exclusive flock on a container's directory. The directory is the lock, so
/// nothing is left behind when the container is deleted. A waiter that gets the lock
/// after the directory was removed (or replaced) sees that and reports it gone.
/// </summary>
public sealed class ContainerLock : IDisposable
{
    private const int LOCK_EX = 2;
    private readonly FileDescriptor _fd;

    public string Directory { get; }
    internal int Fd => _fd.Value;

    private ContainerLock(string directory, FileDescriptor fd)
    {
        Directory = directory;
        _fd = fd;
    }

    public static ContainerLock Acquire(string directory) =>
        TryAcquire(directory) ?? throw new RuncsException($"lock {directory}: directory vanished");

    /// <summary>Null when the directory does not exist (before or after waiting).</summary>
    public static unsafe ContainerLock? TryAcquire(string directory)
    {
        while (true)
        {
            var fd = FileDescriptor.OpenIfExists(directory, O.RDONLY | O.DIRECTORY);
            if (fd is null)
                return null;
            while (Libc.flock(fd.Value, LOCK_EX) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINTR)
                {
                    fd.Dispose();
                    throw new SyscallException("flock", directory, errno);
                }
            }
            Stat held, now;
            bool same = Libc.fstat(fd.Value, &held) == 0
                && Libc.fstatat(-100, directory, &now, 0) == 0
                && held.Ino == now.Ino && held.Dev == now.Dev;
            if (same)
                return new ContainerLock(directory, fd);
            fd.Dispose();
            if (!System.IO.Directory.Exists(directory))
                return null;
        }
    }

    public void Dispose() => _fd.Dispose();
}
