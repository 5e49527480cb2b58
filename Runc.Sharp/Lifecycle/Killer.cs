using Runc.Sharp.Linux;

namespace Runc.Sharp.Lifecycle;

/// <summary>`kill`: a signal to init, or with --all to every process in the container's cgroup.</summary>
public static class Killer
{
    public static void Kill(RuntimeOptions o, string id, int signal, bool all)
    {
        var state = o.Store.Read(id);
        var status = StatusDeriver.Derive(o.Store, state);
        if (status == ContainerStatus.Stopped)
        {
            if (all)
                return;
            throw new RuncsException("container not running");
        }
        if (!all)
        {
            if (!Signals.TrySend(state.InitPid, signal))
                throw new RuncsException("container not running");
            return;
        }
        SignalAll(state, signal);
    }

    /// <summary>
    /// Every process of the cgroup (SIGKILL through cgroup.kill where the kernel has it); a
    /// frozen cgroup is thawed afterwards so the signal lands.
    /// </summary>
    public static void SignalAll(ContainerState state, int signal)
    {
        var cgroups = ContainerCgroups.For(state);
        bool frozen = cgroups.IsFrozen();
        if (signal != Linux.Native.Sig.KILL || !cgroups.TryKillAll())
        {
            foreach (var pid in cgroups.Pids())
                Signals.TrySend(pid, signal);
        }
        if (frozen && signal == Linux.Native.Sig.KILL)
            cgroups.Thaw();
    }
}
