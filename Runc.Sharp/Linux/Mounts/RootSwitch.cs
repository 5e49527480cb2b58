using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>Makes the prepared rootfs the process's root: pivot_root, or MS_MOVE + chroot for --no-pivot.</summary>
public static class RootSwitch
{
    public const int MntDetach = 2;

    /// <summary>pivot_root(".", ".") then a lazy unmount of the old root stacked beneath (runc's trick, no temp dir).</summary>
    public static void PivotRoot(string rootfs)
    {
        using var oldRoot = FileDescriptor.Open("/", O.RDONLY | O.DIRECTORY);
        using var newRoot = FileDescriptor.Open(rootfs, O.RDONLY | O.DIRECTORY);
        if (Libc.fchdir(newRoot.Value) != 0)
            throw SyscallException.FromLast("chdir", rootfs);
        SysCall.PivotRoot(".", ".");
        if (Libc.fchdir(oldRoot.Value) != 0)
            throw SyscallException.FromLast("chdir", "old root");
        // Keep the unmount of the old root from propagating back to the host.
        SysCall.Mount(null, ".", null, (ulong)(Spec.MountFlags.Slave | Spec.MountFlags.Rec), null, "make old root rslave");
        SysCall.Umount(".", MntDetach);
        if (Libc.chdir("/") != 0)
            throw SyscallException.FromLast("chdir", "/");
    }

    /// <summary>Makes the mount that contains the rootfs directory private, as runc does before binding it.</summary>
    public static void MakeParentMountPrivate(string rootfs)
    {
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(MountInfoLine.Parse).OfType<MountInfoLine>().ToList();
        // The mount holding the rootfs directory: the longest mount point that is a prefix of it.
        var parent = mounts.Where(m => rootfs == m.MountPoint || rootfs.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
            .OrderBy(m => m.MountPoint.Length).LastOrDefault();
        if (parent is null)
            return;
        SysCall.Mount(null, parent.MountPoint, null, (ulong)Spec.MountFlags.Private, null, $"make {parent.MountPoint} private before pivot_root");
    }

    /// <summary>
    /// Without a mount namespace of its own the container shares the host's mount table:
    /// neither pivot_root nor a move of the rootfs onto / may touch it, so only this process's
    /// root changes.
    /// </summary>
    public static void Chroot(string rootfs) => ChrootTo(rootfs, rootfs);

    /// <summary>
    /// --no-pivot: the host's mount tree stays in the namespace beneath the chroot, and a full
    /// procfs or sysfs there would let the container mount a bare /proc of its own (the kernel
    /// allows a new procfs where a fully visible one exists). So every full procfs and sysfs
    /// outside the rootfs is detached first, or covered with a tmpfs where it cannot be (runc's
    /// msMoveRoot), then the rootfs moves onto / and becomes the root.
    /// </summary>
    public static void MoveAndChroot(string rootfs)
    {
        var root = rootfs.TrimEnd('/');
        var full = File.ReadAllLines("/proc/self/mountinfo").Select(MountInfoLine.Parse).OfType<MountInfoLine>()
            .Where(m => m.Root == "/" && m.FsType is "proc" or "sysfs" && m.MountPoint != root && !m.MountPoint.StartsWith(root + "/", StringComparison.Ordinal))
            .ToList();
        foreach (var m in full)
        {
            if (Libc.mount(null, m.MountPoint, null, (ulong)(Spec.MountFlags.Slave | Spec.MountFlags.Rec), null) != 0)
            {
                // A parent already detached took it along.
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.ENOENT)
                    continue;
                throw SyscallException.FromLast("make rslave", $"{m.MountPoint} (--no-pivot)");
            }
            if (Libc.umount2(m.MountPoint, MntDetach) != 0)
            {
                if (System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is not (Errno.EINVAL or Errno.EPERM))
                    throw SyscallException.FromLast("umount2", $"{m.MountPoint} (--no-pivot)");
                SysCall.Mount("tmpfs", m.MountPoint, "tmpfs", 0, null, $"cover {m.MountPoint} (--no-pivot)");
            }
        }
        if (Libc.chdir(rootfs) != 0)
            throw SyscallException.FromLast("chdir", rootfs);
        SysCall.Mount(rootfs, "/", null, (ulong)Spec.MountFlags.Move, null, $"move {rootfs} to /");
        ChrootTo(".", rootfs);
    }

    private static void ChrootTo(string path, string rootfs)
    {
        if (Libc.chroot(path) != 0)
            throw SyscallException.FromLast("chroot", rootfs);
        if (Libc.chdir("/") != 0)
            throw SyscallException.FromLast("chdir", "/");
    }
}
