using System.Runtime.InteropServices;
using Runc.Sharp.Linux.Native;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Linux.Mounts;

/// <summary>Device nodes under the container's /dev: mknod, or a bind of the host's node inside a user namespace.</summary>
public static class DeviceNodes
{
    /// <summary>The devices every container gets (runtime-spec config-linux.md "Default Devices").</summary>
    public static readonly IReadOnlyList<Device> Defaults =
    [
        Node("/dev/null", 1, 3), Node("/dev/zero", 1, 5), Node("/dev/full", 1, 7),
        Node("/dev/random", 1, 8), Node("/dev/urandom", 1, 9), Node("/dev/tty", 5, 0),
    ];

    private static Device Node(string path, long major, long minor) =>
        new() { Type = "c", Path = path, Major = major, Minor = minor, FileMode = 0x1B6 /* 0666 */, Uid = 0, Gid = 0 };

    /// <summary>Config devices first; a default is added only where the config names no device at that path.</summary>
    public static IEnumerable<(Device Device, string What)> Plan(IReadOnlyList<Device>? configured)
    {
        var list = configured ?? [];
        for (int i = 0; i < list.Count; i++)
        {
            // /dev/ptmx is the symlink to pts/ptmx (CreateSymlinks), whatever the config lists, as runc.
            if (Path.TrimEndingDirectorySeparator(list[i].Path ?? "") != "/dev/ptmx")
                yield return (list[i], $"linux.devices[{i}]");
        }
        foreach (var d in Defaults)
        {
            if (!list.Any(c => c.Path == d.Path))
                yield return (d, $"default device {d.Path}");
        }
    }

    public static void Create(RootDir root, Device d, string what, bool bindFromHost)
    {
        var path = d.Path!;
        if (bindFromHost)
        {
            using var target = root.OpenOrCreate(path, asDirectory: false, 0);
            SysCall.Mount(path, SysCall.FdPath(target.Value), null, (ulong)MountFlags.Bind, null, $"bind {path} ({what})");
            return;
        }
        var slash = path.LastIndexOf('/');
        using var parentPath = root.OpenOrCreate(path[..slash], asDirectory: true);
        using var parent = RootDir.Reopen(parentPath, O.RDONLY | O.DIRECTORY, path[..slash]);
        var name = path[(slash + 1)..];
        uint type = d.Type switch { "b" => 0x6000u, "p" => 0x1000u, _ => 0x2000u };
        uint perm = (d.FileMode ?? 0x1B6) & 0xFFF;
        ulong dev = MakeDev((ulong)d.Major, (ulong)d.Minor);
        if (Libc.mknodat(parent.Value, name, (int)(type | perm), dev) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EEXIST)
                throw new SyscallException("mknod", $"{path} ({what})", errno);
            Libc.unlinkat(parent.Value, name, 0);
            if (Libc.mknodat(parent.Value, name, (int)(type | perm), dev) != 0)
                throw SyscallException.FromLast("mknod", $"{path} ({what})");
        }
        if (Libc.fchownat(parent.Value, name, d.Uid ?? 0, d.Gid ?? 0, SysCall.AtSymlinkNofollow) != 0)
            throw SyscallException.FromLast("chown", $"{path} ({what})");
    }

    public static ulong MakeDev(ulong major, ulong minor) =>
        ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);

    /// <summary>/dev/fd, stdin, stdout, stderr, ptmx and, where the host has it, core.</summary>
    public static void CreateSymlinks(RootDir root)
    {
        (string Link, string Target)[] links =
        [
            ("/dev/fd", "/proc/self/fd"), ("/dev/stdin", "/proc/self/fd/0"), ("/dev/stdout", "/proc/self/fd/1"),
            ("/dev/stderr", "/proc/self/fd/2"), ("/dev/ptmx", "pts/ptmx"),
        ];
        using var devPath = root.OpenOrCreate("/dev", asDirectory: true);
        using var dev = RootDir.Reopen(devPath, O.RDONLY | O.DIRECTORY, "/dev");
        foreach (var (link, target) in File.Exists("/proc/kcore") ? [.. links, ("/dev/core", "/proc/kcore")] : links)
        {
            var name = link[5..];
            if (name == "ptmx")
                Libc.unlinkat(dev.Value, name, 0);
            if (Libc.symlinkat(target, dev.Value, name) != 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
                throw SyscallException.FromLast("symlink", $"{link} -> {target}");
        }
    }
}
