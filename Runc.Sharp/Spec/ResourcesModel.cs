namespace Runc.Sharp.Spec;

// linux.resources; also the document `runcs update --resources` reads.
public sealed record Resources : SpecNode
{
    public IReadOnlyList<DeviceRule>? Devices { get; init; }
    public MemoryResources? Memory { get; init; }
    public CpuResources? Cpu { get; init; }
    public PidsResources? Pids { get; init; }
    public BlockIo? BlockIO { get; init; }
    public IReadOnlyList<HugepageLimit>? HugepageLimits { get; init; }
    public NetworkResources? Network { get; init; }
    public IReadOnlyDictionary<string, RdmaLimit>? Rdma { get; init; }
    public IReadOnlyDictionary<string, string>? Unified { get; init; }
}

public sealed record DeviceRule : SpecNode
{
    public bool Allow { get; init; }
    public string? Type { get; init; }
    public long? Major { get; init; }
    public long? Minor { get; init; }
    public string? Access { get; init; }
}

public sealed record MemoryResources : SpecNode
{
    public long? Limit { get; init; }
    public long? Reservation { get; init; }
    public long? Swap { get; init; }
    public long? Kernel { get; init; }
    public long? KernelTCP { get; init; }
    public ulong? Swappiness { get; init; }
    public bool? DisableOOMKiller { get; init; }
    public bool? UseHierarchy { get; init; }
    public bool? CheckBeforeUpdate { get; init; }
}

public sealed record CpuResources : SpecNode
{
    public ulong? Shares { get; init; }
    public long? Quota { get; init; }
    public ulong? Burst { get; init; }
    public ulong? Period { get; init; }
    public long? RealtimeRuntime { get; init; }
    public ulong? RealtimePeriod { get; init; }
    public string? Cpus { get; init; }
    public string? Mems { get; init; }
    public long? Idle { get; init; }
}

public sealed record PidsResources : SpecNode
{
    public long? Limit { get; init; }
}

public sealed record BlockIo : SpecNode
{
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
    public IReadOnlyList<WeightDevice>? WeightDevice { get; init; }
    public IReadOnlyList<ThrottleDevice>? ThrottleReadBpsDevice { get; init; }
    public IReadOnlyList<ThrottleDevice>? ThrottleWriteBpsDevice { get; init; }
    public IReadOnlyList<ThrottleDevice>? ThrottleReadIOPSDevice { get; init; }
    public IReadOnlyList<ThrottleDevice>? ThrottleWriteIOPSDevice { get; init; }
}

public sealed record WeightDevice : SpecNode
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ushort? Weight { get; init; }
    public ushort? LeafWeight { get; init; }
}

public sealed record ThrottleDevice : SpecNode
{
    public long Major { get; init; }
    public long Minor { get; init; }
    public ulong Rate { get; init; }
}

public sealed record HugepageLimit : SpecNode
{
    public string? PageSize { get; init; }
    public ulong Limit { get; init; }
}

public sealed record NetworkResources : SpecNode
{
    public uint? ClassID { get; init; }
    public IReadOnlyList<InterfacePriority>? Priorities { get; init; }
}

public sealed record InterfacePriority : SpecNode
{
    public string? Name { get; init; }
    public uint Priority { get; init; }
}

public sealed record RdmaLimit : SpecNode
{
    public uint? HcaHandles { get; init; }
    public uint? HcaObjects { get; init; }
}
