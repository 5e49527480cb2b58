using Runc.Sharp.Spec;

namespace Runc.Sharp.Cgroups.Resources;

/// <summary>
/// linux.resources as cgroup v1 writes, controller by controller in runc's order
/// (cpuset, devices, memory, cpu, pids, blkio, hugetlb, net_cls, net_prio, rdma).
/// Controllers the host does not mount are skipped only when the config leaves them unset.
/// </summary>
public static class V1Plan
{
    public static IReadOnlyList<CgroupWrite> For(Spec.Linux? linux, ICgroupProbe probe, bool includeDevices)
    {
        var r = linux?.Resources;
        var w = new List<CgroupWrite>();
        if (r is null && !includeDevices)
            return w;
        if (r?.Unified is { Count: > 0 })
            throw new ConfigError("invalid configuration: linux.resources.unified: cannot use unified on cgroup v1 (this host's controllers are v1)");
        Cpuset(r?.Cpu, w);
        if (includeDevices)
            Devices(linux, w);
        Memory(r?.Memory, probe, w);
        Cpu(r?.Cpu, probe, w);
        if (r?.Pids?.Limit is { } pids)
            w.Add(new("pids", "pids.max", pids > 0 ? Conversions.Decimal(pids) : pids == 0 ? "1" : "max"));
        BlockIo(r?.BlockIO, probe, w);
        foreach (var h in r?.HugepageLimits ?? [])
        {
            w.Add(new("hugetlb", $"hugetlb.{h.PageSize}.limit_in_bytes", Conversions.Decimal(h.Limit)));
            if (probe.Exists("hugetlb", $"hugetlb.{h.PageSize}.rsvd.limit_in_bytes"))
                w.Add(new("hugetlb", $"hugetlb.{h.PageSize}.rsvd.limit_in_bytes", Conversions.Decimal(h.Limit)));
        }
        if (r?.Network?.ClassID is { } classId and not 0)
            w.Add(new("net_cls", "net_cls.classid", Conversions.Decimal(classId)));
        foreach (var p in r?.Network?.Priorities ?? [])
            w.Add(new("net_prio", "net_prio.ifpriomap", $"{p.Name} {p.Priority}"));
        foreach (var (device, limit) in r?.Rdma ?? new Dictionary<string, RdmaLimit>())
            w.Add(new("rdma", "rdma.max", RdmaLine(device, limit)));
        return w;
    }

    public static string RdmaLine(string device, RdmaLimit l)
    {
        var parts = new List<string> { device };
        if (l.HcaHandles is { } h) parts.Add($"hca_handle={h}");
        if (l.HcaObjects is { } o) parts.Add($"hca_object={o}");
        return string.Join(' ', parts);
    }

    private static void Cpuset(CpuResources? cpu, List<CgroupWrite> w)
    {
        if (!string.IsNullOrEmpty(cpu?.Cpus))
            w.Add(new("cpuset", "cpuset.cpus", cpu.Cpus));
        if (!string.IsNullOrEmpty(cpu?.Mems))
            w.Add(new("cpuset", "cpuset.mems", cpu.Mems));
    }

    private static void Devices(Spec.Linux? linux, List<CgroupWrite> w)
    {
        foreach (var rule in DeviceAllowList.For(linux))
            w.Add(new("devices", rule.Allow ? "devices.allow" : "devices.deny", DeviceAllowList.V1Line(rule)));
    }

    private static void Memory(MemoryResources? m, ICgroupProbe probe, List<CgroupWrite> w)
    {
        if (m is null)
            return;
        bool swapFile = probe.Exists("memory", "memory.memsw.limit_in_bytes");
        // As runc: swap 0 means unset; an unlimited memory with swap unset unlimits swap too.
        long? swap = m.Swap is 0 ? null : m.Swap;
        if (m.Limit == -1 && swap is null && swapFile)
            swap = -1;
        if (swap is not null && !swapFile)
            throw new RuncsException("linux.resources.memory.swap: this host's kernel has no swap accounting (memory.memsw.limit_in_bytes)");
        // memory.memsw must stay >= memory.limit at every step, so raise the bigger one first.
        bool swapFirst = swap is { } sw && (sw == -1 || sw > CurrentMemsw(probe));
        if (swapFirst)
            w.Add(new("memory", "memory.memsw.limit_in_bytes", Conversions.Decimal(swap!.Value)));
        if (m.Limit is { } l and not 0)
            w.Add(new("memory", "memory.limit_in_bytes", Conversions.Decimal(l)));
        if (!swapFirst && swap is { } s2)
            w.Add(new("memory", "memory.memsw.limit_in_bytes", Conversions.Decimal(s2)));
        if (m.Reservation is { } res and not 0)
            w.Add(new("memory", "memory.soft_limit_in_bytes", Conversions.Decimal(res)));
        if (m.DisableOOMKiller == true)
            w.Add(new("memory", "memory.oom_control", "1"));
        if (m.Swappiness is { } swappiness)
        {
            if (swappiness > 100)
                throw new RuncsException($"linux.resources.memory.swappiness {swappiness}: must be 0–100");
            w.Add(new("memory", "memory.swappiness", Conversions.Decimal(swappiness)));
        }
    }

    private static long CurrentMemsw(ICgroupProbe probe) =>
        long.TryParse(probe.Read("memory", "memory.memsw.limit_in_bytes")?.Trim(), out var v) ? v : long.MaxValue;

    private static void Cpu(CpuResources? c, ICgroupProbe probe, List<CgroupWrite> w)
    {
        if (c is null)
            return;
        if (c.Shares is { } shares and > 0)
            w.Add(new("cpu", "cpu.shares", Conversions.Decimal(shares)));
        // A shorter period can exceed a parent's quota with the old quota: then the quota goes first.
        if (c.Period is { } period and > 0)
            w.Add(new("cpu", "cpu.cfs_period_us", Conversions.Decimal(period), RetryAfterNext: c.Quota is not (null or 0) && c.Burst is null));
        // The kernel refuses a quota below the current burst, so burst goes first (runc's order).
        if (c.Burst is { } burst && probe.Exists("cpu", "cpu.cfs_burst_us"))
            w.Add(new("cpu", "cpu.cfs_burst_us", Conversions.Decimal(burst)));
        if (c.Quota is { } quota and not 0)
            w.Add(new("cpu", "cpu.cfs_quota_us", Conversions.Decimal(quota)));
        if (c.Idle is { } idle)
            w.Add(new("cpu", "cpu.idle", Conversions.Decimal(idle)));
        if (c.RealtimePeriod is { } rtp and > 0)
            w.Add(new("cpu", "cpu.rt_period_us", Conversions.Decimal(rtp), RetryAfterNext: c.RealtimeRuntime is not (null or 0)));
        if (c.RealtimeRuntime is { } rtr and not 0)
            w.Add(new("cpu", "cpu.rt_runtime_us", Conversions.Decimal(rtr)));
    }

    private static void BlockIo(BlockIo? b, ICgroupProbe probe, List<CgroupWrite> w)
    {
        if (b is null)
            return;
        var weightFile = probe.Exists("blkio", "blkio.weight") || !probe.Exists("blkio", "blkio.bfq.weight") ? "blkio.weight" : "blkio.bfq.weight";
        if (b.Weight is { } weight and > 0)
            w.Add(new("blkio", weightFile, Conversions.Decimal(weight)));
        if (b.LeafWeight is { } leaf and > 0)
            w.Add(new("blkio", "blkio.leaf_weight", Conversions.Decimal(leaf)));
        foreach (var d in b.WeightDevice ?? [])
        {
            if (d.Weight is { } dw and not 0)
                w.Add(new("blkio", weightFile + "_device", $"{d.Major}:{d.Minor} {dw}"));
            if (d.LeafWeight is { } dl and not 0)
                w.Add(new("blkio", "blkio.leaf_weight_device", $"{d.Major}:{d.Minor} {dl}"));
        }
        Throttle(b.ThrottleReadBpsDevice, "blkio.throttle.read_bps_device", w);
        Throttle(b.ThrottleWriteBpsDevice, "blkio.throttle.write_bps_device", w);
        Throttle(b.ThrottleReadIOPSDevice, "blkio.throttle.read_iops_device", w);
        Throttle(b.ThrottleWriteIOPSDevice, "blkio.throttle.write_iops_device", w);
    }

    private static void Throttle(IReadOnlyList<ThrottleDevice>? list, string file, List<CgroupWrite> w)
    {
        foreach (var t in list ?? [])
            w.Add(new("blkio", file, $"{t.Major}:{t.Minor} {t.Rate}"));
    }
}
