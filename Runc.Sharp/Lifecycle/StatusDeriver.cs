using Runc.Sharp.Cgroups;
using Runc.Sharp.Linux;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// runc's rule, never trusting a stored status: init dead, a zombie or with another
/// start time → stopped; cgroup frozen → paused; exec.fifo present → created; else running.
/// </summary>
public static class StatusDeriver
{
    public static ContainerStatus Derive(StateStore store, ContainerState state)
    {
        if (!InitAlive(state))
            return ContainerStatus.Stopped;
        if (state.CgroupPaths is { Count: > 0 } paths && new FsCgroupManager(paths).IsFrozen())
            return ContainerStatus.Paused;
        if (File.Exists(store.FifoOf(state.Id)))
            return ContainerStatus.Created;
        return ContainerStatus.Running;
    }

    public static bool InitAlive(ContainerState state)
    {
        if (state.InitPid <= 0)
            return false;
        var stat = ProcStat.Read(state.InitPid);
        return stat is { } s && !s.IsDead && s.StartTime == state.InitStartTime;
    }
}
