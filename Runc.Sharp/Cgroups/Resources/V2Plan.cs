using System.Globalization;
using Runc.Sharp.Spec;

namespace Runc.Sharp.Cgroups.Resources;

/// <summary>linux.resources as cgroup v2 writes in the unified hierarchy (runc's fs2 mapping and conversions).</summary>
public static class V2Plan
{
    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);
    private static string N(ulong v) => v.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<CgroupWrite> For(Spec.Resources? r, ICgroupProbe probe)
    {
        var w = new List<CgroupWrite>();
        if (r is null)
            return w;
        if (r.Cpu is { } c)
        {
            if (!string.IsNullOrEmpty(c.Cpus)) w.Add(new("", "cpuset.cpus", c.Cpus));
            if (!string.IsNullOrEmpty(c.Mems)) w.Add(new("", "cpuset.mems", c.Mems));
            if (c.RealtimePeriod is > 0 || c.RealtimeRuntime is not (null or 0))
                throw new RuncsException("linux.resources.cpu.realtimeRuntime/realtimePeriod: not supported on cgroup v2");
            if (c.Idle is { } idle)
                w.Add(new("", "cpu.idle", N(idle)));
            if (c.Shares is { } shares and > 0)
                w.Add(new("", "cpu.weight", N(Conversions.SharesToWeight(shares))));
            if (c.Quota is not null || c.Period is > 0)
            {
                var quota = c.Quota is { } q and > 0 ? N(q) : "max";
                w.Add(new("", "cpu.max", $"{quota} {N(c.Period is > 0 ? c.Period.Value : 100000)}"));
            }
            if (c.Burst is { } burst)
                w.Add(new("", "cpu.max.burst", N(burst)));
        }
        if (r.Memory is { } m)
        {
            if (Conversions.SwapToV2(m.Swap, m.Limit) is { } swap)
                w.Add(new("", "memory.swap.max", Conversions.MaxOr(swap)));
            if (m.Limit is { } limit)
                w.Add(new("", "memory.max", Conversions.MaxOr(limit)));
            if (m.Reservation is { } res)
                w.Add(new("", "memory.low", Conversions.MaxOr(res)));
        }
        if (r.Pids?.Limit is { } pids)
            w.Add(new("", "pids.max", pids > 0 ? N(pids) : pids == 0 ? "1" : "max"));
        if (r.BlockIO is { } b)
        {
            bool bfq = probe.Exists("", "io.bfq.weight");
            if (b.Weight is { } weight and > 0)
                w.Add(bfq ? new("", "io.bfq.weight", N(weight)) : new("", "io.weight", N(Conversions.BlkioWeightToIoWeight(weight))));
            foreach (var d in b.WeightDevice ?? [])
            {
                if (d.Weight is { } dw)
                    w.Add(new("", "io.bfq.weight", $"{d.Major}:{d.Minor} {dw}"));
            }
            Io(b.ThrottleReadBpsDevice, "rbps", w);
            Io(b.ThrottleWriteBpsDevice, "wbps", w);
            Io(b.ThrottleReadIOPSDevice, "riops", w);
            Io(b.ThrottleWriteIOPSDevice, "wiops", w);
        }
        foreach (var h in r.HugepageLimits ?? [])
        {
            w.Add(new("", $"hugetlb.{h.PageSize}.max", N(h.Limit)));
            if (probe.Exists("", $"hugetlb.{h.PageSize}.rsvd.max"))
                w.Add(new("", $"hugetlb.{h.PageSize}.rsvd.max", N(h.Limit)));
        }
        foreach (var (device, limit) in r.Rdma ?? new Dictionary<string, RdmaLimit>())
            w.Add(new("", "rdma.max", V1Plan.RdmaLine(device, limit)));
        foreach (var (key, value) in r.Unified ?? new Dictionary<string, string>())
        {
            if (key.Contains('/') || key.Length == 0)
                throw new RuncsException($"linux.resources.unified.{key}: not a cgroup file name");
            w.Add(new("", key, value));
        }
        return w;
    }

    private static void Io(IReadOnlyList<ThrottleDevice>? list, string key, List<CgroupWrite> w)
    {
        foreach (var t in list ?? [])
            w.Add(new("", "io.max", $"{t.Major}:{t.Minor} {key}={t.Rate}"));
    }
}
