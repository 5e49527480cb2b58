using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>An owned file descriptor, closed on dispose.</summary>
public sealed class FileDescriptor : IDisposable
{
    public int Value { get; private set; }

    public FileDescriptor(int fd) => Value = fd;

    public static FileDescriptor Open(string path, int flags, int mode = 0)
    {
        int fd = Libc.open(path, flags | O.CLOEXEC, mode);
        if (fd < 0)
            throw SyscallException.FromLast("open", path);
        return new FileDescriptor(fd);
    }

    /// <summary>Like <see cref="Open"/> but returns null when the path does not exist.</summary>
    public static FileDescriptor? OpenIfExists(string path, int flags)
    {
        int fd = Libc.open(path, flags | O.CLOEXEC, 0);
        if (fd >= 0)
            return new FileDescriptor(fd);
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        if (errno is Errno.ENOENT or Errno.ENOTDIR)
            return null;
        throw new SyscallException("open", path, errno);
    }

    /// <summary>Gives up ownership (e.g. when the fd is handed to a child).</summary>
    public int Release()
    {
        int fd = Value;
        Value = -1;
        return fd;
    }

    public void Dispose()
    {
        if (Value >= 0)
            Libc.close(Value);
        Value = -1;
    }

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
