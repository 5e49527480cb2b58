using Runc.Sharp.Cgroups;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// runc's rule, never trusting a stored status: init dead, a zombie or with another
/// start time → stopped; cgroup frozen → paused; exec.fifo present → created; else running.
/// A record that create has not finished is creating: while that create runs, or after it was
/// killed, when nothing of it runs any more and delete removes what it made.
/// </summary>
public static class StatusDeriver
{
    public static ContainerStatus Derive(StateStore store, ContainerState state)
    {
        if (state.Creating)
            return ContainerStatus.Creating;
        if (!InitAlive(state))
            return ContainerStatus.Stopped;
        if (state.CgroupPaths is { Count: > 0 } paths && new FsCgroupManager(paths).IsFrozen())
            return ContainerStatus.Paused;
        if (File.Exists(store.FifoOf(state.Id)))
            return ContainerStatus.Created;
        return ContainerStatus.Running;
    }

    public static bool InitAlive(ContainerState state) => !state.Creating && Alive(state.InitPid, state.InitStartTime);

    private static bool Alive(int pid, ulong startTime)
    {
        if (pid <= 0)
            return false;
        var stat = ProcStat.Read(pid);
        return stat is { } s && !s.IsDead && s.StartTime == startTime;
    }
}
