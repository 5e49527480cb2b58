using System.Text;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>
/// The tmpcopyup mount option: the directory's contents are copied into the tmpfs mounted
/// over it. The source is read through a descriptor taken before the mount, which still
/// names the covered directory, so no staging mount or temporary directory is needed.
/// Directories, regular files, symlinks, devices and fifos keep their mode and owner.
/// </summary>
public static unsafe class CopyUp
{
    private const int SIfmt = 0xF000, SIfdir = 0x4000, SIfreg = 0x8000, SIflnk = 0xA000;

    public static void Copy(FileDescriptor coveredDir, string tmpfsPath, string what) =>
        CopyChildren(SysCall.FdPath(coveredDir.Value), tmpfsPath, what);

    private static void CopyChildren(string from, string to, string what)
    {
        foreach (var source in Directory.EnumerateFileSystemEntries(from))
        {
            var name = Path.GetFileName(source);
            var target = Path.Combine(to, name);
            Stat st;
            if (Libc.fstatat(-100, source, &st, SysCall.AtSymlinkNofollow) != 0)
                throw SyscallException.FromLast("stat", $"{source} ({what}, tmpcopyup)");
            var type = (int)st.Mode & SIfmt;
            var mode = st.Mode & 0xFFF;
            switch (type)
            {
                case SIfdir:
                    if (Libc.mkdirat(-100, target, (int)mode) != 0)
                        throw SyscallException.FromLast("mkdir", $"{target} ({what}, tmpcopyup)");
                    CopyChildren(source, target, what);
                    break;
                case SIfreg:
                    File.Copy(source, target);
                    break;
                case SIflnk:
                    var link = new FileInfo(source).LinkTarget ?? "";
                    if (Libc.symlinkat(link, -100, target) != 0)
                        throw SyscallException.FromLast("symlink", $"{target} ({what}, tmpcopyup)");
                    break;
                default:
                    if (Libc.mknodat(-100, target, (int)st.Mode, st.Rdev) != 0)
                        throw SyscallException.FromLast("mknod", $"{target} ({what}, tmpcopyup)");
                    break;
            }
            if (Libc.fchownat(-100, target, st.Uid, st.Gid, SysCall.AtSymlinkNofollow) != 0)
                throw SyscallException.FromLast("chown", $"{target} ({what}, tmpcopyup)");
            if (type != SIflnk && Libc.chmod(target, mode) != 0)
                throw SyscallException.FromLast("chmod", $"{target} ({what}, tmpcopyup)");
        }
    }
}
