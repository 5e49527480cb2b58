using Runc.Sharp.Spec;

namespace Runc.Sharp.Cgroups.Resources;

/// <summary>linux.resources as cgroup v2 writes in the unified hierarchy (runc's fs2 mapping and conversions).</summary>
public static class V2Plan
{
    public static IReadOnlyList<CgroupWrite> For(Spec.Resources? r, ICgroupProbe probe)
    {
        var w = new List<CgroupWrite>();
        if (r is null)
            return w;
        // runc's fs2 order: pids, memory, io, cpu, cpuset, hugetlb, rdma, unified.
        if (r.Pids?.Limit is { } pids)
            w.Add(new("", "pids.max", pids > 0 ? Conversions.Decimal(pids) : pids == 0 ? "1" : "max"));
        if (r.Memory is { } m)
            Memory(m, probe, w);
        if (r.BlockIO is { } b)
            Io(b, probe, w);
        if (r.Cpu is { } c)
        {
            if (c.RealtimePeriod is > 0 || c.RealtimeRuntime is not (null or 0))
                throw new RuncsException("linux.resources.cpu.realtimeRuntime/realtimePeriod: not supported on cgroup v2");
            if (c.Idle is { } idle)
                w.Add(new("", "cpu.idle", Conversions.Decimal(idle)));
            if (c.Shares is { } shares and > 0)
                w.Add(new("", "cpu.weight", Conversions.Decimal(Conversions.SharesToWeight(shares))));
            // The kernel refuses a quota below the current burst, so burst goes first.
            if (c.Burst is { } burst)
                w.Add(new("", "cpu.max.burst", Conversions.Decimal(burst)));
            if (c.Quota is not (null or 0) || c.Period is > 0)
            {
                var quota = c.Quota is { } q and > 0 ? Conversions.Decimal(q) : "max";
                w.Add(new("", "cpu.max", $"{quota} {Conversions.Decimal(c.Period is > 0 ? c.Period.Value : 100000)}"));
            }
            if (!string.IsNullOrEmpty(c.Cpus)) w.Add(new("", "cpuset.cpus", c.Cpus));
            if (!string.IsNullOrEmpty(c.Mems)) w.Add(new("", "cpuset.mems", c.Mems));
        }
        foreach (var h in r.HugepageLimits ?? [])
        {
            w.Add(new("", $"hugetlb.{h.PageSize}.max", Conversions.Decimal(h.Limit)));
            if (probe.Exists("", $"hugetlb.{h.PageSize}.rsvd.max"))
                w.Add(new("", $"hugetlb.{h.PageSize}.rsvd.max", Conversions.Decimal(h.Limit)));
        }
        foreach (var (device, limit) in r.Rdma ?? new Dictionary<string, RdmaLimit>())
            w.Add(new("", "rdma.max", V1Plan.RdmaLine(device, limit)));
        foreach (var (key, value) in r.Unified ?? new Dictionary<string, string>())
        {
            if (key.Contains('/') || key.Length == 0)
                throw new RuncsException($"linux.resources.unified.{key}: not a cgroup file name");
            // One line per write: files like io.max take one entry at a time.
            foreach (var line in value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                w.Add(new("", key, line));
        }
        return w;
    }

    private static void Memory(MemoryResources m, ICgroupProbe probe, List<CgroupWrite> w)
    {
        long? swap = m.Swap is 0 ? null : Conversions.SwapToV2(m.Swap, m.Limit);
        if (swap is { } sw)
        {
            // Without swap accounting, "unlimited" and "none" need no write (as runc).
            bool noSwapFile = !probe.Exists("", "memory.swap.max");
            if (!(noSwapFile && sw is -1 or 0))
                w.Add(new("", "memory.swap.max", Conversions.MaxOr(sw)));
        }
        if (m.Limit is { } limit and not 0)
            w.Add(new("", "memory.max", Conversions.MaxOr(limit)));
        if (m.Reservation is { } res and not 0)
            w.Add(new("", "memory.low", Conversions.MaxOr(res)));
    }

    private static void Io(BlockIo b, ICgroupProbe probe, List<CgroupWrite> w)
    {
        bool bfq = probe.Exists("", "io.bfq.weight");
        if (b.Weight is { } weight and > 0)
            w.Add(bfq ? new("", "io.bfq.weight", Conversions.Decimal(weight)) : new("", "io.weight", Conversions.Decimal(Conversions.BlkioWeightToIoWeight(weight))));
        if (bfq)
        {
            foreach (var d in b.WeightDevice ?? [])
            {
                if (d.Weight is { } dw)
                    w.Add(new("", "io.bfq.weight", $"{d.Major}:{d.Minor} {dw}"));
            }
        }
        Throttle(b.ThrottleReadBpsDevice, "rbps", w);
        Throttle(b.ThrottleWriteBpsDevice, "wbps", w);
        Throttle(b.ThrottleReadIOPSDevice, "riops", w);
        Throttle(b.ThrottleWriteIOPSDevice, "wiops", w);
    }

    private static void Throttle(IReadOnlyList<ThrottleDevice>? list, string key, List<CgroupWrite> w)
    {
        foreach (var t in list ?? [])
            w.Add(new("", "io.max", $"{t.Major}:{t.Minor} {key}={t.Rate}"));
    }
}
