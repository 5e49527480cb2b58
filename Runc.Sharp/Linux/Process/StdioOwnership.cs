using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Process;

/// <summary>
/// Before the switch to the container's user, its stdin, stdout and stderr become that
/// user's (runc's fixStdioPermissions): a pty created by root would otherwise be a console
/// the user cannot use. Only the owner changes (the devpts mount chose the group); /dev/null
/// is left alone, and so is a file the kernel will not let us chown here.
/// </summary>
public static unsafe class StdioOwnership
{
    private const ulong DevNullRdev = (1 << 8) | 3;

    public static void GiveTo(uint uid)
    {
        for (int fd = 0; fd < 3; fd++)
        {
            Stat st;
            if (Libc.fstat(fd, &st) != 0)
            {
                if (Marshal.GetLastPInvokeError() == Errno.EBADF)
                    continue;
                throw SyscallException.FromLast("fstat", $"stdio fd {fd}");
            }
            if (st.Uid == uid || (st.Mode & 0xF000) == 0x2000 && st.Rdev == DevNullRdev)
                continue;
            if (Libc.fchown(fd, uid, st.Gid) != 0
                && Marshal.GetLastPInvokeError() is not (Errno.EINVAL or Errno.EPERM or Errno.EROFS))
                throw SyscallException.FromLast("fchown", $"stdio fd {fd} to uid {uid}");
        }
    }
}
