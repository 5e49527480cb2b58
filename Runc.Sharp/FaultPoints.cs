using System.Diagnostics;

namespace Runc.Sharp;

/// <summary>The step boundaries of the commands that change state, where the crash tests kill runcs.</summary>
public enum FaultPoint
{
    /// <summary>create: the state dir exists, nothing else.</summary>
    DirMade,
    /// <summary>create: the creating record is written, no cgroup yet.</summary>
    Recorded,
    /// <summary>create: the cgroup directories exist.</summary>
    CgroupsMade,
    /// <summary>create: linux.resources are written.</summary>
    LimitsSet,
    /// <summary>create, exec: the raw child is cloned and waits for its release.</summary>
    Cloned,
    /// <summary>create, exec: the raw child is released to exec the init.</summary>
    Released,
    /// <summary>create, exec: the init has its config.</summary>
    ConfigSent,
    /// <summary>create: the prestart and createRuntime hooks ran.</summary>
    HooksRun,
    /// <summary>create, exec: the init reported Ready.</summary>
    Ready,
    /// <summary>create: the created state is written, the init not yet handed over.</summary>
    StateWritten,
    /// <summary>create: the init is handed over.</summary>
    Committed,
    /// <summary>start: the fifo is open, the init released.</summary>
    FifoOpened,
    /// <summary>start: the process is exec'd, poststart hooks not run.</summary>
    Started,
    /// <summary>delete: the container's processes are killed.</summary>
    Killed,
    /// <summary>delete: its cgroups are removed, the state dir not yet.</summary>
    CgroupsRemoved,
}

/// <summary>
/// Kills this process with SIGKILL at the point named by RUNCS_FAULT_KILL_AT. Only a build
/// with FAULT_POINTS defined (scripts/build.sh with FAULT_POINTS=1, for the crash tests) contains
/// the calls: elsewhere the compiler removes them, and no environment can trigger them.
/// </summary>
public static class Faults
{
    private static readonly string? KillAt = Environment.GetEnvironmentVariable("RUNCS_FAULT_KILL_AT");

    [Conditional("FAULT_POINTS")]
    public static void At(FaultPoint point)
    {
        if (KillAt is not null && KillAt == point.ToString())
            Linux.Native.Libc.kill(Environment.ProcessId, Linux.Native.Sig.KILL);
    }
}
