using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>
/// Joining a pid namespace only moves a process's future children, and it is allowed
/// in a multi-threaded process; so the parent enters it just for the clone and then
/// returns to its own, and the child is born inside.
/// </summary>
public static class PidNamespace
{
    public static T SpawnInside<T>(FileDescriptor target, Func<T> spawn)
    {
        using var own = FileDescriptor.Open("/proc/self/ns/pid_for_children", O.RDONLY);
        if (Libc.setns(target.Value, (int)Clone.NEWPID) != 0)
            throw SyscallException.FromLast("setns", "pid namespace (linux.namespaces)");
        try
        {
            return spawn();
        }
        finally
        {
            Libc.setns(own.Value, (int)Clone.NEWPID);
        }
    }
}
