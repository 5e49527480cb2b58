using System.Globalization;

namespace Runc.Sharp.Cgroups.Stats;

/// <summary>A container's resource usage read from its cgroup files (v1 controllers and/or cgroup2).</summary>
public sealed class StatsReader(IReadOnlyDictionary<string, string> paths)
{
    private string? Dir(string hierarchy) => paths.GetValueOrDefault(hierarchy);
    private string? Unified => paths.GetValueOrDefault("");

    private static string? Text(string? dir, string file) => dir is null ? null : CgroupFiles.TryRead(dir, file);

    private static ulong Number(string? dir, string file) =>
        ulong.TryParse(Text(dir, file)?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private static Dictionary<string, ulong> KeyValues(string? dir, string file)
    {
        var map = new Dictionary<string, ulong>();
        foreach (var line in (Text(dir, file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = line.Split(' ', 2);
            if (kv.Length == 2 && ulong.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                map[kv[0]] = v;
        }
        return map;
    }

    public ContainerStats Read() => new()
    {
        Cpu = Cpu(),
        Cpuset = Cpuset(),
        Memory = Memory(),
        Pids = Pids(),
        Blkio = Blkio(),
        Hugetlb = Hugetlb(),
    };

    private CpuStats Cpu()
    {
        if (Dir("cpuacct") is { } acct)
        {
            // cpuacct.stat counts USER_HZ (100/s) ticks; runc reports nanoseconds.
            var ticks = KeyValues(acct, "cpuacct.stat");
            var throttle = KeyValues(Dir("cpu"), "cpu.stat");
            return new CpuStats
            {
                Usage = new CpuUsage
                {
                    Total = Number(acct, "cpuacct.usage"),
                    Percpu = List(Text(acct, "cpuacct.usage_percpu")),
                    PercpuKernel = List(Text(acct, "cpuacct.usage_percpu_sys")),
                    PercpuUser = List(Text(acct, "cpuacct.usage_percpu_user")),
                    Kernel = ticks.GetValueOrDefault("system") * 10_000_000,
                    User = ticks.GetValueOrDefault("user") * 10_000_000,
                },
                Throttling = new Throttling
                {
                    Periods = throttle.GetValueOrDefault("nr_periods"),
                    ThrottledPeriods = throttle.GetValueOrDefault("nr_throttled"),
                    ThrottledTime = throttle.GetValueOrDefault("throttled_time"),
                },
            };
        }
        var stat = KeyValues(Unified, "cpu.stat");
        return new CpuStats
        {
            Usage = new CpuUsage
            {
                Total = stat.GetValueOrDefault("usage_usec") * 1000,
                Kernel = stat.GetValueOrDefault("system_usec") * 1000,
                User = stat.GetValueOrDefault("user_usec") * 1000,
            },
            Throttling = new Throttling
            {
                Periods = stat.GetValueOrDefault("nr_periods"),
                ThrottledPeriods = stat.GetValueOrDefault("nr_throttled"),
                ThrottledTime = stat.GetValueOrDefault("throttled_usec") * 1000,
            },
        };
    }

    private CpusetStats Cpuset()
    {
        var dir = Dir("cpuset") ?? Unified;
        var cpus = Text(dir, "cpuset.cpus") is { Length: > 0 } c && c.Trim().Length > 0 ? c : Text(dir, "cpuset.cpus.effective");
        var mems = Text(dir, "cpuset.mems") is { Length: > 0 } m && m.Trim().Length > 0 ? m : Text(dir, "cpuset.mems.effective");
        return new CpusetStats
        {
            Cpus = Ranges(cpus),
            Mems = Ranges(mems),
            CpuExclusive = Number(Dir("cpuset"), "cpuset.cpu_exclusive"),
            MemHardwall = Number(Dir("cpuset"), "cpuset.mem_hardwall"),
            MemExclusive = Number(Dir("cpuset"), "cpuset.mem_exclusive"),
            MemoryMigrate = Number(Dir("cpuset"), "cpuset.memory_migrate"),
            MemorySpreadPage = Number(Dir("cpuset"), "cpuset.memory_spread_page"),
            MemorySpreadSlab = Number(Dir("cpuset"), "cpuset.memory_spread_slab"),
            MemoryPressure = Number(Dir("cpuset"), "cpuset.memory_pressure"),
            SchedLoadBalance = Number(Dir("cpuset"), "cpuset.sched_load_balance"),
        };
    }

    private MemoryStats Memory()
    {
        if (Dir("memory") is { } mem)
        {
            var raw = KeyValues(mem, "memory.stat");
            MemoryEntry Entry(string prefix) => new()
            {
                Usage = Number(mem, prefix + "usage_in_bytes"),
                Max = Number(mem, prefix + "max_usage_in_bytes"),
                Limit = Number(mem, prefix + "limit_in_bytes"),
                Failcnt = Number(mem, prefix + "failcnt"),
            };
            return new MemoryStats
            {
                Cache = raw.GetValueOrDefault("cache"),
                Usage = Entry("memory."),
                Swap = Entry("memory.memsw."),
                Kernel = Entry("memory.kmem."),
                KernelTcp = Entry("memory.kmem.tcp."),
                Raw = raw,
            };
        }
        var rawV2 = KeyValues(Unified, "memory.stat");
        return new MemoryStats
        {
            Cache = rawV2.GetValueOrDefault("file"),
            Usage = new MemoryEntry { Usage = Number(Unified, "memory.current"), Limit = Max(Unified, "memory.max"), Max = Number(Unified, "memory.peak") },
            Swap = new MemoryEntry { Usage = Number(Unified, "memory.swap.current"), Limit = Max(Unified, "memory.swap.max") },
            Raw = rawV2.Count > 0 ? rawV2 : null,
        };
    }

    private static ulong Max(string? dir, string file) =>
        Text(dir, file)?.Trim() == "max" ? ulong.MaxValue : Number(dir, file);

    private PidsStats Pids()
    {
        var dir = Dir("pids") ?? Unified;
        return new PidsStats { Current = Number(dir, "pids.current"), Limit = Text(dir, "pids.max")?.Trim() == "max" ? 0 : Number(dir, "pids.max") };
    }

    private BlkioStats Blkio()
    {
        if (Dir("blkio") is { } blkio)
        {
            return new BlkioStats
            {
                IoServiceBytesRecursive = BlkioEntries(Text(blkio, "blkio.throttle.io_service_bytes_recursive")),
                IoServicedRecursive = BlkioEntries(Text(blkio, "blkio.throttle.io_serviced_recursive")),
            };
        }
        var bytes = new List<BlkioEntry>();
        var ios = new List<BlkioEntry>();
        foreach (var line in (Text(Unified, "io.stat") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var dev = fields[0].Split(':');
            if (dev.Length != 2 || !ulong.TryParse(dev[0], out var major) || !ulong.TryParse(dev[1], out var minor))
                continue;
            foreach (var kv in fields.Skip(1).Select(f => f.Split('=')).Where(kv => kv.Length == 2))
            {
                if (!ulong.TryParse(kv[1], out var value))
                    continue;
                var entry = new BlkioEntry { Major = major, Minor = minor, Value = value };
                switch (kv[0])
                {
                    case "rbytes": bytes.Add(entry with { Op = "Read" }); break;
                    case "wbytes": bytes.Add(entry with { Op = "Write" }); break;
                    case "rios": ios.Add(entry with { Op = "Read" }); break;
                    case "wios": ios.Add(entry with { Op = "Write" }); break;
                }
            }
        }
        return new BlkioStats { IoServiceBytesRecursive = bytes.Count > 0 ? bytes : null, IoServicedRecursive = ios.Count > 0 ? ios : null };
    }

    private static List<BlkioEntry>? BlkioEntries(string? text)
    {
        var list = new List<BlkioEntry>();
        foreach (var line in (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = line.Split(' ');
            if (f.Length != 3)
                continue;
            var dev = f[0].Split(':');
            if (dev.Length == 2 && ulong.TryParse(dev[0], out var major) && ulong.TryParse(dev[1], out var minor) && ulong.TryParse(f[2], out var value))
                list.Add(new BlkioEntry { Major = major, Minor = minor, Op = f[1], Value = value });
        }
        return list.Count > 0 ? list : null;
    }

    private Dictionary<string, HugetlbStats> Hugetlb()
    {
        var result = new Dictionary<string, HugetlbStats>();
        foreach (var size in HugePageSizes())
        {
            if (Dir("hugetlb") is { } v1)
            {
                result[size] = new HugetlbStats
                {
                    Usage = Number(v1, $"hugetlb.{size}.usage_in_bytes"),
                    Max = Number(v1, $"hugetlb.{size}.max_usage_in_bytes"),
                    Failcnt = Number(v1, $"hugetlb.{size}.failcnt"),
                };
            }
            else if (Unified is { } v2 && File.Exists(Path.Combine(v2, $"hugetlb.{size}.current")))
            {
                result[size] = new HugetlbStats
                {
                    Usage = Number(v2, $"hugetlb.{size}.current"),
                    Max = Max(v2, $"hugetlb.{size}.max"),
                    Failcnt = KeyValues(v2, $"hugetlb.{size}.events").GetValueOrDefault("max"),
                };
            }
        }
        return result;
    }

    /// <summary>"hugepages-2048kB" → "2MB", as the cgroup file names spell them.</summary>
    public static IEnumerable<string> HugePageSizes()
    {
        const string dir = "/sys/kernel/mm/hugepages";
        if (!Directory.Exists(dir))
            yield break;
        foreach (var entry in Directory.GetDirectories(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (entry is null || !entry.StartsWith("hugepages-", StringComparison.Ordinal) || !entry.EndsWith("kB", StringComparison.Ordinal))
                continue;
            if (!ulong.TryParse(entry["hugepages-".Length..^2], out var kb))
                continue;
            yield return kb >= 1 << 20 ? $"{kb >> 20}GB" : kb >= 1 << 10 ? $"{kb >> 10}MB" : $"{kb}KB";
        }
    }

    private static List<ulong>? List(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var values = new List<ulong>();
        foreach (var v in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (ulong.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                values.Add(n);
        }
        return values.Count > 0 ? values : null;
    }

    /// <summary>"0-2,5" → [0, 1, 2, 5].</summary>
    public static List<ushort>? Ranges(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var list = new List<ushort>();
        foreach (var part in text.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var r = part.Split('-');
            if (ushort.TryParse(r[0], out var lo) && ushort.TryParse(r[^1], out var hi))
            {
                for (int v = lo; v <= hi; v++)
                    list.Add((ushort)v);
            }
        }
        return list;
    }
}
