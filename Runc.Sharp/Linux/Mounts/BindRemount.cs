using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>
/// A bind mount's own flags, as runc 1.3 sets them. Any flag named, set or cleared, means
/// "mount --bind -o FLAGS": exactly those, the rest cleared. Where the kernel refuses that
/// because the source's flags are locked (a mount inherited by a user namespace), the locked
/// flags are kept ("mount --bind -o remount,FLAGS") unless the config asked to clear one of
/// them, or to change a locked atime flag: then the config cannot be met and it is an error.
/// </summary>
public static class BindRemount
{
    private const MountFlags AtimeEnum = MountFlags.NoAtime | MountFlags.RelAtime | MountFlags.StrictAtime;
    private const MountFlags Atime = AtimeEnum | MountFlags.NoDirAtime;
    private const MountFlags Lockable = MountFlags.ReadOnly | MountFlags.NoDev | MountFlags.NoExec | MountFlags.NoSuid | Atime;

    /// <summary>Whether the options name any flag of the mount itself, so that it needs the remount.</summary>
    public static bool Needed(ParsedMountOptions opts) => Own(opts.Set) != 0 || Own(opts.Clear) != 0;

    public static void Apply(string path, ParsedMountOptions opts, string describe)
    {
        var set = Own(opts.Flags);
        var flags = (ulong)(MountFlags.Bind | MountFlags.Remount | set);
        try
        {
            SysCall.Mount(null, path, null, flags, null, $"remount {describe}");
            return;
        }
        catch (SyscallException first) when (first.Errno == Errno.EPERM)
        {
            var source = FromStatFs(SysCall.StatFs(path).Flags);
            if ((source & Own(opts.Clear) & Lockable) is var cannotClear && cannotClear != 0)
                throw new SyscallException($"remount {describe}: cannot clear locked flags {Names(cannotClear)}", null, first.Errno);
            if ((set & Atime) != 0 && (set & Atime) != (source & Atime))
                throw new SyscallException($"remount {describe}: cannot change locked atime flags {Names(source & Atime)}", null, first.Errno);
            SysCall.Mount(null, path, null, flags | (ulong)(source & Lockable), null,
                $"remount {describe} with locked flags {Names(source & Lockable)} re-applied");
        }
    }

    private static MountFlags Own(MountFlags f) => f & ~(MountFlags.Bind | MountFlags.Rec | MountFlags.Remount
        | MountFlags.Private | MountFlags.Shared | MountFlags.Slave | MountFlags.Unbindable);

    /// <summary>statfs(2)'s ST_* bits as mount flags (fs/statfs.c calculate_f_flags).</summary>
    private static MountFlags FromStatFs(long st)
    {
        MountFlags f = 0;
        if ((st & 0x1) != 0) f |= MountFlags.ReadOnly;
        if ((st & 0x2) != 0) f |= MountFlags.NoSuid;
        if ((st & 0x4) != 0) f |= MountFlags.NoDev;
        if ((st & 0x8) != 0) f |= MountFlags.NoExec;
        if ((st & 0x400) != 0) f |= MountFlags.NoAtime;
        if ((st & 0x800) != 0) f |= MountFlags.NoDirAtime;
        if ((st & 0x1000) != 0) f |= MountFlags.RelAtime;
        if ((st & 0x2000) != 0) f |= MountFlags.NoSymFollow;
        // There is no ST_STRICTATIME: a mount with neither noatime nor relatime is strictatime.
        if ((f & AtimeEnum) == 0) f |= MountFlags.StrictAtime;
        return f;
    }

    private static string Names(MountFlags f) =>
        string.Join(",", Enum.GetValues<MountFlags>().Where(v => v != 0 && (f & v) == v).Select(v => v.ToString().ToLowerInvariant()));
}
