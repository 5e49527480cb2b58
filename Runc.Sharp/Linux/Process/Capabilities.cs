using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Process;

/// <summary>The five capability sets as 64-bit masks, and applying them to the calling thread.</summary>
public sealed record CapabilitySets(ulong Bounding, ulong Effective, ulong Inheritable, ulong Permitted, ulong Ambient)
{
    public static CapabilitySets From(Spec.Capabilities? caps) => new(
        Mask(caps?.Bounding), Mask(caps?.Effective), Mask(caps?.Inheritable), Mask(caps?.Permitted), Mask(caps?.Ambient));

    public static ulong Mask(IReadOnlyList<string>? names)
    {
        ulong mask = 0;
        foreach (var n in names ?? [])
        {
            int bit = Array.IndexOf(Known.Capabilities, n);
            if (bit >= 0)
                mask |= 1UL << bit;
        }
        return mask;
    }
}

public static unsafe class CapabilityControl
{
    private const uint Version3 = 0x20080522;

    [StructLayout(LayoutKind.Sequential)]
    private struct Header
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Data
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    /// <summary>Highest capability the running kernel knows (from /proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap()
    {
        var text = File.Exists("/proc/sys/kernel/cap_last_cap") ? File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim() : "40";
        return int.TryParse(text, out var n) ? n : 40;
    }

    /// <summary>Drops every capability outside the bounding mask from this thread's bounding set.</summary>
    public static void DropBounding(ulong keep)
    {
        int last = LastCap();
        for (int cap = 0; cap <= last; cap++)
        {
            if ((keep & (1UL << cap)) != 0)
                continue;
            if (Libc.syscall(Sys.prctl, Pr.CAPBSET_DROP, cap, 0, 0, 0, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != Errno.EINVAL)
                    throw new SyscallException("prctl(PR_CAPBSET_DROP)", Known.Capabilities.ElementAtOrDefault(cap) ?? cap.ToString(System.Globalization.CultureInfo.InvariantCulture), errno);
            }
        }
    }

    /// <summary>capset(2) for this thread only (the raw syscall, not glibc's process-wide broadcast).</summary>
    public static void Set(ulong effective, ulong permitted, ulong inheritable)
    {
        var header = new Header { Version = Version3, Pid = 0 };
        var data = stackalloc Data[2];
        data[0] = new Data { Effective = (uint)effective, Permitted = (uint)permitted, Inheritable = (uint)inheritable };
        data[1] = new Data { Effective = (uint)(effective >> 32), Permitted = (uint)(permitted >> 32), Inheritable = (uint)(inheritable >> 32) };
        if (Libc.syscall(Sys.capset, (long)&header, (long)data, 0, 0, 0, 0) != 0)
            throw SyscallException.FromLast("capset", "process.capabilities");
    }

    /// <summary>
    /// One capability at a time, and a failure is only a warning: `runc spec` of runc 1.1
    /// put capabilities in the ambient set that are not inheritable, and runc (1.1 to 1.5)
    /// runs such bundles, warning about each capability it cannot raise.
    /// </summary>
    public static void RaiseAmbient(ulong ambient, Action<string> warn)
    {
        for (int cap = 0; cap < 64; cap++)
        {
            if ((ambient & (1UL << cap)) == 0)
                continue;
            if (Libc.syscall(Sys.prctl, Pr.CAP_AMBIENT, Pr.CAP_AMBIENT_RAISE, cap, 0, 0, 0) != 0)
                warn($"can't raise ambient capability {Known.Capabilities.ElementAtOrDefault(cap) ?? cap.ToString(System.Globalization.CultureInfo.InvariantCulture)}: {SyscallException.Describe(Marshal.GetLastPInvokeError())}");
        }
    }

    public static void SetKeepCaps(bool keep)
    {
        if (Libc.syscall(Sys.prctl, Pr.SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0, 0) != 0)
            throw SyscallException.FromLast("prctl(PR_SET_KEEPCAPS)");
    }

    public static void SetNoNewPrivs()
    {
        if (Libc.syscall(Sys.prctl, Pr.SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0) != 0)
            throw SyscallException.FromLast("prctl(PR_SET_NO_NEW_PRIVS)");
    }
}
