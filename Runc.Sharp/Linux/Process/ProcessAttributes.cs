using System.Globalization;
using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Process;

/// <summary>Per-process settings of process.*: rlimits, oom score, personality, I/O priority, scheduler (affinity: <see cref="Affinity"/>).</summary>
public static unsafe class ProcessAttributes
{
    /// <summary>PR_SET_PDEATHSIG 0: the process no longer dies with its parent (the handover to the container).</summary>
    public static void ClearParentDeathSignal()
    {
        if (Libc.syscall(Sys.prctl, Pr.SET_PDEATHSIG, 0, 0, 0, 0, 0) != 0)
            throw SyscallException.FromLast("prctl(PR_SET_PDEATHSIG, 0)");
    }

    public static void SetRlimits(IReadOnlyList<Rlimit>? limits)
    {
        for (int i = 0; limits is not null && i < limits.Count; i++)
        {
            int resource = Array.IndexOf(Known.Rlimits, limits[i].Type);
            var value = new RLimit { Cur = limits[i].Soft, Max = limits[i].Hard };
            if (Libc.setrlimit(resource, &value) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                var hint = errno == Errno.EPERM ? " (raising a hard limit needs CAP_SYS_RESOURCE)" : "";
                throw new RuncsException($"setrlimit {limits[i].Type} soft={limits[i].Soft} hard={limits[i].Hard} (process.rlimits[{i}]): {SyscallException.Describe(errno)}{hint}");
            }
        }
    }

    /// <summary>
    /// Fails now (at create) for limits that <see cref="SetRlimits"/> could not set just
    /// before execve: a hard limit above the current one needs CAP_SYS_RESOURCE.
    /// </summary>
    public static void CheckRlimits(IReadOnlyList<Rlimit>? limits)
    {
        bool canRaise = HasEffectiveCapability(24 /* CAP_SYS_RESOURCE */);
        for (int i = 0; limits is not null && i < limits.Count; i++)
        {
            int resource = Array.IndexOf(Known.Rlimits, limits[i].Type);
            RLimit current;
            if (Libc.getrlimit(resource, &current) != 0)
                throw SyscallException.FromLast("getrlimit", limits[i].Type);
            if (limits[i].Hard > current.Max && !canRaise)
                throw new RuncsException($"setrlimit {limits[i].Type} soft={limits[i].Soft} hard={limits[i].Hard} (process.rlimits[{i}]): {SyscallException.Describe(Errno.EPERM)} (raising a hard limit needs CAP_SYS_RESOURCE)");
        }
    }

    private static bool HasEffectiveCapability(int cap)
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line[7..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask)
            && (mask & (1UL << cap)) != 0;
    }

    /// <summary>Through <see cref="ProcFiles"/>, before the container's mounts or mount namespace (CVE-2025-52881).</summary>
    public static void SetOomScoreAdj(int pid, int value)
    {
        try
        {
            ProcFiles.Write($"{pid.ToString(CultureInfo.InvariantCulture)}/oom_score_adj", value.ToString(CultureInfo.InvariantCulture), "process.oomScoreAdj");
        }
        catch (SyscallException e) when (e.Errno is Errno.EACCES or Errno.EPERM)
        {
            throw new RuncsException($"{e.Message} (lowering it needs CAP_SYS_RESOURCE)");
        }
    }

    public static void SetPersonality(Personality p)
    {
        nuint persona = p.Domain == "LINUX32" ? 0x0008u : 0u;
        if (Libc.personality(persona) == -1)
            throw SyscallException.FromLast("personality", "linux.personality");
    }

    /// <summary>
    /// linux.memoryPolicy: set_mempolicy(mode | flags, nodes) for this process and what it
    /// execs (runc 1.4); the names were validated, and each one's index is the kernel's number
    /// (<see cref="Known.MemoryPolicyModes"/>, <see cref="Known.MemoryPolicyFlags"/>).
    /// </summary>
    public static void SetMemoryPolicy(MemoryPolicy mp)
    {
        long mode = Array.IndexOf(Known.MemoryPolicyModes, mp.Mode);
        foreach (var flag in mp.Flags ?? [])
            mode |= 1L << (13 + Array.IndexOf(Known.MemoryPolicyFlags, flag));
        var nodes = BitList.TryParse(mp.Nodes ?? "", Known.MemoryPolicyNodes)!;
        bool none = BitList.Count(nodes) == 0;
        fixed (byte* mask = nodes)
        {
            // maxnode counts one bit more than the mask holds: the kernel drops the last.
            if (Libc.syscall(Sys.set_mempolicy, mode, none ? 0 : (long)mask, none ? 0 : Known.MemoryPolicyNodes + 1, 0, 0, 0) != 0)
                throw SyscallException.FromLast("set_mempolicy", $"linux.memoryPolicy (mode {mp.Mode}, nodes \"{mp.Nodes}\")");
        }
    }

    public static void SetIoPriority(IoPriority io)
    {
        long cls = io.Class switch { "IOPRIO_CLASS_RT" => 1, "IOPRIO_CLASS_BE" => 2, _ => 3 };
        long prio = (cls << 13) | (uint)io.Priority;
        const long IOPRIO_WHO_PROCESS = 1;
        if (Libc.syscall(Sys.ioprio_set, IOPRIO_WHO_PROCESS, 0, prio, 0, 0, 0) != 0)
            throw SyscallException.FromLast("ioprio_set", "process.ioPriority");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedAttr
    {
        public uint Size;
        public uint Policy;
        public ulong Flags;
        public int Nice;
        public uint Priority;
        public ulong Runtime;
        public ulong Deadline;
        public ulong Period;
    }

    /// <param name="cpusetLimited">linux.resources.cpu.cpus is set: a deadline policy then fails with EPERM, which runc names.</param>
    public static void SetScheduler(Scheduler s, bool cpusetLimited)
    {
        uint policy = (uint)Array.IndexOf(Known.SchedulerPolicies, s.Policy);
        if (s.Policy == "SCHED_IDLE") policy = 5;
        else if (s.Policy == "SCHED_DEADLINE") policy = 6;
        else if (s.Policy == "SCHED_ISO") policy = 4;
        ulong flags = 0;
        foreach (var f in s.Flags ?? [])
        {
            flags |= f switch
            {
                "SCHED_FLAG_RESET_ON_FORK" => 0x01UL, "SCHED_FLAG_RECLAIM" => 0x02UL, "SCHED_FLAG_DL_OVERRUN" => 0x04UL,
                "SCHED_FLAG_KEEP_POLICY" => 0x08UL, "SCHED_FLAG_KEEP_PARAMS" => 0x10UL, "SCHED_FLAG_UTIL_CLAMP_MIN" => 0x20UL,
                "SCHED_FLAG_UTIL_CLAMP_MAX" => 0x40UL, _ => 0UL,
            };
        }
        var attr = new SchedAttr
        {
            Size = (uint)sizeof(SchedAttr), Policy = policy, Flags = flags, Nice = s.Nice, Priority = (uint)s.Priority,
            Runtime = s.Runtime, Deadline = s.Deadline, Period = s.Period,
        };
        if (Libc.syscall(Sys.sched_setattr, 0, (long)&attr, 0, 0, 0, 0) != 0)
        {
            if (Marshal.GetLastPInvokeError() == Errno.EPERM && cpusetLimited)
                throw new ConfigError("process.scheduler: process scheduler can't be used together with AllowedCPUs (linux.resources.cpu.cpus)");
            throw SyscallException.FromLast("sched_setattr", "process.scheduler");
        }
    }

    /// <summary>keyctl(KEYCTL_JOIN_SESSION_KEYRING, name): a fresh session keyring so containers do not share the host's.</summary>
    public static void JoinSessionKeyring(string name)
    {
        const long KEYCTL_JOIN_SESSION_KEYRING = 1;
        fixed (byte* p = SysCall.Utf8(name))
        {
            if (Libc.syscall(Sys.keyctl, KEYCTL_JOIN_SESSION_KEYRING, (long)p, 0, 0, 0, 0) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // As runc: kernels or seccomp profiles without keyrings are not an error.
                if (errno is not (Errno.ENOSYS or Errno.EPERM))
                    throw new SyscallException("keyctl(JOIN_SESSION_KEYRING)", name, errno);
            }
        }
    }
}
