using Runc.Sharp.Cgroups;
using Runc.Sharp.Linux.Mounts;

namespace Runc.Sharp.Lifecycle;

/// <summary>The cgroups of one container: where they are and what the container sees of them.</summary>
public static class ContainerCgroups
{
    public static ICgroupManager For(ContainerState state) => new FsCgroupManager(state.CgroupPaths ?? new Dictionary<string, string>());

    public static FsCgroupManager Plan(string id, string? cgroupsPath, bool systemd)
    {
        if (systemd)
            throw new RuncsException(Directory.Exists("/run/systemd/system")
                ? "--systemd-cgroup: the systemd cgroup driver is not implemented yet"
                : "--systemd-cgroup: systemd is not running on this host (no /run/systemd/system)");
        var layout = CgroupLayout.Host;
        return new FsCgroupManager(CgroupPaths.Resolve(layout, cgroupsPath, id, CgroupPaths.Own()));
    }

    /// <summary>One entry per hierarchy for the container's /sys/fs/cgroup.</summary>
    public static IReadOnlyList<CgroupMountSource> MountSources(IReadOnlyDictionary<string, string> paths)
    {
        var layout = CgroupLayout.Host;
        var sources = new List<CgroupMountSource>();
        if (layout.Mode == CgroupMode.Unified)
        {
            if (paths.TryGetValue("", out var dir))
                sources.Add(new CgroupMountSource("", "cgroup2", "", dir));
            return sources;
        }
        foreach (var group in layout.V1Mounts.GroupBy(kv => kv.Value))
        {
            var controllers = group.Select(kv => kv.Key).ToList();
            if (!paths.TryGetValue(controllers[0], out var dir))
                continue;
            sources.Add(new CgroupMountSource(Path.GetFileName(group.Key), "cgroup", string.Join(',', controllers), dir));
        }
        if (layout.UnifiedMount is not null && paths.TryGetValue("", out var unified))
            sources.Add(new CgroupMountSource("unified", "cgroup2", "", unified));
        return sources;
    }
}
