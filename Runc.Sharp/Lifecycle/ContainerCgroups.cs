using Runc.Sharp.Cgroups;
using Runc.Sharp.Cgroups.Systemd;
using Runc.Sharp.Linux.Mounts;

namespace Runc.Sharp.Lifecycle;

/// <summary>The cgroups of one container: where they are and what the container sees of them.</summary>
public static class ContainerCgroups
{
    public static ICgroupManager For(ContainerState state) => new FsCgroupManager(state.CgroupPaths ?? new Dictionary<string, string>());

    /// <summary>The directories: cgroupsPath's, or below each hierarchy's root those of the systemd scope.</summary>
    public static FsCgroupManager Plan(string id, string? cgroupsPath, ScopePlan? scope)
    {
        var paths = CgroupPaths.Resolve(CgroupLayout.Host, scope?.Unit.CgroupPath ?? cgroupsPath, id, CgroupPaths.Own());
        if (scope is { DevicesCgroup: false })
            paths.Remove("devices");
        return new FsCgroupManager(paths);
    }

    /// <summary>Whether the unified cgroup is one that runcs made for this container (see <see cref="Launch.ChildCgroups"/>).</summary>
    public static bool UnifiedIsNew(IReadOnlyDictionary<string, string> paths, IReadOnlyList<string> preexisting) =>
        paths.GetValueOrDefault("") is { } unified && !preexisting.Contains(unified);

    /// <summary>With --systemd-cgroup, the container's scope; null without it.</summary>
    public static ScopePlan? SystemdScopeFor(string id, Spec.Linux? linux, bool systemd, bool rootless)
    {
        if (!systemd)
            return null;
        if (!Directory.Exists(SystemdScope.RunningMarker))
            throw new RuncsException($"--systemd-cgroup: systemd is not running on this host (no {SystemdScope.RunningMarker})");
        if (rootless)
            throw new RuncsException("--systemd-cgroup: rootless containers (systemd's user manager) are not supported");
        return ScopeProperties.For(SystemdUnit.Parse(linux?.CgroupsPath, id), linux, CgroupLayout.Host.Mode == CgroupMode.Unified);
    }

    /// <summary>The scope of a container created with --systemd-cgroup: the last part of its cgroup paths.</summary>
    public static string? SystemdUnitOf(ContainerState state) =>
        state.SystemdCgroup && state.CgroupPaths?.Values.FirstOrDefault() is { } dir ? Path.GetFileName(dir) : null;

    /// <summary>
    /// Rootless, runc's rule: without write access to the cgroups (none delegated to this
    /// user) the container runs in no cgroup of its own; limits or a cgroupsPath then cannot
    /// be honoured, which is an error naming them, in runc's words first. Without a pid
    /// namespace of its own such a container cannot be killed whole: runc's warning.
    /// </summary>
    public static FsCgroupManager ForRootless(FsCgroupManager planned, Spec.Linux? linux, Action<string> warn)
    {
        var denied = planned.Paths.Values.Distinct().FirstOrDefault(d => !CgroupFiles.CanCreate(d));
        if (denied is null)
            return planned;
        if (LimitsIn(linux?.Resources) is { Count: > 0 } limits)
            throw new RuncsException("rootless needs no limits + no cgrouppath when no permission is granted for cgroups: " +
                $"cannot apply linux.resources.{string.Join(", linux.resources.", limits)}: " +
                $"no write access to {denied} (delegate a cgroup to uid {Linux.Native.Libc.geteuid()}, or drop the limits)");
        if (!string.IsNullOrEmpty(linux?.CgroupsPath))
            throw new RuncsException($"unable to apply cgroup configuration: linux.cgroupsPath {linux.CgroupsPath}: mkdir {denied}: permission denied");
        if (linux?.Namespaces?.Any(n => n.Type == "pid" && string.IsNullOrEmpty(n.Path)) != true)
            warn("Creating a rootless container with no cgroup and no private pid namespace. " +
                "Such configuration is strongly discouraged (as it is impossible to properly kill all container's processes) " +
                "and will result in an error in a future runc version.");
        return new FsCgroupManager(new Dictionary<string, string>());
    }

    private static List<string> LimitsIn(Spec.Resources? r)
    {
        var set = new List<string>();
        if (r is null)
            return set;
        if (r.Memory is not null) set.Add("memory");
        if (r.Cpu is not null) set.Add("cpu");
        if (r.Pids is not null) set.Add("pids");
        if (r.BlockIO is not null) set.Add("blockIO");
        if (r.HugepageLimits is { Count: > 0 }) set.Add("hugepageLimits");
        if (r.Network is not null) set.Add("network");
        if (r.Rdma is { Count: > 0 }) set.Add("rdma");
        if (r.Unified is { Count: > 0 }) set.Add("unified");
        return set;
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
