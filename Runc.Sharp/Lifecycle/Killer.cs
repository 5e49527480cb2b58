using Runc.Sharp.Linux;

namespace Runc.Sharp.Lifecycle;

/// <summary>`kill`: a signal to init, or with --all to every process in the container's cgroup.</summary>
public static class Killer
{
    public static void Kill(RuntimeOptions o, string id, int signal, bool all)
    {
        var state = o.Store.Read(id);
        bool stopped = StatusDeriver.Derive(o.Store, state) is ContainerStatus.Stopped or ContainerStatus.Creating;
        // Without a pid namespace of its own, the init's death does not end the container's
        // other processes: SIGKILL goes to all of them (runc 1.2), and --all sends any signal
        // to all, even after the init exited (runc 1.1, and what a pod's shared pid namespace needs).
        if (all || signal == Linux.Native.Sig.KILL && state.SharedPidNamespace)
        {
            if (stopped && !all && ContainerCgroups.For(state).Pids().Count == 0)
                throw new RuncsException("container not running");
            SignalAll(state, signal);
            return;
        }
        if (stopped || !Signals.TrySend(state.InitPid, signal))
            throw new RuncsException("container not running");
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
