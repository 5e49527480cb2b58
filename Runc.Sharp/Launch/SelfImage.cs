using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>
/// The image of runcs the init stage execs, which must not be the host binary itself: a
/// process in the container that opens /proc/&lt;init&gt;/exe must not reach a file it can
/// write (CVE-2019-5736). As root, the binary seen through a private read-only overlayfs
/// (as runc 1.2 does): nothing to copy, a write through it fails with EROFS, and the
/// overlay is a detached mount that exists only while an init runs from it. Otherwise
/// (rootless, or a kernel or filesystem that refuses the overlay) a sealed, read-only
/// memfd copy, which costs ~9 ms of CPU for this ~9 MB binary.
/// </summary>
public static unsafe class SelfImage
{
    private const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    private const int F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8, F_SEAL_FUTURE_WRITE = 16;

    private static Prefetched? _pending;

    /// <summary>Where no overlay can be made (not root), starts the memfd copy on a thread of its own, to be ready by the clone.</summary>
    public static void Prefetch()
    {
        if (Libc.geteuid() != 0)
            _pending ??= new Prefetched();
    }

    /// <param name="scratchDir">
    /// A directory that neither holds nor is held by the binary's (the container's state
    /// dir): a read-only overlayfs needs a second lower layer, under the binary's.
    /// </param>
    /// <param name="debug">Gets runc's debug lines for the image (its suite looks for them).</param>
    public static FileDescriptor Create(string scratchDir, Action<string>? debug = null)
    {
        debug?.Invoke("runc exeseal: using /proc/self/exe clone");
        var pending = _pending;
        _pending = null;
        if (pending is not null)
            return pending.Result();
        if (Libc.geteuid() == 0 && Overlaid(scratchDir) is { } image)
        {
            debug?.Invoke("runc exeseal: using overlayfs for sealed /proc/self/exe");
            return image;
        }
        debug?.Invoke("could not use overlayfs for /proc/self/exe sealing -- falling back to making a temporary copy");
        return Copy();
    }

    /// <summary>The binary through a read-only overlay, or null where the kernel or the filesystems refuse one.</summary>
    private static FileDescriptor? Overlaid(string scratchDir)
    {
        var exe = Environment.ProcessPath;
        if (exe is null || Path.GetDirectoryName(exe) is not { Length: > 0 } dir)
            return null;
        FileDescriptor mount;
        try
        {
            mount = SysCall.DetachedOverlay($"{EscapeLayer(dir)}:{EscapeLayer(scratchDir)}");
        }
        catch (SyscallException)
        {
            return null;
        }
        using (mount)
        {
            int fd = Libc.openat(mount.Value, Path.GetFileName(exe), O.PATH | O.NOFOLLOW | O.CLOEXEC, 0);
            if (fd < 0)
                return null;
            var image = new FileDescriptor(fd);
            // The overlay's inode numbers are its own; size and mtime tell that the file
            // found is the one running (a replaced binary falls back to the copy).
            using var self = FileDescriptor.Open("/proc/self/exe", O.PATH);
            var (seen, running) = (SysCall.FStat(image.Value, "overlay image of runcs"), SysCall.FStat(self.Value, "/proc/self/exe"));
            if (seen.Size == running.Size && seen.Mtime == running.Mtime && seen.MtimeNsec == running.MtimeNsec && (seen.Mode & 0xF000) == 0x8000)
                return image;
            image.Dispose();
            return null;
        }
    }

    /// <summary>overlayfs separates layers with ':' and escapes with '\'.</summary>
    private static string EscapeLayer(string path) => path.Replace("\\", "\\\\").Replace(":", "\\:");

    private static FileDescriptor Copy()
    {
        using var self = FileDescriptor.Open("/proc/self/exe", O.RDONLY);
        var size = SysCall.FStat(self.Value, "/proc/self/exe").Size;
        int memfd = Libc.memfd_create("runcs", MFD_CLOEXEC | MFD_ALLOW_SEALING);
        if (memfd < 0)
            throw SyscallException.FromLast("memfd_create", "runcs");
        var image = new FileDescriptor(memfd);
        long offset = 0;
        while (offset < size)
        {
            nint n = Libc.sendfile(memfd, self.Value, &offset, (nint)(size - offset));
            if (n <= 0)
            {
                image.Dispose();
                throw SyscallException.FromLast("sendfile", "/proc/self/exe to memfd");
            }
        }
        if (Libc.fchmod(memfd, 0x16D /* 0555 */) != 0
            || Libc.fcntl(memfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE) != 0)
        {
            var e = SyscallException.FromLast("seal", "memfd copy of runcs");
            image.Dispose();
            throw e;
        }
        return image;
    }

    /// <summary>
    /// The memfd copy made on a thread of its own, not the thread pool: its workers and
    /// gate thread spin (sched_yield) on this 2-core machine while the main thread works.
    /// </summary>
    private sealed class Prefetched
    {
        private readonly Thread _thread;
        private FileDescriptor? _image;
        private RuncsException? _error;

        public Prefetched()
        {
            _thread = new Thread(() =>
            {
                try
                {
                    _image = Copy();
                }
                catch (Exception e)
                {
                    // Any type: an exception that escaped this thread would end the process unreported.
                    _error = e as RuncsException ?? new RuncsException($"memfd copy of runcs: {Unexpected.Describe(e)}");
                }
            })
            { IsBackground = true, Name = "memfd copy" };
            _thread.Start();
        }

        public FileDescriptor Result()
        {
            _thread.Join();
            return _image ?? throw _error!;
        }
    }
}
