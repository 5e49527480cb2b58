using Runc.Sharp.Cgroups;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Lifecycle;

/// <summary>
/// `update`: new resource limits applied to a live container's cgroups (devices are
/// left alone, as runc does), given to its systemd scope too, and recorded in its state;
/// with memory.checkBeforeUpdate a limit below the current usage is refused first.
/// </summary>
public static class Updater
{
    /// <summary><paramref name="read"/> runs once the container is known to be running, as in runc: `-r -` never waits on stdin for a container that does not exist.</summary>
    public static void Update(RuntimeOptions o, string id, Func<Resources> read)
    {
        using var held = o.Store.OpenLocked(id);
        var state = o.Store.Read(id);
        if (StatusDeriver.Derive(o.Store, state) is ContainerStatus.Stopped or ContainerStatus.Creating)
            throw new RuncsException($"container {id} is not running");
        var resources = read();
        var spec = o.Store.ReadSpec(id);
        var linux = (spec.Linux ?? new Spec.Linux()) with { Resources = resources };
        var cgroups = new FsCgroupManager(state.CgroupPaths ?? new Dictionary<string, string>());
        Cgroups.Resources.MemoryUsageCheck.Check(CgroupLayout.Host.Mode, resources.Memory, new Cgroups.Resources.DirectoryProbe(cgroups.Paths));
        cgroups.Set(CgroupLayout.Host.Mode, linux, includeDevices: false);
        var merged = Merge(spec.Linux?.Resources, resources);
        if (ContainerCgroups.SystemdUnitOf(state) is { } unit)
            Cgroups.Systemd.SystemdScope.SetProperties(unit, Cgroups.Systemd.ScopeProperties.Limits(merged, CgroupLayout.Host.Mode == CgroupMode.Unified));
        o.Store.WriteSpec(held, spec with { Linux = linux with { Resources = merged } });
    }

    /// <summary>Reads `--resources FILE|-` (a JSON linux.resources document).</summary>
    public static Resources Read(string source)
    {
        if (source == "-")
        {
            using var stdin = Console.OpenStandardInput();
            using var ms = new MemoryStream();
            stdin.CopyTo(ms);
            return SpecReader.Parse(ms.ToArray(), SpecDocuments.Resources, "resources");
        }
        return SpecReader.ReadFile(source, SpecDocuments.Resources, "resources");
    }

    private static Resources Merge(Resources? old, Resources update) => (old ?? new Resources()) with
    {
        Memory = update.Memory ?? old?.Memory,
        Cpu = update.Cpu ?? old?.Cpu,
        Pids = update.Pids ?? old?.Pids,
        BlockIO = update.BlockIO ?? old?.BlockIO,
        HugepageLimits = update.HugepageLimits ?? old?.HugepageLimits,
        Network = update.Network ?? old?.Network,
        Rdma = update.Rdma ?? old?.Rdma,
        Unified = update.Unified ?? old?.Unified,
    };
}
