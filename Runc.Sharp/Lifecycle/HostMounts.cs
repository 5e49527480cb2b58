using Runc.Sharp.Linux;
using Runc.Sharp.Linux.Native;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// A container without a mount namespace of its own mounts into the host's table, below its
/// rootfs (the rootfs bind, /proc, /dev, the masks…). create records what it added there and
/// delete, or a failed create, unmounts exactly that.
/// </summary>
public static class HostMounts
{
    private const int MNT_DETACH = 2;

    /// <summary>The ids of the mounts at or below <paramref name="rootfs"/> now.</summary>
    public static IReadOnlyList<int> IdsBelow(string rootfs) => [.. Below(rootfs, Lines()).Select(m => m.Id)];

    /// <summary>Mount points added since <paramref name="before"/> at or below <paramref name="rootfs"/>, in mount order.</summary>
    public static IReadOnlyList<string> AddedBelow(string rootfs, IReadOnlyList<int> before) =>
        Below(rootfs, Lines()).Where(m => !before.Contains(m.Id)).Select(m => m.MountPoint).ToList();

    private static IEnumerable<MountInfoLine> Below(string rootfs, IEnumerable<MountInfoLine> lines)
    {
        var root = rootfs.TrimEnd('/');
        return lines.Where(m => m.MountPoint == root || m.MountPoint.StartsWith(root + "/", StringComparison.Ordinal));
    }

    /// <summary>Detaches each, the last mounted first; one already gone is skipped.</summary>
    public static void Unmount(IReadOnlyList<string> mountPoints)
    {
        for (int i = mountPoints.Count - 1; i >= 0; i--)
        {
            if (Libc.umount2(mountPoints[i], MNT_DETACH) != 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() is not (Errno.EINVAL or Errno.ENOENT))
                throw SyscallException.FromLast("umount2", $"{mountPoints[i]} (a mount of the container in the host's mount namespace)");
        }
    }

    private static IEnumerable<MountInfoLine> Lines() =>
        File.ReadAllLines("/proc/self/mountinfo").Select(MountInfoLine.Parse).OfType<MountInfoLine>();
}
