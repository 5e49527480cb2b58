using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Launch;

/// <summary>
/// A sealed, read-only memfd copy of the runcs binary for the init stage to exec. A
/// process in the container that opens /proc/&lt;init&gt;/exe gets this copy, never the
/// host binary, so it cannot overwrite runcs (CVE-2019-5736).
/// </summary>
public static unsafe class SelfImage
{
    private const uint MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2;
    private const int F_ADD_SEALS = 1033, F_SEAL_SEAL = 1, F_SEAL_SHRINK = 2, F_SEAL_GROW = 4, F_SEAL_WRITE = 8, F_SEAL_FUTURE_WRITE = 16;

    private static Task<FileDescriptor>? _pending;

    /// <summary>Starts copying on another thread; the copy is ready by the time the clone needs it.</summary>
    public static void Prefetch() => _pending ??= Task.Run(Copy);

    /// <summary>The sealed copy (the prefetched one, if any).</summary>
    public static FileDescriptor Create()
    {
        var pending = _pending;
        _pending = null;
        return pending is null ? Copy() : pending.GetAwaiter().GetResult();
    }

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
}
