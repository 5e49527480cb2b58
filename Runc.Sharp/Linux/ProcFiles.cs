using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux;

/// <summary>
/// The runtime's own writes to procfs (linux.sysctl, process.oomScoreAdj). They are made
/// before any mount of the config exists and through openat2 beneath /proc with no magic
/// links or mount crossings (/proc/self, a plain symlink within /proc, is allowed), so a bind
/// mount the config puts over a procfs file
/// cannot turn the write into one on a file of the container's choosing (CVE-2025-52881).
/// </summary>
public static unsafe class ProcFiles
{
    private const long ProcSuperMagic = 0x9fa0;

    /// <summary>Writes <paramref name="value"/> to /proc/<paramref name="relative"/>; errors name <paramref name="what"/>.</summary>
    public static void Write(string relative, string value, string what)
    {
        using var proc = FileDescriptor.Open("/proc", O.PATH | O.DIRECTORY);
        if (SysCall.StatFs("/proc").Type != ProcSuperMagic)
            throw new RuncsException($"{what}: /proc is not procfs");
        int fd = SysCall.TryOpenat2(proc.Value, relative, O.WRONLY,
            SysCall.ResolveBeneath | SysCall.ResolveNoXdev | SysCall.ResolveNoMagicLinks);
        if (fd < 0)
            throw new SyscallException("open", $"/proc/{relative} ({what})", -fd);
        using var file = new FileDescriptor(fd);
        var bytes = Encoding.UTF8.GetBytes(value);
        fixed (byte* p = bytes)
        {
            if (Libc.write(file.Value, p, bytes.Length) < 0)
                throw SyscallException.FromLast("write", $"/proc/{relative} ({what})");
        }
    }
}
