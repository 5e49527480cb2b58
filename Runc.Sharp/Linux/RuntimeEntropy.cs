using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>
/// The .NET runtime reads its random seeds from a /dev/urandom descriptor that it opens on
/// first use and keeps for good (an ArrayPool's first return needs one, so the first JSON
/// read does). In the init, that is a host file held by a process that waits in the
/// container. It is swapped for the read end of a pipe holding random bytes already read
/// from it, with its write end closed: the runtime reads on from the pipe and, once it is
/// empty, gets end of file and falls back to its own generator, never blocking.
/// </summary>
public static unsafe class RuntimeEntropy
{
    private const int Reserve = 4096;

    public static void Detach(IReadOnlyCollection<int> before)
    {
        foreach (var fd in SysCall.OpenDescriptors())
        {
            if (before.Contains(fd) || !IsUrandom(fd))
                continue;
            Swap(fd);
        }
    }

    private static bool IsUrandom(int fd)
    {
        Stat st;
        return Libc.fstat(fd, &st) == 0 && (st.Mode & 0xF000) == 0x2000 && st.Rdev == ((1UL << 8) | 9);
    }

    private static void Swap(int fd)
    {
        int* ends = stackalloc int[2];
        if (Libc.pipe2(ends, O.CLOEXEC) != 0)
            throw SyscallException.FromLast("pipe2", "runtime entropy");
        try
        {
            var bytes = stackalloc byte[Reserve];
            long n = Libc.read(fd, bytes, Reserve);
            if (n > 0 && SysCall.WriteAll(ends[1], new ReadOnlySpan<byte>(bytes, (int)n)) != 0)
                throw SyscallException.FromLast("write", "runtime entropy pipe");
            if (Libc.dup3(ends[0], fd, O.CLOEXEC) < 0)
                throw new SyscallException("dup3", "runtime entropy", Marshal.GetLastPInvokeError());
        }
        finally
        {
            Libc.close(ends[0]);
            Libc.close(ends[1]);
        }
    }
}
