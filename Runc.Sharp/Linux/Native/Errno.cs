namespace Runc.Sharp.Linux.Native;

internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, ECHILD = 10, EAGAIN = 11,
        ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENOSPC = 28,
        EROFS = 30, ECONNRESET = 104, EPIPE = 32, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOTSUP = 95, EXDEV = 18;
}
