using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Process;

/// <summary>
/// CPU affinity masks: cpu lists such as "0-3,7" (process.execCPUAffinity) parsed, applied
/// and read back, and the reset that keeps a container from inheriting runcs's own affinity.
/// </summary>
public static unsafe class Affinity
{
    // 1,024 CPUs, glibc's cpu_set_t: the kernel ignores the bits of CPUs it does not have.
    private const int MaskBytes = 128;

    /// <summary>The mask of a cpu list; a malformed list is a config error naming <paramref name="path"/>.</summary>
    public static byte[] Parse(string cpus, string path)
    {
        return BitList.TryParse(cpus, MaskBytes * 8) is { } mask && BitList.Count(mask) > 0
            ? mask
            : throw new ConfigError($"{path}: invalid cpu list \"{cpus}\"");
    }

    /// <summary>Sets the affinity of <paramref name="tid"/> (0: the calling thread).</summary>
    public static void Set(int tid, byte[] mask, string what)
    {
        fixed (byte* p = mask)
        {
            if (Libc.sched_setaffinity(tid, (nuint)mask.Length, p) != 0)
                throw SyscallException.FromLast("sched_setaffinity", what);
        }
    }

    public static byte[] Get(int tid)
    {
        var mask = new byte[MaskBytes];
        fixed (byte* p = mask)
        {
            if (Libc.sched_getaffinity(tid, (nuint)mask.Length, p) < 0)
                throw SyscallException.FromLast("sched_getaffinity", tid == 0 ? "runcs" : $"pid {tid}");
        }
        return mask;
    }

    /// <summary>The first 64 CPUs of a mask as a number, the form runc's debug log gives.</summary>
    public static ulong FirstCpus(byte[] mask) => BitConverter.ToUInt64(mask, 0);

    /// <summary>
    /// Every CPU, as runc's tryResetCPUAffinity: the kernel clamps an all-ones mask to the
    /// CPUs that exist and to the cgroup's cpuset. Since Linux 6.2 joining a cpuset no longer
    /// replaces an affinity the parent asked for (kcommit da019032819a), so without this the
    /// container would keep runcs's (a `taskset` around runcs, say). Returns the errno, 0 on success.
    /// </summary>
    public static int TryReset()
    {
        var all = new byte[MaskBytes];
        Array.Fill(all, (byte)0xff);
        fixed (byte* p = all)
            return Libc.sched_setaffinity(0, (nuint)all.Length, p) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }
}
