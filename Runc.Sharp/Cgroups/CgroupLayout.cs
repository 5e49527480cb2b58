using Runc.Sharp.Linux;

namespace Runc.Sharp.Cgroups;

public enum CgroupMode
{
    Legacy,
    Hybrid,
    Unified,
}

/// <summary>
/// Where the host mounts its cgroup hierarchies: one mount per v1 controller
/// (possibly co-mounted) and, on hybrid and unified hosts, the cgroup2 mount.
/// </summary>
public sealed record CgroupLayout(
    CgroupMode Mode,
    IReadOnlyDictionary<string, string> V1Mounts,
    string? UnifiedMount)
{
    public const long Cgroup2Magic = 0x63677270;
    public const string DefaultRoot = "/sys/fs/cgroup";

    /// <summary>
    /// The v1 hierarchies a container joins. name=systemd is a named hierarchy with no
    /// controller; runc joins it too, so the container's /proc/self/cgroup and the tools
    /// that read it (systemd in the container, docker top) see the same paths.
    /// </summary>
    public static readonly string[] V1Controllers =
        ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "hugetlb", "net_cls", "net_prio", "perf_event", "rdma", "name=systemd"];

    private static CgroupLayout? _host;

    public static CgroupLayout Host => _host ??= Detect(File.ReadAllLines("/proc/self/mountinfo"), DefaultRoot);

    public static CgroupLayout Detect(IEnumerable<string> mountinfo, string root)
    {
        var v1 = new Dictionary<string, string>();
        string? unified = null;
        foreach (var line in mountinfo)
        {
            var m = MountInfoLine.Parse(line);
            if (m is null)
                continue;
            if (m.FsType == "cgroup2")
                unified ??= m.MountPoint;
            else if (m.FsType == "cgroup")
            {
                foreach (var opt in m.SuperOptions.Split(','))
                {
                    if (Array.IndexOf(V1Controllers, opt) >= 0)
                        v1.TryAdd(opt, m.MountPoint);
                }
            }
        }
        CgroupMode mode = unified == root ? CgroupMode.Unified
            : v1.Count > 0 && unified is not null ? CgroupMode.Hybrid
            : v1.Count > 0 ? CgroupMode.Legacy
            : CgroupMode.Unified;
        return new CgroupLayout(mode, mode == CgroupMode.Unified ? new Dictionary<string, string>() : v1, unified);
    }
}
