using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>
/// /sys/fs/cgroup inside the container. cgroup2: a cgroup2 mount. cgroup (v1): a tmpfs
/// holding one entry per hierarchy — a fresh cgroup mount inside a private cgroup
/// namespace, else a bind of the container's own cgroup directory — then made read-only
/// when asked.
/// </summary>
public static class CgroupMount
{
    public static void Apply(RootDir root, Mount m, ParsedMountOptions opts, string what, MountContext ctx)
    {
        var flags = (ulong)(opts.Flags & ~(MountFlags.Bind | MountFlags.Rec));
        if (m.Type == "cgroup2" || ctx.CgroupSources.Count == 1 && ctx.CgroupSources[0].FsType == "cgroup2")
        {
            if (ctx.PrivateCgroupNamespace || ctx.CgroupSources.Count == 0)
            {
                using var target = root.OpenOrCreate(m.Destination!, asDirectory: true);
                SysCall.Mount("cgroup2", SysCall.FdPath(target.Value), "cgroup2", flags, null, $"cgroup2 on {m.Destination} ({what})");
            }
            else
                BindHierarchy(root, ctx.CgroupSources[0].HostDir, m.Destination!, flags, $"{m.Destination} ({what})");
            return;
        }
        var rw = flags & ~(ulong)MountFlags.ReadOnly;
        using (var target = root.OpenOrCreate(m.Destination!, asDirectory: true))
            SysCall.Mount("tmpfs", SysCall.FdPath(target.Value), "tmpfs", rw, "mode=755", $"tmpfs on {m.Destination} ({what})");
        foreach (var h in ctx.CgroupSources)
        {
            var dest = m.Destination!.TrimEnd('/') + "/" + h.Name;
            var describe = $"{h.Name} cgroup on {dest} ({what})";
            if (ctx.PrivateCgroupNamespace)
            {
                using var sub = root.OpenOrCreate(dest, asDirectory: true);
                SysCall.Mount("cgroup", SysCall.FdPath(sub.Value), h.FsType, flags, h.FsType == "cgroup" ? h.Options : null, describe);
            }
            else
                BindHierarchy(root, h.HostDir, dest, flags, describe);
        }
        if ((opts.Flags & MountFlags.ReadOnly) != 0)
        {
            using var top = root.Open(m.Destination!) ?? throw new RuncsException($"{what}: {m.Destination} vanished");
            SysCall.Mount(null, SysCall.FdPath(top.Value), null, (ulong)(MountFlags.Remount | MountFlags.ReadOnly) | rw, "mode=755", $"remount {m.Destination} read-only ({what})");
        }
    }

    private static void BindHierarchy(RootDir root, string hostDir, string dest, ulong flags, string describe)
    {
        using (var target = root.OpenOrCreate(dest, asDirectory: true))
            SysCall.Mount(hostDir, SysCall.FdPath(target.Value), null, (ulong)(MountFlags.Bind | MountFlags.Rec), null, describe);
        var rest = (MountFlags)flags & (MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec);
        if (rest == 0)
            return;
        using var top = root.Open(dest) ?? throw new RuncsException($"{describe}: vanished after mount");
        MountApplier.Remount(SysCall.FdPath(top.Value), rest, describe);
    }
}
