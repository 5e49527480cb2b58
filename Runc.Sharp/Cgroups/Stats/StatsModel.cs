using System.Text.Json.Serialization;

namespace Runc.Sharp.Cgroups.Stats;

// runc's events JSON (types/events.go): field names and omission rules as runc's,
// so consumers of `runc events` read runcs's output unchanged.

public sealed record ContainerEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ContainerStats? Data);

public sealed record ContainerStats
{
    [JsonPropertyName("cpu")] public CpuStats Cpu { get; init; } = new();
    [JsonPropertyName("cpuset")] public CpusetStats Cpuset { get; init; } = new();
    [JsonPropertyName("memory")] public MemoryStats Memory { get; init; } = new();
    [JsonPropertyName("pids")] public PidsStats Pids { get; init; } = new();
    [JsonPropertyName("blkio")] public BlkioStats Blkio { get; init; } = new();
    [JsonPropertyName("hugetlb")] public Dictionary<string, HugetlbStats> Hugetlb { get; init; } = [];
    [JsonPropertyName("intel_rdt")] public Dictionary<string, ulong> IntelRdt { get; init; } = [];
    [JsonPropertyName("network_interfaces")] public List<object>? NetworkInterfaces { get; init; }
}

public sealed record CpuStats
{
    [JsonPropertyName("usage")] public CpuUsage Usage { get; init; } = new();
    [JsonPropertyName("throttling")] public Throttling Throttling { get; init; } = new();
}

public sealed record CpuUsage
{
    [JsonPropertyName("total"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Total { get; init; }
    [JsonPropertyName("percpu"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ulong>? Percpu { get; init; }
    [JsonPropertyName("percpu_kernel"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ulong>? PercpuKernel { get; init; }
    [JsonPropertyName("percpu_user"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ulong>? PercpuUser { get; init; }
    [JsonPropertyName("kernel")] public ulong Kernel { get; init; }
    [JsonPropertyName("user")] public ulong User { get; init; }
}

public sealed record Throttling
{
    [JsonPropertyName("periods"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Periods { get; init; }
    [JsonPropertyName("throttledPeriods"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong ThrottledPeriods { get; init; }
    [JsonPropertyName("throttledTime"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong ThrottledTime { get; init; }
}

public sealed record CpusetStats
{
    [JsonPropertyName("cpus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ushort>? Cpus { get; init; }
    [JsonPropertyName("cpu_exclusive")] public ulong CpuExclusive { get; init; }
    [JsonPropertyName("mems"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ushort>? Mems { get; init; }
    [JsonPropertyName("mem_hardwall")] public ulong MemHardwall { get; init; }
    [JsonPropertyName("mem_exclusive")] public ulong MemExclusive { get; init; }
    [JsonPropertyName("memory_migrate")] public ulong MemoryMigrate { get; init; }
    [JsonPropertyName("memory_spread_page")] public ulong MemorySpreadPage { get; init; }
    [JsonPropertyName("memory_spread_slab")] public ulong MemorySpreadSlab { get; init; }
    [JsonPropertyName("memory_pressure")] public ulong MemoryPressure { get; init; }
    [JsonPropertyName("sched_load_balance")] public ulong SchedLoadBalance { get; init; }
    [JsonPropertyName("sched_relax_domain_level")] public long SchedRelaxDomainLevel { get; init; }
}

public sealed record MemoryEntry
{
    [JsonPropertyName("limit")] public ulong Limit { get; init; }
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Usage { get; init; }
    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Max { get; init; }
    [JsonPropertyName("failcnt")] public ulong Failcnt { get; init; }
}

public sealed record MemoryStats
{
    [JsonPropertyName("cache"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Cache { get; init; }
    [JsonPropertyName("usage")] public MemoryEntry Usage { get; init; } = new();
    [JsonPropertyName("swap")] public MemoryEntry Swap { get; init; } = new();
    [JsonPropertyName("kernel")] public MemoryEntry Kernel { get; init; } = new();
    [JsonPropertyName("kernelTCP")] public MemoryEntry KernelTcp { get; init; } = new();
    [JsonPropertyName("raw"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, ulong>? Raw { get; init; }
}

public sealed record PidsStats
{
    [JsonPropertyName("current"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Current { get; init; }
    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Limit { get; init; }
}

public sealed record BlkioEntry
{
    [JsonPropertyName("major"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Major { get; init; }
    [JsonPropertyName("minor"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Minor { get; init; }
    [JsonPropertyName("op"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Op { get; init; }
    [JsonPropertyName("value"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Value { get; init; }
}

public sealed record BlkioStats
{
    [JsonPropertyName("ioServiceBytesRecursive"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<BlkioEntry>? IoServiceBytesRecursive { get; init; }
    [JsonPropertyName("ioServicedRecursive"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<BlkioEntry>? IoServicedRecursive { get; init; }
}

public sealed record HugetlbStats
{
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Usage { get; init; }
    [JsonPropertyName("max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Max { get; init; }
    [JsonPropertyName("failcnt")] public ulong Failcnt { get; init; }
}

[JsonSourceGenerationOptions]
[JsonSerializable(typeof(ContainerEvent))]
internal sealed partial class StatsJson : JsonSerializerContext;
