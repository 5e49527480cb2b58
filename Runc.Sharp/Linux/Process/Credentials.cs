using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Process;

/// <summary>
/// User and groups for the calling thread only, through raw syscalls: the thread that
/// then calls execve passes exactly these credentials to the container's process.
/// </summary>
public static unsafe class Credentials
{
    public static void Apply(uint uid, uint gid, IReadOnlyList<uint> groups, bool setGroupsAllowed)
    {
        if (setGroupsAllowed)
        {
            var list = groups.ToArray();
            fixed (uint* p = list)
            {
                if (Libc.syscall(Sys.setgroups, list.Length, (long)p, 0, 0, 0, 0) != 0)
                    throw SyscallException.FromLast("setgroups", "process.user.additionalGids");
            }
        }
        if (Libc.syscall(Sys.setresgid, gid, gid, gid, 0, 0, 0) != 0)
            throw SyscallException.FromLast("setresgid", $"process.user.gid {gid}");
        if (Libc.syscall(Sys.setresuid, uid, uid, uid, 0, 0, 0) != 0)
            throw SyscallException.FromLast("setresuid", $"process.user.uid {uid}");
    }
}
