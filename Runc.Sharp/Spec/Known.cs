namespace Runc.Sharp.Spec;

/// <summary>The vocabularies of the runtime-spec that runcs understands.</summary>
public static class Known
{
    public static readonly string[] NamespaceTypes =
        ["pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time"];

    public static readonly string[] RootfsPropagations =
        ["private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable"];

    public static readonly string[] IoPriorityClasses =
        ["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"];

    public static readonly string[] SchedulerPolicies =
        ["SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"];

    /// <summary>set_mempolicy's modes; the index is the kernel's number (MPOL_DEFAULT = 0).</summary>
    public static readonly string[] MemoryPolicyModes =
        ["MPOL_DEFAULT", "MPOL_PREFERRED", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_LOCAL",
         "MPOL_PREFERRED_MANY", "MPOL_WEIGHTED_INTERLEAVE"];

    /// <summary>set_mempolicy's mode flags; flag i is the kernel's bit 13 + i (MPOL_F_NUMA_BALANCING = 1 &lt;&lt; 13).</summary>
    public static readonly string[] MemoryPolicyFlags =
        ["MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"];

    /// <summary>Memory nodes set_mempolicy takes: the bits of the mask runcs passes (glibc's 1,024 less the one the kernel drops).</summary>
    public const int MemoryPolicyNodes = 1023;

    public static readonly string[] PersonalityDomains = ["LINUX", "LINUX32"];

    public static readonly string[] DeviceTypes = ["c", "b", "u", "p"];

    public static readonly string[] TimeOffsetClocks = ["monotonic", "boottime"];

    public static readonly string[] SeccompActions =
        ["SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
         "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"];

    public static readonly string[] SeccompOperators =
        ["SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"];

    public static readonly string[] SeccompArchitectures =
        ["SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM", "SCMP_ARCH_AARCH64",
         "SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL", "SCMP_ARCH_MIPSEL64",
         "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390",
         "SCMP_ARCH_S390X", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64", "SCMP_ARCH_LOONGARCH64",
         "SCMP_ARCH_M68K", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB"];

    public static readonly string[] SeccompFlags =
        ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
         "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"];

    /// <summary>Capability names in kernel bit order (CAP_CHOWN = 0 … CAP_CHECKPOINT_RESTORE = 40).</summary>
    public static readonly string[] Capabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>Resource names in kernel order (RLIMIT_CPU = 0 … RLIMIT_RTTIME = 15).</summary>
    public static readonly string[] Rlimits =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS",
        "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING",
        "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];
}
