using System.Runtime.InteropServices;
using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>Thin wrappers over system calls that throw <see cref="SyscallException"/> on failure.</summary>
public static unsafe class SysCall
{
    public static void Mount(string? source, string target, string? type, ulong flags, string? data, string? describe = null)
    {
        if (Libc.mount(source, target, type, flags, string.IsNullOrEmpty(data) ? null : data) != 0)
            throw SyscallException.FromLast("mount", describe ?? $"{source ?? "none"} on {target}");
    }

    public static void Umount(string target, int flags)
    {
        if (Libc.umount2(target, flags) != 0)
            throw SyscallException.FromLast("umount", target);
    }

    public static void PivotRoot(string newRoot, string putOld)
    {
        fixed (byte* a = Utf8(newRoot), b = Utf8(putOld))
        {
            if (Libc.syscall(Sys.pivot_root, (long)a, (long)b, 0, 0, 0, 0) != 0)
                throw SyscallException.FromLast("pivot_root", newRoot);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }

    public const ulong ResolveNoXdev = 0x01, ResolveNoMagicLinks = 0x02, ResolveNoSymlinks = 0x04, ResolveBeneath = 0x08, ResolveInRoot = 0x10;

    /// <summary>openat2(2); returns -errno instead of throwing so callers can handle ENOENT.</summary>
    public static int TryOpenat2(int dirfd, string path, int flags, ulong resolve, uint mode = 0)
    {
        var how = new OpenHow { Flags = (ulong)(flags | O.CLOEXEC), Mode = mode, Resolve = resolve };
        fixed (byte* p = Utf8(path))
        {
            long fd = Libc.syscall(Sys.openat2, dirfd, (long)p, (long)&how, sizeof(OpenHow), 0, 0);
            return fd >= 0 ? (int)fd : -Marshal.GetLastPInvokeError();
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MountAttrStruct
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    public const int AtEmptyPath = 0x1000, AtRecursive = 0x8000, AtSymlinkNofollow = 0x100;

    public static void MountSetattr(int fd, ulong set, ulong clear, bool recursive, string describe)
    {
        var attr = new MountAttrStruct { AttrSet = set, AttrClr = clear };
        fixed (byte* empty = Utf8(""))
        {
            long r = Libc.syscall(Sys.mount_setattr, fd, (long)empty, AtEmptyPath | (recursive ? AtRecursive : 0), (long)&attr, sizeof(MountAttrStruct), 0);
            if (r != 0)
                throw SyscallException.FromLast("mount_setattr", describe);
        }
    }

    /// <summary>
    /// An id-mapped copy of <paramref name="source"/> put on <paramref name="targetFd"/>: open_tree
    /// (a detached clone), mount_setattr MOUNT_ATTR_IDMAP with the user namespace, move_mount.
    /// </summary>
    /// <param name="cloneSubmounts">rbind: the submounts come too (open_tree AT_RECURSIVE).</param>
    /// <param name="mapSubmounts">ridmap: they are id-mapped too, not only the top mount.</param>
    public static void MountIdMapped(string source, int targetFd, int userNamespaceFd, bool cloneSubmounts, bool mapSubmounts, string describe)
    {
        using var clone = OpenTreeClone(source, cloneSubmounts, describe);
        IdMap(clone.Value, userNamespaceFd, mapSubmounts, describe);
        MoveMount(clone.Value, targetFd, describe);
    }

    /// <summary>mount_setattr MOUNT_ATTR_IDMAP on a detached tree: ids as <paramref name="userNamespaceFd"/>'s maps say.</summary>
    public static void IdMap(int treeFd, int userNamespaceFd, bool mapSubmounts, string describe)
    {
        const ulong MountAttrIdmap = 0x00100000;
        var attr = new MountAttrStruct { AttrSet = MountAttrIdmap, UsernsFd = (ulong)userNamespaceFd };
        fixed (byte* empty = Utf8(""))
        {
            if (Libc.syscall(Sys.mount_setattr, treeFd, (long)empty, AtEmptyPath | (mapSubmounts ? AtRecursive : 0), (long)&attr, sizeof(MountAttrStruct), 0) != 0)
                throw SyscallException.FromLast("mount_setattr MOUNT_ATTR_IDMAP", describe);
        }
    }

    /// <summary>open_tree OPEN_TREE_CLONE: a detached copy of the mount at <paramref name="source"/> (its submounts too when recursive).</summary>
    public static FileDescriptor OpenTreeClone(string source, bool recursive, string describe)
    {
        const int OpenTreeClone = 1, OpenTreeCloexec = 0x80000;
        long tree;
        fixed (byte* src = Utf8(source))
            tree = Libc.syscall(Sys.open_tree, -100, (long)src, OpenTreeClone | OpenTreeCloexec | (recursive ? AtRecursive : 0), 0, 0, 0);
        if (tree < 0)
            throw SyscallException.FromLast("open_tree", describe);
        return new FileDescriptor((int)tree);
    }

    /// <summary>move_mount of a detached tree onto the directory or file <paramref name="targetFd"/> names.</summary>
    public static void MoveMount(int treeFd, int targetFd, string describe)
    {
        const int MoveMountFEmptyPath = 4, MoveMountTEmptyPath = 0x40;
        fixed (byte* empty = Utf8(""))
        {
            if (Libc.syscall(Sys.move_mount, treeFd, (long)empty, targetFd, (long)empty, MoveMountFEmptyPath | MoveMountTEmptyPath, 0) != 0)
                throw SyscallException.FromLast("move_mount", describe);
        }
    }

    /// <summary>
    /// A read-only overlayfs of <paramref name="lowerdirs"/> (top first, ':'-separated) as a
    /// detached mount (fsopen, fsconfig, fsmount): attached to no mount namespace, it lives
    /// as long as a descriptor or an executable mapped from it refers to it.
    /// </summary>
    public static FileDescriptor DetachedOverlay(string lowerdirs)
    {
        const int FsopenCloexec = 1, FsconfigSetString = 1, FsconfigCmdCreate = 6, FsmountCloexec = 1;
        const long MountAttrRdonly = 1, MountAttrNosuid = 2, MountAttrNodev = 4;
        long ctx;
        fixed (byte* overlay = Utf8("overlay"))
            ctx = Libc.syscall(Sys.fsopen, (long)overlay, FsopenCloexec, 0, 0, 0, 0);
        if (ctx < 0)
            throw SyscallException.FromLast("fsopen", "overlay");
        using var context = new FileDescriptor((int)ctx);
        fixed (byte* key = Utf8("lowerdir"), value = Utf8(lowerdirs))
        {
            if (Libc.syscall(Sys.fsconfig, ctx, FsconfigSetString, (long)key, (long)value, 0, 0) != 0)
                throw SyscallException.FromLast("fsconfig lowerdir", lowerdirs);
        }
        // xino is switched on by itself when the layers are on different filesystems, and
        // then logs to dmesg; nothing here needs it, so a kernel that refuses the key is fine.
        fixed (byte* key = Utf8("xino"), value = Utf8("off"))
            Libc.syscall(Sys.fsconfig, ctx, FsconfigSetString, (long)key, (long)value, 0, 0);
        if (Libc.syscall(Sys.fsconfig, ctx, FsconfigCmdCreate, 0, 0, 0, 0) != 0)
            throw SyscallException.FromLast("fsconfig create", $"overlay lowerdir={lowerdirs}");
        long mnt = Libc.syscall(Sys.fsmount, ctx, FsmountCloexec, MountAttrRdonly | MountAttrNosuid | MountAttrNodev, 0, 0, 0);
        if (mnt < 0)
            throw SyscallException.FromLast("fsmount", $"overlay lowerdir={lowerdirs}");
        return new FileDescriptor((int)mnt);
    }

    public static StatFs StatFs(string path)
    {
        StatFs st;
        if (Libc.statfs(path, &st) != 0)
            throw SyscallException.FromLast("statfs", path);
        return st;
    }

    /// <summary>stat(2), following symlinks (a /proc/PID/ns file is one).</summary>
    public static Stat Stat(string path, string describe)
    {
        Stat st;
        if (Libc.fstatat(-100, path, &st, 0) != 0)
            throw SyscallException.FromLast("stat", $"{path} ({describe})");
        return st;
    }

    public static Stat FStat(int fd, string describe)
    {
        Stat st;
        if (Libc.fstat(fd, &st) != 0)
            throw SyscallException.FromLast("fstat", describe);
        return st;
    }

    public static void SetCloexec(int fd, bool on)
    {
        const int F_SETFD = 2, FD_CLOEXEC = 1;
        if (Libc.fcntl(fd, F_SETFD, on ? FD_CLOEXEC : 0) != 0)
            throw SyscallException.FromLast("fcntl", $"fd {fd}");
    }

    /// <summary>Marks every fd from <paramref name="first"/> up close-on-exec (close_range CLOSE_RANGE_CLOEXEC).</summary>
    public static void CloexecFrom(int first)
    {
        const long CLOSE_RANGE_CLOEXEC = 4;
        if (Libc.syscall(Sys.close_range, first, uint.MaxValue, CLOSE_RANGE_CLOEXEC, 0, 0, 0) == 0)
            return;
        foreach (var entry in Directory.GetFiles("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var fd) && fd >= first)
                Libc.fcntl(fd, 2, 1);
        }
    }

    /// <summary>The descriptors open now (read from /proc/self/fd; the one the listing used is gone again).</summary>
    public static IReadOnlyList<int> OpenDescriptors()
    {
        const int F_GETFD = 1;
        var fds = new List<int>();
        foreach (var entry in Directory.GetFiles("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var fd) && Libc.fcntl(fd, F_GETFD, 0) >= 0)
                fds.Add(fd);
        }
        return fds;
    }

    /// <summary>The path with every symlink resolved (the kernel's name for an O_PATH descriptor of it).</summary>
    public static string RealPath(string path)
    {
        using var fd = FileDescriptor.Open(path, O.PATH);
        var buf = stackalloc byte[4096];
        fixed (byte* link = Utf8(FdPath(fd.Value)))
        {
            long n = Libc.syscall(Sys.readlinkat, -100, (long)link, (long)buf, 4096, 0, 0);
            if (n <= 0)
                throw SyscallException.FromLast("readlink", path);
            return System.Text.Encoding.UTF8.GetString(buf, (int)n);
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/>, retrying on EINTR; 0, or the errno of the write that failed.</summary>
    public static int WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* p = bytes)
        {
            for (int done = 0; done < bytes.Length;)
            {
                var n = Libc.write(fd, p + done, bytes.Length - done);
                if (n >= 0)
                    done += (int)n;
                else if (Marshal.GetLastPInvokeError() is var errno && errno != Errno.EINTR)
                    return errno;
            }
        }
        return 0;
    }

    /// <summary>Reads from the current offset to the end of the file (or to EOF of a pipe), retrying on EINTR.</summary>
    public static byte[] ReadToEnd(int fd, string describe)
    {
        using var text = new MemoryStream();
        var buffer = new byte[16384];
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = Libc.read(fd, p, buffer.Length);
                if (n == 0)
                    return text.ToArray();
                if (n > 0)
                    text.Write(buffer, 0, (int)n);
                else if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                    throw SyscallException.FromLast("read", describe);
            }
        }
    }

    public static byte[] Utf8(string s)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    public static string FdPath(int fd) => $"/proc/self/fd/{fd}";
}
