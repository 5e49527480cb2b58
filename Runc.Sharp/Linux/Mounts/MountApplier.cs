using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>What a mount needs to know about the container beyond the mount entry itself.</summary>
/// <param name="IdMapNamespaces">For each id-mapped mount (by index in mounts), the user namespace descriptor to map through.</param>
/// <param name="BindSourceFromRuntime">
/// In a user namespace: a bind source opened as a detached tree by runcs, with the host's
/// credentials the init lacks there: one the init may not reach (a directory only the host's
/// root can enter), and every id-mapped one (mount_setattr needs CAP_SYS_ADMIN where the
/// filesystem was mounted).
/// </param>
public sealed record MountContext(
    string Bundle,
    bool InUserNamespace,
    bool PrivateCgroupNamespace,
    IReadOnlyList<CgroupMountSource> CgroupSources,
    IReadOnlyDictionary<int, int> IdMapNamespaces,
    Func<BindSourceRequest, FileDescriptor>? BindSourceFromRuntime = null);

/// <summary>A bind source as a detached tree: its submounts too (rbind), and id-mapped through a user namespace descriptor (-1: not), its submounts too (ridmap).</summary>
public sealed record BindSourceRequest(string Source, bool Recursive, int IdMapUserNamespaceFd = -1, bool MapSubmounts = false);

/// <summary>One hierarchy to show at /sys/fs/cgroup/&lt;Name&gt;: the controllers option of a fresh
/// cgroup mount, or the host directory to bind when the container has no cgroup namespace.</summary>
public sealed record CgroupMountSource(string Name, string FsType, string Options, string HostDir);

/// <summary>Applies config.json mounts, one at a time, onto targets resolved inside the rootfs.</summary>
public static class MountApplier
{
    public static void Apply(RootDir root, Mount m, int index, MountContext ctx)
    {
        var what = $"mounts[{index}]";
        // runc takes a destination that already names the rootfs (its host path) as joined.
        var rootPath = root.HostPath.TrimEnd('/');
        if (m.Destination is { } d && rootPath.Length > 0 && (d == rootPath || d.StartsWith(rootPath + "/", StringComparison.Ordinal)))
            m = m with { Destination = "/" + d[rootPath.Length..].TrimStart('/') };
        var opts = MountOptions.Parse(m);
        if (m.Type is "cgroup" or "cgroup2" && !opts.IsBind)
        {
            CgroupMount.Apply(root, m, opts, what, ctx);
            return;
        }
        var source = m.Source ?? "";
        if (opts.IsBind && !source.StartsWith('/'))
            source = Path.Combine(ctx.Bundle, source);
        int idmapUserns = -1;
        if (opts.IdMap && (!opts.IsBind || !ctx.IdMapNamespaces.TryGetValue(index, out idmapUserns)))
            throw new RuncsException($"{what}: an id-mapped mount must be a bind mount");
        bool cloneSubmounts = (opts.Set & MountFlags.Rec) != 0 || opts.RecursiveIdMap;
        using var tree = opts.IsBind && ctx.BindSourceFromRuntime is { } fromRuntime && (opts.IdMap || Denied(source))
            ? fromRuntime(new BindSourceRequest(source, cloneSubmounts, idmapUserns, opts.RecursiveIdMap))
            : null;
        bool sourceIsDir = !opts.IsBind || (tree is not null ? (SysCall.FStat(tree.Value, source).Mode & 0xF000) == 0x4000 : Directory.Exists(source));
        if (opts.IsBind && tree is null && !sourceIsDir && !File.Exists(source))
            throw new RuncsException($"{what}: bind source {source}: no such file or directory");
        if (m.Type is "proc" or "sysfs" && !opts.IsBind)
            RequireOrdinaryDirectory(root, m, what);
        var keptMode = m.Type == "tmpfs" && !opts.IsBind ? ExistingMode(root, m.Destination!) : null;
        using (var target = root.OpenOrCreate(m.Destination!, sourceIsDir))
        {
            var targetPath = SysCall.FdPath(target.Value);
            var describe = $"{source} on {m.Destination} ({what})";
            if (tree is not null)
                SysCall.MoveMount(tree.Value, target.Value, describe);
            else if (opts.IdMap)
                SysCall.MountIdMapped(source, target.Value, idmapUserns, cloneSubmounts, opts.RecursiveIdMap, describe);
            else if (opts.IsBind)
            {
                var bindFlags = (ulong)(MountFlags.Bind | (opts.Set & MountFlags.Rec));
                SysCall.Mount(source, targetPath, null, bindFlags, null, describe);
            }
            else
            {
                var flags = (ulong)(opts.Flags & ~(MountFlags.Bind | MountFlags.Rec));
                SysCall.Mount(source.Length == 0 ? m.Type : source, targetPath, m.Type, flags, WithKeptMode(opts.Data, keptMode), describe);
                // target still names the covered directory; the tmpfs is now on top of it.
                if (opts.TmpCopyUp && m.Type == "tmpfs")
                {
                    using var top = root.Open(m.Destination!) ?? throw new RuncsException($"{what}: {m.Destination} vanished after mount");
                    CopyUp.Copy(target, SysCall.FdPath(top.Value), what);
                }
            }
        }
        Finish(root, m.Destination!, opts, what);
    }

    /// <summary>
    /// procfs and sysfs go only on a real directory (or one runcs creates): a rootfs whose
    /// /proc is a symlink steers the mount elsewhere (CVE-2019-19921, CVE-2023-27561). runc's words.
    /// </summary>
    private static void RequireOrdinaryDirectory(RootDir root, Mount m, string what)
    {
        using var existing = root.Open(m.Destination!, Native.O.NOFOLLOW);
        if (existing is not null && (SysCall.FStat(existing.Value, m.Destination!).Mode & 0xF000) != 0x4000)
            throw new ConfigError($"{what}: filesystem \"{m.Type}\" must be mounted on ordinary directory ({m.Destination} is not one)");
    }

    /// <summary>Whether looking <paramref name="path"/> up is refused to this process (EACCES on a directory on the way).</summary>
    private static unsafe bool Denied(string path)
    {
        Native.Stat st;
        return Native.Libc.fstatat(-100, path, &st, 0) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Native.Errno.EACCES;
    }

    /// <summary>The permission bits of a destination that already exists, or null.</summary>
    private static uint? ExistingMode(RootDir root, string destination)
    {
        using var existing = root.Open(destination);
        return existing is null ? null : SysCall.FStat(existing.Value, destination).Mode & 0xFFF;
    }

    /// <summary>
    /// A tmpfs over an existing directory takes that directory's mode, as runc does, so
    /// `docker run --tmpfs /dir` keeps /dir's permissions instead of tmpfs's 1777: as a mode=
    /// option of the mount (a read-only tmpfs could not be chmod-ed after), unless the config
    /// gives one. A directory runcs had to create keeps tmpfs's default.
    /// </summary>
    private static string? WithKeptMode(string? data, uint? keptMode)
    {
        if (keptMode is not { } mode || data?.Split(',').Any(o => o.StartsWith("mode=", StringComparison.Ordinal)) == true)
            return data;
        var option = "mode=" + Convert.ToString(mode, 8);
        return string.IsNullOrEmpty(data) ? option : data + "," + option;
    }

    /// <summary>Remount flags of a bind, propagation and recursive attributes, applied to the new top mount.</summary>
    public static void Finish(RootDir root, string destination, ParsedMountOptions opts, string what)
    {
        bool needsRemount = opts.IsBind && BindRemount.Needed(opts);
        bool recursive = opts.RecursiveSet != 0 || opts.RecursiveClear != 0 || opts.RecursiveAtime;
        if (!needsRemount && opts.Propagation.Count == 0 && !recursive)
            return;
        using var top = root.Open(destination) ?? throw new RuncsException($"{what}: {destination} vanished after mount");
        var topPath = SysCall.FdPath(top.Value);
        if (needsRemount)
            BindRemount.Apply(topPath, opts, $"{destination} ({what})");
        foreach (var p in opts.Propagation)
            SysCall.Mount(null, topPath, null, (ulong)p, null, $"propagation of {destination} ({what})");
        if (recursive)
            SysCall.MountSetattr(top.Value, (ulong)opts.RecursiveSet, (ulong)opts.RecursiveClear, recursive: true, $"{destination} ({what})");
    }

    /// <summary>
    /// MS_REMOUNT|MS_BIND with the wanted flags plus those the kernel locks on the
    /// existing mount (nosuid, nodev, noexec, atime flags in a user namespace).
    /// </summary>
    public static void Remount(string path, MountFlags flags, string describe)
    {
        var locked = LockedFlags(SysCall.StatFs(path).Flags);
        SysCall.Mount(null, path, null, (ulong)(MountFlags.Bind | MountFlags.Remount | flags | locked), null, $"remount {describe}");
    }

    private static MountFlags LockedFlags(long st)
    {
        MountFlags f = 0;
        if ((st & 0x2) != 0) f |= MountFlags.NoSuid;
        if ((st & 0x4) != 0) f |= MountFlags.NoDev;
        if ((st & 0x8) != 0) f |= MountFlags.NoExec;
        if ((st & 0x400) != 0) f |= MountFlags.NoAtime;
        if ((st & 0x800) != 0) f |= MountFlags.NoDirAtime;
        if ((st & 0x1000) != 0) f |= MountFlags.RelAtime;
        return f;
    }
}
