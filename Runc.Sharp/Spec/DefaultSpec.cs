namespace Runc.Sharp.Spec;

/// <summary>The config `runcs spec` writes: runc's example spec, and its rootless variant.</summary>
public static class DefaultSpec
{
    public const string OciVersion = "1.3.0";

    private static readonly string[] DefaultCaps = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"];

    /// <param name="cgroupNamespace">
    /// runc's `spec` adds a cgroup namespace only on a host whose cgroups are all v2: with v1
    /// hierarchies, a process exec'd later would see its cgroups relative to a root that
    /// runc's tools do not expect.
    /// </param>
    public static RuntimeSpec Example(bool cgroupNamespace = true) => new()
    {
        OciVersion = OciVersion,
        Root = new Root { Path = "rootfs", Readonly = true },
        Process = new Process
        {
            Terminal = true,
            User = new User { Uid = 0, Gid = 0 },
            Args = ["sh"],
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"],
            Cwd = "/",
            Capabilities = new Capabilities
            {
                Bounding = DefaultCaps,
                Effective = DefaultCaps,
                Permitted = DefaultCaps,
            },
            Rlimits = [new Rlimit { Type = "RLIMIT_NOFILE", Hard = 1024, Soft = 1024 }],
            NoNewPrivileges = true,
        },
        Hostname = "runcs",
        Mounts =
        [
            new Mount { Destination = "/proc", Type = "proc", Source = "proc" },
            new Mount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
            new Mount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
            new Mount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
            new Mount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
            new Mount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
            new Mount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] },
        ],
        Linux = new Linux
        {
            Resources = new Resources { Devices = [new DeviceRule { Allow = false, Access = "rwm" }] },
            Namespaces =
            [
                new Namespace { Type = "pid" }, new Namespace { Type = "network" }, new Namespace { Type = "ipc" },
                new Namespace { Type = "uts" }, new Namespace { Type = "mount" },
                .. cgroupNamespace ? new[] { new Namespace { Type = "cgroup" } } : [],
            ],
            MaskedPaths =
            [
                "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/powercap",
            ],
            ReadonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
        },
    };

    /// <summary>
    /// runc's ToRootless: a user namespace mapping root to the caller, no network
    /// namespace, /sys bind-mounted (sysfs needs a network namespace the user owns), no
    /// gid= or uid= mount options and no resources (no cgroup delegation assumed). The
    /// read-only /sys/fs/cgroup stays: it covers the host's cgroup mounts that the /sys rbind
    /// brings along (GHSA-m8cg-xc2p-r3fc).
    /// </summary>
    public static RuntimeSpec Rootless(uint uid, uint gid, bool cgroupNamespace = true)
    {
        var spec = Example(cgroupNamespace);
        var linux = spec.Linux!;
        var namespaces = linux.Namespaces!.Where(n => n.Type is not ("network" or "user")).ToList();
        namespaces.Add(new Namespace { Type = "user" });
        var mounts = new List<Mount>();
        foreach (var m in spec.Mounts!)
        {
            if (m.Destination == "/sys")
                mounts.Add(new Mount { Destination = "/sys", Type = "none", Source = "/sys", Options = ["rbind", "nosuid", "noexec", "nodev", "ro"] });
            else
                mounts.Add(m with { Options = m.Options?.Where(o => !o.StartsWith("gid=", StringComparison.Ordinal) && !o.StartsWith("uid=", StringComparison.Ordinal)).ToList() });
        }
        return spec with
        {
            Mounts = mounts,
            Linux = linux with
            {
                Namespaces = namespaces,
                UidMappings = [new IdMapping { ContainerID = 0, HostID = uid, Size = 1 }],
                GidMappings = [new IdMapping { ContainerID = 0, HostID = gid, Size = 1 }],
                Resources = null,
            },
        };
    }
}
