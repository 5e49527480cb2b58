using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>linux.maskedPaths and linux.readonlyPaths, applied after the root switch.</summary>
public static class PathProtection
{
    /// <summary>
    /// Covers a file with /dev/null and a directory with an empty read-only tmpfs. The
    /// /dev/null used must really be the null device, not something the container
    /// planted there (CVE-2025-31133). Every masked directory shows the same tmpfs, as in
    /// runc 1.3: the first is mounted, the rest are binds of it (<paramref name="sharedTmpfs"/>
    /// holds it from the first mask on; the caller disposes it).
    /// </summary>
    public static void Mask(RootDir root, string path, string what, ref FileDescriptor? sharedTmpfs)
    {
        using var target = root.Open(path);
        if (target is null)
            return;
        var st = SysCall.FStat(target.Value, path);
        bool isDir = (st.Mode & 0xF000) == 0x4000;
        if (isDir)
        {
            if (sharedTmpfs is null)
            {
                SysCall.Mount("tmpfs", SysCall.FdPath(target.Value), "tmpfs", (ulong)MountFlags.ReadOnly, null, $"mask {path} ({what})");
                sharedTmpfs = root.Open(path) ?? throw new RuncsException($"{what}: {path} vanished after its mask");
            }
            else
                SysCall.Mount(SysCall.FdPath(sharedTmpfs.Value), SysCall.FdPath(target.Value), null, (ulong)MountFlags.Bind, null, $"mask {path} ({what})");
            return;
        }
        using var devNull = root.Open("/dev/null", O.NOFOLLOW) ?? throw new RuncsException($"{what}: /dev/null is missing, cannot mask {path}");
        var ns = SysCall.FStat(devNull.Value, "/dev/null");
        if ((ns.Mode & 0xF000) != 0x2000 || ns.Rdev != DeviceNodes.MakeDev(1, 3))
            throw new RuncsException($"{what}: /dev/null is not the null device, refusing to mask {path} with it");
        SysCall.Mount(SysCall.FdPath(devNull.Value), SysCall.FdPath(target.Value), null, (ulong)MountFlags.Bind, null, $"mask {path} ({what})");
    }

    public static void MakeReadonly(RootDir root, string path, string what)
    {
        using (var target = root.Open(path))
        {
            if (target is null)
                return;
            SysCall.Mount(SysCall.FdPath(target.Value), SysCall.FdPath(target.Value), null, (ulong)(MountFlags.Bind | MountFlags.Rec), null, $"bind {path} ({what})");
        }
        using var top = root.Open(path) ?? throw new RuncsException($"{what}: {path} vanished");
        MountApplier.Remount(SysCall.FdPath(top.Value), MountFlags.ReadOnly, $"{path} ({what})");
    }
}
