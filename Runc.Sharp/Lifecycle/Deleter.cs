using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Linux.Resctrl;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// `delete`: stopped → destroy; created → kill and destroy (as runc and crun do);
/// running or paused → an error unless --force, which kills first. What a killed create
/// left (a record still creating, its creator dead) is stopped: destroyed by what it names.
/// </summary>
public static class Deleter
{
    public static void Delete(RuntimeOptions o, string id, bool force)
    {
        ContainerId.Validate(id);
        ContainerLock held;
        try
        {
            held = o.Store.OpenLocked(id);
        }
        catch (ContainerNotFound)
        {
            o.Store.RemoveStale(id);
            throw;
        }
        using (held)
        {
            var state = o.Store.Read(id);
            var status = StatusDeriver.Derive(o.Store, state);
            switch (status)
            {
                // Holding the lock, a creating record is one whose create was killed.
                case ContainerStatus.Stopped or ContainerStatus.Creating:
                    break;
                case ContainerStatus.Created:
                    KillAndWait(state);
                    break;
                default:
                    if (!force)
                        throw new RuncsException($"cannot delete container {id} that is not stopped: {status.ToText()}");
                    KillAndWait(state);
                    break;
            }
            Destroy(o, state, held);
        }
    }

    private static void KillAndWait(ContainerState state)
    {
        Killer.SignalAll(state, Sig.KILL);
        if (state.InitPid > 0)
            Signals.TrySend(state.InitPid, Sig.KILL);
        for (int i = 0; i < 100 && StatusDeriver.InitAlive(state); i++)
            Thread.Sleep(10);
        for (int i = 0; i < 100 && StatusDeriver.InitAlive(state); i++)
            Thread.Sleep(100);
        if (StatusDeriver.InitAlive(state))
            throw new RuncsException($"container {state.Id}: init {state.InitPid} did not die after SIGKILL");
    }

    /// <summary>Kills what is left in the cgroup, removes the cgroups runcs made, runs poststop, removes the state.</summary>
    private static void Destroy(RuntimeOptions o, ContainerState state, ContainerLock held)
    {
        Faults.At(FaultPoint.Killed);
        var cgroups = ContainerCgroups.For(state);
        if (cgroups.Pids().Count > 0)
        {
            Killer.SignalAll(state, Sig.KILL);
            for (int i = 0; i < 200 && cgroups.Pids().Count > 0; i++)
                Thread.Sleep(10);
        }
        // A record create did not finish names the mounts there were before it instead.
        var mounts = state.HostMountsBefore is { } before ? HostMounts.AddedBelow(state.Rootfs, before) : state.HostMounts;
        if (mounts is { Count: > 0 })
            HostMounts.Unmount(mounts);
        if (ContainerCgroups.SystemdUnitOf(state) is { } unit)
            Cgroups.Systemd.SystemdScope.Stop(unit);
        cgroups.Destroy(state.PreexistingCgroups ?? []);
        if (state.ResctrlDirs is { Count: > 0 } resctrl)
            ResctrlGroup.Destroy(resctrl);
        Faults.At(FaultPoint.CgroupsRemoved);
        HookStates.RunPoststop(state.Hooks, HookStates.Json(state, ContainerStatus.Stopped, 0), o.Warn);
        StateStore.Remove(held);
    }
}
