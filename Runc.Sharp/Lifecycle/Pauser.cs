namespace Runc.Sharp.Lifecycle;

/// <summary>`pause` and `resume` through the cgroup freezer.</summary>
public static class Pauser
{
    public static void Pause(RuntimeOptions o, string id)
    {
        using var held = o.Store.OpenLocked(id);
        var state = o.Store.Read(id);
        if (StatusDeriver.Derive(o.Store, state) is not (ContainerStatus.Running or ContainerStatus.Created))
            throw new RuncsException("container not running");
        ContainerCgroups.For(state).Freeze();
    }

    public static void Resume(RuntimeOptions o, string id)
    {
        using var held = o.Store.OpenLocked(id);
        var state = o.Store.Read(id);
        if (StatusDeriver.Derive(o.Store, state) != ContainerStatus.Paused)
            throw new RuncsException("container not paused");
        ContainerCgroups.For(state).Thaw();
    }
}
