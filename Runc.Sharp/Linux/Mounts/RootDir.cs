using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>
/// The container's root directory, held open. Every path is resolved with openat2
/// RESOLVE_IN_ROOT, so a symlink in the rootfs can never lead outside it
/// (CVE-2016-9962, CVE-2019-16884, CVE-2021-30465 class of attacks).
/// </summary>
public sealed class RootDir : IDisposable
{
    private readonly FileDescriptor _fd;

    public string HostPath { get; }
    public int Fd => _fd.Value;

    public RootDir(string hostPath)
    {
        HostPath = hostPath;
        _fd = FileDescriptor.Open(hostPath, O.PATH | O.DIRECTORY);
    }

    private const ulong Resolve = SysCall.ResolveInRoot | SysCall.ResolveNoMagicLinks;

    /// <summary>Opens path (relative to the root) as O_PATH; null when it does not exist.</summary>
    public FileDescriptor? Open(string path, int extraFlags = 0)
    {
        int fd = SysCall.TryOpenat2(Fd, Relative(path), O.PATH | extraFlags, Resolve);
        if (fd >= 0)
            return new FileDescriptor(fd);
        if (-fd is Errno.ENOENT or Errno.ENOTDIR)
            return null;
        throw new SyscallException("open", InRoot(path), -fd);
    }

    /// <summary>
    /// Opens path, first creating missing parent directories and, when absent, the last
    /// component as a directory or as an empty file. Each component is created through
    /// a descriptor of its safely resolved parent.
    /// </summary>
    public FileDescriptor OpenOrCreate(string path, bool asDirectory, uint mode = 0x1ED /* 0755 */) =>
        OpenOrCreate(path, asDirectory, mode, depth: 0);

    private FileDescriptor OpenOrCreate(string path, bool asDirectory, uint mode, int depth)
    {
        if (depth > 40)
            throw new SyscallException("open", InRoot(path), Errno.ELOOP);
        var existing = Open(path);
        if (existing is not null)
            return existing;
        var rel = Relative(path);
        var slash = rel.LastIndexOf('/');
        var parentPath = slash < 0 ? "." : rel[..slash];
        var name = slash < 0 ? rel : rel[(slash + 1)..];
        using var parent = parentPath == "." ? new FileDescriptor(Dup()) : OpenOrCreate(parentPath, asDirectory: true, 0x1ED, depth + 1);
        using var parentDir = Reopen(parent, O.RDONLY | O.DIRECTORY, parentPath);
        int r = asDirectory
            ? Libc.mkdirat(parentDir.Value, name, (int)mode)
            : CreateFile(parentDir.Value, name, mode);
        if (r != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is var errno && errno != Errno.EEXIST)
            throw new SyscallException(asDirectory ? "mkdir" : "create", InRoot(path), errno);
        if (Open(path) is { } made)
            return made;
        // Still missing: the name is a dangling symlink. Create its target, read as a
        // path inside the root (an absolute target is relative to the root, not the host).
        var target = ReadLink(parentDir.Value, name) ?? throw new SyscallException("open", InRoot(path), Errno.ENOENT);
        var resolved = target.StartsWith('/') ? target : parentPath + "/" + target;
        return OpenOrCreate(resolved, asDirectory, mode, depth + 1);
    }

    /// <summary>
    /// Opens path (O_PATH) as an entry of its own for a mount the runtime makes there, such
    /// as the pty on /dev/console: a symlink at the last component is removed and an empty
    /// file created instead, so the mount cannot be steered onto the symlink's target
    /// (CVE-2025-52565). Parent directories are resolved in the root as usual.
    /// </summary>
    public unsafe FileDescriptor OpenOwnFile(string path, uint mode)
    {
        var rel = Relative(path);
        var slash = rel.LastIndexOf('/');
        var parentPath = slash < 0 ? "." : rel[..slash];
        var name = slash < 0 ? rel : rel[(slash + 1)..];
        using var parent = parentPath == "." ? new FileDescriptor(Dup()) : OpenOrCreate(parentPath, asDirectory: true);
        using var parentDir = Reopen(parent, O.RDONLY | O.DIRECTORY, parentPath);
        Stat st;
        if (Libc.fstatat(parentDir.Value, name, &st, SysCall.AtSymlinkNofollow) == 0 && (st.Mode & 0xF000) == 0xA000
            && Libc.unlinkat(parentDir.Value, name, 0) != 0)
            throw SyscallException.FromLast("unlink symlink", InRoot(path));
        if (CreateFile(parentDir.Value, name, mode) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() != Errno.EEXIST)
            throw SyscallException.FromLast("create", InRoot(path));
        int fd = Libc.openat(parentDir.Value, name, O.PATH | O.NOFOLLOW | O.CLOEXEC, 0);
        if (fd < 0)
            throw SyscallException.FromLast("open", InRoot(path));
        return new FileDescriptor(fd);
    }

    private static unsafe string? ReadLink(int dirfd, string name)
    {
        var buf = new byte[4096];
        fixed (byte* b = buf)
        fixed (byte* n = SysCall.Utf8(name))
        {
            long len = Libc.syscall(Sys.readlinkat, dirfd, (long)n, (long)b, buf.Length, 0, 0);
            return len <= 0 ? null : System.Text.Encoding.UTF8.GetString(buf, 0, (int)len);
        }
    }

    private static int CreateFile(int dirfd, string name, uint mode)
    {
        int fd = Libc.openat(dirfd, name, O.CREAT | O.EXCL | O.WRONLY | O.CLOEXEC | O.NOFOLLOW, (int)(mode & 0x1B6));
        if (fd < 0)
            return -1;
        Libc.close(fd);
        return 0;
    }

    private int Dup()
    {
        int fd = Libc.fcntl(Fd, 1030 /* F_DUPFD_CLOEXEC */, 0);
        if (fd < 0)
            throw SyscallException.FromLast("dup", HostPath);
        return fd;
    }

    /// <summary>Turns an O_PATH descriptor into a real one through /proc/self/fd.</summary>
    public static FileDescriptor Reopen(FileDescriptor pathFd, int flags, string describe)
    {
        int fd = Libc.open(SysCall.FdPath(pathFd.Value), flags | O.CLOEXEC, 0);
        if (fd < 0)
            throw SyscallException.FromLast("open", describe);
        return new FileDescriptor(fd);
    }

    public string InRoot(string path) => HostPath.TrimEnd('/') + "/" + Relative(path);

    public static string Relative(string path)
    {
        var rel = path.TrimStart('/');
        return rel.Length == 0 ? "." : rel;
    }

    public void Dispose() => _fd.Dispose();
}
